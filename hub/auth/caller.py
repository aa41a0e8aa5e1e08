"""The caller of one request, established once at the edge and carried everywhere after.

Services and the policy decide from this alone: they never look at HTTP headers or tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PUBLIC_PROFILE = "PUBLIC"


@dataclass(frozen=True, slots=True)
class Caller:
    profile: str
    scopes: frozenset[str]
    client_id: str | None = None
    department: str | None = None
    districts: frozenset[str] = field(default_factory=frozenset)
    subject: str | None = None
    token_id: str | None = None
    issuer: str | None = None

    @property
    def is_public(self) -> bool:
        return self.client_id is None

    def has(self, scope: str) -> bool:
        return scope in self.scopes


#: A request without a token: the public view.
PUBLIC = Caller(profile=PUBLIC_PROFILE, scopes=frozenset())
