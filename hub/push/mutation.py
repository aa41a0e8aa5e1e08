"""Mutations of webhooks: a client registers (and removes) its own endpoints."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from hub.errors import Forbidden
from hub.graphql.context import RequestContext
from hub.push import webhooks
from hub.push.types import WebhookType

Ctx = Info[RequestContext, None]


@strawberry.input
class RegisterWebhookInput:
    url: str = strawberry.field(description="Your HTTPS endpoint; it receives signed JSON POSTs.")
    purpose: str | None = strawberry.field(
        default=None,
        description="Why you need full identity numbers, if your policy shows them: without a purpose "
        "deliveries leave them out (like `X-Hub-Purpose` on a request).",
    )


@strawberry.type(name="WebhookRegistration")
class WebhookRegistration:
    webhook: WebhookType
    secret: str = strawberry.field(description="Signing secret: shown once, keep it safe.")


def _client_id(info: Ctx) -> str:
    client_id = info.context.caller.client_id
    if client_id is None:
        raise Forbidden("webhooks belong to a client: authenticate first")
    return client_id


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(description="Subscribe an HTTPS endpoint to `blacklistChanges`.")
    async def register_webhook(self, info: Ctx, input: RegisterWebhookInput) -> WebhookRegistration:
        ctx = info.context
        sub, secret = await webhooks.register(ctx.db, _client_id(info), input.url, input.purpose, ctx.settings)
        return WebhookRegistration(webhook=WebhookType.present(sub), secret=secret)

    @strawberry.mutation(description="Stop deliveries to one of your endpoints.")
    async def remove_webhook(self, info: Ctx, id: int) -> WebhookType:
        return WebhookType.present(await webhooks.disable(info.context.db, id, _client_id(info)))
