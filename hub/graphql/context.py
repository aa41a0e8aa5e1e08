"""The context of one GraphQL operation: who asks, what the policy lets them see, the one
database session, the data loaders, and what the response disclosed (for the audit log)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hub.auth.caller import Caller
from hub.db.serial import SerialSession
from hub.graphql.loaders import Loaders
from hub.policy.access import AccessView
from hub.settings import Settings

Masker = Callable[[str], str]


@dataclass(slots=True)
class Disclosure:
    """Subjects whose data was in the response, gathered as objects are presented."""

    enterprises: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)
    rows: int = 0


@dataclass(slots=True)
class RequestContext:
    caller: Caller
    access: AccessView
    db: SerialSession
    settings: Settings
    request_id: str
    loaders: Loaders
    disclosure: Disclosure = field(default_factory=Disclosure)
    #: The change stream of a subscription (``hub.push.feed.ChangeFeed``); None for queries.
    feed: Any = None

    def mask(self, coordinate: str, value: str | None, masker: Masker) -> str | None:
        if value is None or not self.access.is_masked(coordinate):
            return value
        return masker(value)

