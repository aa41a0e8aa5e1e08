"""The auditors' GraphQL surface over the log (scope ``audit:read``). It sits beside the
log's storage and imports no business domain: auditors see the record, not the data."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.scalars import JSON

from hub.audit.models import AuditRecord
from hub.audit.repository import SubjectAccess
from hub.audit.verify import Report
from hub.graphql.inputs import reveals


@strawberry.type(name="AuditRecord", description="One operation as the log recorded it.")
class AuditRecordType:
    seq: int = strawberry.field(description="Position in the chain (gap-free).")
    recorded_at: dt.datetime
    request_id: str
    client_id: str | None
    profile: str
    token_sub: str | None
    token_jti: str | None
    scopes: list[str]
    policy_version: str | None
    operation_type: str
    operation_name: str | None
    document_sha256: str | None
    variables: JSON = strawberry.field(description="Sensitive values are keyed hashes (`hmac:…`).")
    fields_served: list[str]
    fields_masked: list[str]
    fields_refused: list[str]
    subjects_uscc: list[str]
    subjects_person: list[str] = strawberry.field(description="Keyed hashes of ID numbers.")
    row_count: int
    outcome: str
    error_codes: list[str]
    duration_us: int
    client_address: str | None
    user_agent: str | None
    purpose: str | None
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, r: AuditRecord) -> AuditRecordType:
        return cls(**{name: getattr(r, name) for name in cls.__annotations__})


@strawberry.type(name="AuditRecordPage", description="Records newest first; pass `nextCursor` as `after`.")
class AuditRecordPage:
    records: list[AuditRecordType]
    next_cursor: str | None


@strawberry.input(description="Filters on the log; all given filters must match.")
class AuditRecordFilter:
    since: dt.datetime | None = reveals("AuditRecord.recordedAt", description="From this time (included).")
    until: dt.datetime | None = reveals("AuditRecord.recordedAt", description="Up to this time (excluded).")
    client_id: str | None = reveals("AuditRecord.clientId")
    profile: str | None = reveals("AuditRecord.profile")
    operation_name: str | None = reveals("AuditRecord.operationName")
    outcome: str | None = reveals("AuditRecord.outcome", description="OK, PARTIAL, VALIDATION_ERROR, UNAUTHENTICATED, FORBIDDEN, REJECTED, ERROR.")
    field: str | None = reveals("AuditRecord.fieldsServed", description="A coordinate served, masked or refused, e.g. `Person.idNumber`.")
    subject: str | None = reveals("AuditRecord.subjectsUscc", description="A USCC, or an ID number (the hub hashes it; pass it as a variable).")


@strawberry.type(name="SubjectAccess", description="One disclosure of data about a subject.")
class SubjectAccessType:
    seq: int
    recorded_at: dt.datetime
    request_id: str
    client_id: str | None
    profile: str
    operation_name: str | None
    purpose: str | None
    outcome: str
    fields_served: list[str]
    fields_masked: list[str]

    @classmethod
    def of(cls, a: SubjectAccess) -> SubjectAccessType:
        return cls(**{name: getattr(a, name) for name in cls.__annotations__})


@strawberry.type(name="AuditProblem", description="The first thing verification found wrong.")
class AuditProblemType:
    code: str
    seq: int | None
    message: str


@strawberry.type(name="AuditVerification", description="The chain recomputed from the database.")
class AuditVerificationType:
    ok: bool
    records: int
    checkpoints: int
    first_seq: int | None
    last_seq: int | None
    anchor_seq: int
    problem: AuditProblemType | None
    summary: str

    @classmethod
    def of(cls, r: Report) -> AuditVerificationType:
        problem = r.problem
        return cls(
            ok=r.ok, records=r.records, checkpoints=r.checkpoints, first_seq=r.first_seq,
            last_seq=r.last_seq, anchor_seq=r.anchor_seq, summary=r.summary(),
            problem=AuditProblemType(code=problem.code, seq=problem.seq, message=problem.message) if problem else None,
        )
