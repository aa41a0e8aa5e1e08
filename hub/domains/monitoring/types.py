"""GraphQL surface of anomalies found on projects' accounts."""

from __future__ import annotations

import datetime as dt

import strawberry

from hub.domains.monitoring.models import Anomaly, AnomalyKind, AnomalyStatus
from hub.graphql.context import RequestContext
from hub.graphql.relay import Node, to_global_id

AnomalyKindEnum = strawberry.enum(AnomalyKind, name="AnomalyKind")
AnomalyStatusEnum = strawberry.enum(AnomalyStatus, name="AnomalyStatus")


@strawberry.type(name="Anomaly", description="A problem found on a project or one of its accounts.")
class AnomalyType(Node):
    kind: AnomalyKindEnum  # type: ignore[valid-type]
    status: AnomalyStatusEnum  # type: ignore[valid-type]
    district_code: str
    detail: str
    found_on: dt.date

    @classmethod
    def present(cls, m: Anomaly, ctx: RequestContext) -> AnomalyType:
        ctx.disclosure.rows += 1
        return cls(
            id=to_global_id("Anomaly", m.id),
            kind=m.kind,
            status=m.status,
            district_code=m.district_code,
            detail=m.detail,
            found_on=m.found_on,
        )
