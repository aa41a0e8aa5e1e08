"""``node(id:)``: from a global id to the object, through the same row rules as listings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.types import Info

from hub.domains.blacklist.models import BlacklistEntry, DisciplinaryMeasure
from hub.domains.blacklist.types import BlacklistEntryType, DisciplinaryMeasureType
from hub.domains.credit.models import CreditRecord
from hub.domains.credit.types import CreditRecordType
from hub.domains.enterprises.models import Enterprise
from hub.domains.enterprises.types import EnterpriseType
from hub.domains.monitoring.models import Anomaly, Investigation, Referral, RiskSignal
from hub.domains.monitoring.types import AnomalyType, InvestigationType, ReferralType, RiskSignalType
from hub.domains.persons.models import Person
from hub.domains.persons.types import PersonType
from hub.domains.projects.models import Project
from hub.domains.projects.types import ProjectType
from hub.domains.wages.models import AccountControl, AccountTransaction, WageAccount
from hub.domains.wages.types import AccountControlType, AccountTransactionType, WageAccountType
from hub.graphql.context import RequestContext
from hub.graphql.listing import fetch_one
from hub.graphql.relay import Node, from_global_id

#: GraphQL type name → (model, presenter). The type name is also the policy's entity name.
NODE_TYPES: dict[str, tuple[type[Any], Callable[[Any, RequestContext], Any]]] = {
    "Enterprise": (Enterprise, EnterpriseType.present),
    "Person": (Person, PersonType.present),
    "CreditRecord": (CreditRecord, CreditRecordType.present),
    "BlacklistEntry": (BlacklistEntry, BlacklistEntryType.present),
    "DisciplinaryMeasure": (DisciplinaryMeasure, DisciplinaryMeasureType.present),
    "Project": (Project, ProjectType.present),
    "WageAccount": (WageAccount, WageAccountType.present),
    "AccountTransaction": (AccountTransaction, AccountTransactionType.present),
    "AccountControl": (AccountControl, AccountControlType.present),
    "Anomaly": (Anomaly, AnomalyType.present),
    "Investigation": (Investigation, InvestigationType.present),
    "RiskSignal": (RiskSignal, RiskSignalType.present),
    "Referral": (Referral, ReferralType.present),
}


@strawberry.type
class NodeQuery:
    @strawberry.field(description="The object with this global id, or null if it is not visible.")
    async def node(self, info: Info[RequestContext, None], id: strawberry.ID) -> Node | None:
        type_name, pk = from_global_id(id)
        entry = NODE_TYPES.get(type_name)
        # A type outside the caller's schema does not exist for it, even if the id is real.
        if entry is None or info.schema._schema.get_type(type_name) is None:
            return None
        model, present = entry
        row = await fetch_one(info.context, model, pk)
        return present(row, info.context) if row is not None else None
