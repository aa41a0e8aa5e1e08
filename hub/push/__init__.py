"""Pushing blacklist decisions to the departments that must act on them, with nothing lost.

Every decision is written with an outbox row (``OutboxEvent``) in the decision's own
transaction. From there two consumers read it, both through the subscriber's own policy:

- webhooks (``webhooks``, ``delivery``): one ``WebhookDelivery`` per active subscription is
  written in the same transaction; a lease-based job posts them, signed, retrying with
  exponential backoff, and logs every attempt;
- GraphQL subscriptions (``feed``, ``hub.web.subscriptions``): ``blacklistChanges`` follows
  the outbox from a sequence number, so a subscriber that reconnects with ``after`` misses
  nothing.

Payloads are never assembled by hand: ``payload`` prunes one GraphQL selection to the
coordinates the subscriber's policy shows and executes it with the subscriber's schema and
access view, exactly as the subscriber's own query would run.
"""
