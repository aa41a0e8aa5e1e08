"""``viewer``: who the hub thinks the caller is and which policy governs the answer. Every
caller may ask it, so every schema has at least one field and a client can check its grant."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from hub.graphql.context import RequestContext


@strawberry.type(name="Viewer", description="The caller as the hub sees it.")
class ViewerType:
    profile: str = strawberry.field(description="PUBLIC without a token, else the client's profile.")
    client_id: str | None
    scopes: list[str]
    districts: list[str] = strawberry.field(description="Division codes a district client is bound to.")
    policy_version: int


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="The caller, its scopes and the policy version in force.")
    def viewer(self, info: Info[RequestContext, None]) -> ViewerType:
        ctx = info.context
        return ViewerType(
            profile=ctx.caller.profile,
            client_id=ctx.caller.client_id,
            scopes=sorted(ctx.caller.scopes),
            districts=sorted(ctx.caller.districts),
            policy_version=ctx.access.policy_version,
        )
