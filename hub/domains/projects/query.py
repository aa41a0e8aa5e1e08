"""Root fields about projects."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from hub.domains.projects.models import Project
from hub.domains.projects.types import ProjectFilter, ProjectType
from hub.graphql.context import RequestContext
from hub.graphql.listing import root_connection
from hub.graphql.pagination import Connection

Ctx = Info[RequestContext, None]


@strawberry.type
class ProjectQuery:
    @strawberry.field(description="Construction projects the caller may see, oldest first.")
    async def projects(
        self,
        info: Ctx,
        filter: ProjectFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ProjectType]:
        ctx = info.context
        preds = filter.predicates() if filter else []
        return await root_connection(
            ctx, Project, preds, lambda m: ProjectType.present(m, ctx), first, after, last, before
        )
