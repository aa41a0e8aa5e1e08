"""A webhook delivery's body, built by the subscriber's own policy.

``SELECTION`` is everything a change can carry. For each subscriber it is pruned to the
field coordinates the policy shows that subscriber (and, without a stated purpose, stripped
of identity numbers it would see in full), validated against the subscriber's schema and
executed with the subscriber's access view on the change as the subscription's root value
(GraphQL's ExecuteSubscriptionEvent): masks and row rules apply exactly as they would to
the subscriber's own ``blacklistChanges`` subscription. Nothing is assembled by hand.
"""

from __future__ import annotations

import inspect
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLSchema,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    execute,
    get_named_type,
    parse,
    print_ast,
    validate,
    visit,
)
from graphql.language.visitor import REMOVE

from hub.auth.caller import Caller
from hub.clients.models import OAuthClient
from hub.db.serial import SerialSession
from hub.domains.blacklist.models import BlacklistEntry
from hub.domains.blacklist.subscription import BlacklistChangeType
from hub.graphql.context import RequestContext
from hub.graphql.coordinates import requested_coordinates
from hub.graphql.listing import fetch_one
from hub.graphql.loaders import Loaders
from hub.policy.access import AccessView
from hub.policy.engine import effective_scopes
from hub.policy.service import PolicyService
from hub.push.models import OutboxEvent, WebhookSubscription
from hub.settings import Settings
from hub.web.operations import Operation
from hub.web.records import OperationRecord

OPERATION_NAME = "BlacklistChangeDelivery"
SELECTION = """
subscription BlacklistChangeDelivery {
  blacklistChanges {
    sequence action occurredAt
    decision { action fromStatus toStatus decidedAt documentNumber reason changes { field before after } }
    entry {
      id status districtCode reason legalBasis amountOwed workersAffected issuingAuthority
      decisionDocumentNumber includedOn expectedExitOn removedOn removalReason
      arrearsCorrectedOn creditCommitmentOn proposedOn defenceDeadline defenceStatement
      clues internalNotes version
      enterprise { id uscc name status address districtCode legalRepresentative { id name idType idNumber } }
      persons { role person { id name idType idNumber } }
      platforms { platform showing showsLatestDecision late }
    }
  }
}
"""


class _Prune(Visitor):
    def __init__(self, type_info: TypeInfo, keep: frozenset[str]) -> None:
        super().__init__()
        self.type_info, self.keep = type_info, keep

    def enter_field(self, node: FieldNode, *_: object) -> Any:
        parent = self.type_info.get_parent_type()
        if parent is None or f"{get_named_type(parent).name}.{node.name.value}" not in self.keep:
            return REMOVE
        return None

    def leave_field(self, node: FieldNode, *_: object) -> Any:
        if node.selection_set is not None and not node.selection_set.selections:
            return REMOVE  # every sub-field was pruned: the field goes too
        return None


def prune(full: GraphQLSchema, document: DocumentNode, keep: frozenset[str]) -> DocumentNode | None:
    """``document`` with only the coordinates in ``keep``; None when nothing is left."""
    type_info = TypeInfo(full)
    pruned = visit(document, TypeInfoVisitor(type_info, _Prune(type_info, keep)))
    operation = pruned.definitions[0]
    if not operation.selection_set.selections:  # type: ignore[attr-defined]
        return None
    return pruned  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def _selection() -> DocumentNode:
    return parse(SELECTION)


def caller_of(client: OAuthClient) -> Caller:
    """The subscriber as the policy sees it: the client's profile, districts, department and
    every scope it is granted (what any token of it could carry)."""
    return Caller(
        profile=client.profile.value, scopes=frozenset(client.scopes), client_id=client.client_id,
        department=client.department, districts=frozenset(client.districts), subject=client.client_id,
    )


@dataclass(frozen=True, slots=True)
class Built:
    body: dict[str, Any] | None  # None: nothing the subscriber may see
    record: OperationRecord | None
    caller: Caller


async def build(
    db: SerialSession, policies: PolicyService, settings: Settings, sub: WebhookSubscription,
    client: OAuthClient, event: OutboxEvent, request_id: str,
) -> Built:
    started = time.perf_counter()
    caller = caller_of(client)
    policy = await policies.in_force(db)
    schema = policies.schema_for(policy, effective_scopes(caller))
    access = policies.access_for(policy, caller)
    ctx = RequestContext(caller=caller, access=access, db=db, settings=settings, request_id=request_id, loaders=Loaders(db))
    if await fetch_one(ctx, BlacklistEntry, event.entry_id) is None:
        return Built(None, None, caller)
    document = prune(policies.full_schema._schema, _selection(), _keep(access, sub.purpose))
    if document is None:
        return Built(None, None, caller)
    errors = validate(schema._schema, document, hide_suggestions=True)
    if errors:  # the pruning and the schema disagree: a bug, never a reason to send more
        raise RuntimeError(f"pruned delivery selection does not validate: {errors[0].message}")
    result = execute(schema._schema, document, root_value=BlacklistChangeType.of(event), context_value=ctx,
                     hide_suggestions=True)
    if inspect.isawaitable(result):
        result = await result
    if result.errors:
        raise RuntimeError(f"delivery selection failed: {result.errors[0].message}")
    query = print_ast(document)
    op = Operation(query=query, operation_name=OPERATION_NAME)
    requested = requested_coordinates(policies.full_schema._schema, query)
    out = {"data": result.data}
    record = OperationRecord.begin(op, OperationType.SUBSCRIPTION, requested, access).finish(out, ctx.disclosure, started)
    body = {"type": "blacklistChanges", "subscription": sub.id, "sequence": event.id, "data": result.data}
    return Built(body, record, caller)


def _keep(access: AccessView, purpose: str | None) -> frozenset[str]:
    if purpose:
        return access.visible
    # Like X-Hub-Purpose on a request: numbers served in full need a stated purpose.
    full = {c for c in access.sensitive if c in access.visible and not access.is_masked(c)}
    return access.visible - full
