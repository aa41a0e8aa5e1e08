"""Root fields for auditors. Their own queries go through the same /graphql path and are
logged like any other."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from hub.audit import repository
from hub.audit.integrity import verify_database
from hub.audit.types import (
    AuditRecordFilter,
    AuditRecordPage,
    AuditRecordType,
    AuditVerificationType,
    SubjectAccessType,
)
from hub.graphql.context import RequestContext

Ctx = Info[RequestContext, None]


@strawberry.type
class AuditQuery:
    @strawberry.field(description="Search the query log, newest first.")
    async def audit_records(
        self, info: Ctx, filter: AuditRecordFilter | None = None, first: int = repository.DEFAULT_LIMIT, after: str | None = None
    ) -> AuditRecordPage:
        f = filter or AuditRecordFilter()
        async with info.context.db.exclusive() as session:
            page = await repository.search(
                session, since=f.since, until=f.until, client_id=f.client_id, profile=f.profile,
                operation_name=f.operation_name, outcome=f.outcome, field=f.field, subject=f.subject,
                cursor=after, limit=first, settings=info.context.settings,
            )
        return AuditRecordPage(records=[AuditRecordType.of(r) for r in page.items], next_cursor=page.next_cursor)

    @strawberry.field(description="Who saw data about this enterprise (USCC) or person (ID number) between two times, which fields, for what purpose.")
    async def subject_access_report(
        self, info: Ctx, subject: str, since: dt.datetime | None = None, until: dt.datetime | None = None
    ) -> list[SubjectAccessType]:
        async with info.context.db.exclusive() as session:
            rows = await repository.subject_access_report(session, subject, since, until, settings=info.context.settings)
        return [SubjectAccessType.of(r) for r in rows]

    @strawberry.field(description="Recompute the chain and checkpoint signatures (from `fromSeq`, or the start).")
    async def audit_verification(self, info: Ctx, from_seq: int | None = None) -> AuditVerificationType:
        engine = info.context.db.session.bind
        return AuditVerificationType.of(await verify_database(engine, from_seq=from_seq))  # type: ignore[arg-type]
