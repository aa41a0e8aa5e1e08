"""What a request and each of its operations leave for the audit log: gathered as the
request runs, written before its response leaves."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from graphql import OperationType
from starlette.requests import Request

from hub.graphql.context import Disclosure
from hub.policy.access import AccessView
from hub.web.operations import Operation, operation_name

PURPOSE_HEADER = "X-Hub-Purpose"
PURPOSE_MAX_LENGTH = 500
USER_AGENT_MAX_LENGTH = 300


#: Error codes by the outcome they give a record: the policy said no; the request was not
#: valid; anything else is a business rule's refusal (CONFLICT, ILLEGAL_TRANSITION, ...).
_POLICY_CODES = frozenset({"FORBIDDEN", "PURPOSE_REQUIRED"})
_INVALID_PREFIXES = ("GRAPHQL_", "PERSISTED_QUERY_")
_INVALID_CODES = frozenset({"BAD_USER_INPUT", "INVALID_IDENTIFIER", "PAGE_SIZE_EXCEEDED"})


@dataclass(frozen=True, slots=True)
class RequestInfo:
    request_id: str
    client_address: str | None
    user_agent: str | None
    purpose: str | None

    @classmethod
    def of(cls, request: Request, request_id: str) -> RequestInfo:
        purpose = (request.headers.get(PURPOSE_HEADER) or "").strip()[:PURPOSE_MAX_LENGTH] or None
        agent = (request.headers.get("user-agent") or "")[:USER_AGENT_MAX_LENGTH] or None
        return cls(request_id, request.client.host if request.client else None, agent, purpose)


@dataclass(frozen=True, slots=True)
class OperationRecord:
    """One operation's outcome: which coordinates were served, masked or refused, about
    which subjects, with which result."""

    operation_type: str | None
    operation_name: str | None
    query: str
    variables: dict[str, Any]
    policy_version: int
    served: tuple[str, ...]
    masked: tuple[str, ...]
    refused: tuple[str, ...]
    enterprises: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    rows: int = 0
    outcome: str = "OK"
    error_codes: tuple[str, ...] = ()
    duration_ms: float = 0.0

    @classmethod
    def begin(cls, op: Operation, kind: OperationType | None, requested: tuple[str, ...], access: AccessView) -> OperationRecord:
        refused = tuple(c for c in requested if c not in access.visible)
        masked = tuple(c for c in requested if c in access.visible and access.is_masked(c))
        served = tuple(c for c in requested if c in access.visible and not access.is_masked(c))
        return cls(
            operation_type=kind.value if kind else None, operation_name=operation_name(op),
            query=op.query, variables=op.variables, policy_version=access.policy_version,
            served=served, masked=masked, refused=refused,
        )

    def finish(
        self,
        out: dict[str, Any],
        disclosure: Disclosure | None,
        started: float,
        *,
        refused: list[str] | None = None,
        error_codes: list[str] | None = None,
    ) -> OperationRecord:
        errors = out.get("errors") or []
        codes = tuple(error_codes if error_codes is not None else sorted({e["extensions"]["code"] for e in errors}))
        if not errors:
            outcome = "OK"
        elif out.get("data") is not None:
            outcome = "PARTIAL"
        elif "INTERNAL" in codes:
            outcome = "ERROR"
        elif any(c in _POLICY_CODES for c in codes):
            outcome = "REFUSED"
        elif all(c.startswith(_INVALID_PREFIXES) or c in _INVALID_CODES for c in codes):
            outcome = "VALIDATION_ERROR"
        else:
            outcome = "REJECTED"
        executed = disclosure is not None and outcome in ("OK", "PARTIAL")
        return replace(
            self,
            served=self.served if executed else (),
            masked=self.masked if executed else (),
            refused=tuple(dict.fromkeys((*self.refused, *(refused or ())))),
            enterprises=tuple(sorted(disclosure.enterprises)) if disclosure else (),
            persons=tuple(sorted(disclosure.persons)) if disclosure else (),
            rows=disclosure.rows if disclosure else 0,
            outcome=outcome,
            error_codes=codes,
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
        )
