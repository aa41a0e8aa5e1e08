"""The OAuth scope vocabulary of the hub and the scopes each department profile gets by
default (``shared/brief/access.md``). This is the one place scopes are spelled: the token
endpoint, the CLI and the policy all import them from here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from hub.domains.departments.models import Profile
from hub.errors import InvalidInput


class Scope(enum.StrEnum):
    ENTERPRISE_READ = "enterprise:read"
    ENTERPRISE_READ_CONTACT = "enterprise:read:contact"
    ENTERPRISE_WRITE = "enterprise:write"
    PERSON_READ_IDENTITY = "person:read:identity"
    CREDIT_READ = "credit:read"
    CREDIT_WRITE = "credit:write"
    BLACKLIST_READ = "blacklist:read"
    BLACKLIST_READ_INTERNAL = "blacklist:read:internal"
    BLACKLIST_DECIDE = "blacklist:decide"
    BLACKLIST_PUBLISH = "blacklist:publish"
    DISCIPLINE_REPORT = "discipline:report"
    DISCIPLINE_READ = "discipline:read"
    WAGES_READ = "wages:read"
    WAGES_READ_ACCOUNT = "wages:read:account"
    WAGES_WRITE = "wages:write"
    WAGES_INVESTIGATE = "wages:investigate"
    REFERRAL_ASSIGN = "referral:assign"
    REFERRAL_HANDLE = "referral:handle"
    AUDIT_READ = "audit:read"
    ADMIN = "admin"


S = Scope

#: The scopes a client of each profile is granted when ``--scopes`` is not given.
PROFILE_SCOPES: dict[Profile, frozenset[Scope]] = {
    Profile.HRSS: frozenset({
        S.ENTERPRISE_READ, S.ENTERPRISE_READ_CONTACT, S.PERSON_READ_IDENTITY, S.CREDIT_READ,
        S.BLACKLIST_READ, S.BLACKLIST_READ_INTERNAL, S.BLACKLIST_DECIDE, S.BLACKLIST_PUBLISH,
        S.DISCIPLINE_READ, S.WAGES_READ, S.WAGES_READ_ACCOUNT, S.WAGES_WRITE, S.REFERRAL_ASSIGN,
    }),
    Profile.DISTRICT: frozenset({
        S.ENTERPRISE_READ, S.ENTERPRISE_READ_CONTACT, S.BLACKLIST_READ, S.WAGES_READ,
        S.REFERRAL_HANDLE,
    }),
    Profile.DRC: frozenset({
        S.ENTERPRISE_READ, S.PERSON_READ_IDENTITY, S.CREDIT_READ, S.CREDIT_WRITE,
        S.BLACKLIST_READ, S.BLACKLIST_PUBLISH, S.DISCIPLINE_REPORT,
    }),
    Profile.MSB: frozenset({
        S.ENTERPRISE_READ, S.ENTERPRISE_WRITE, S.CREDIT_READ, S.CREDIT_WRITE,
        S.BLACKLIST_READ, S.BLACKLIST_PUBLISH, S.DISCIPLINE_REPORT,
    }),
    Profile.BDC: frozenset({
        S.ENTERPRISE_READ, S.CREDIT_READ, S.CREDIT_WRITE, S.BLACKLIST_READ,
        S.BLACKLIST_PUBLISH, S.DISCIPLINE_REPORT,
    }),
    Profile.BANK: frozenset({
        S.ENTERPRISE_READ, S.BLACKLIST_READ, S.WAGES_READ, S.WAGES_READ_ACCOUNT,
        S.WAGES_INVESTIGATE,
    }),
    Profile.AUDITOR: frozenset({S.AUDIT_READ}),
    Profile.ADMIN: frozenset({S.ADMIN}),
}  # fmt: skip

#: Every scope the authorization server knows (RFC 8414 ``scopes_supported``).
ALL_SCOPES: tuple[str, ...] = tuple(s.value for s in Scope)


def parse_scopes(values: str | Iterable[str], field: str = "scopes") -> frozenset[Scope]:
    """Scopes from a space-separated string or an iterable of strings (each item may itself
    be space- or comma-separated); an unknown scope is an error that names it."""
    items = [values] if isinstance(values, str) else list(values)
    words = [w for item in items for w in item.replace(",", " ").split()]
    unknown = sorted({w for w in words if w not in ALL_SCOPES})
    if unknown:
        raise InvalidInput(f"unknown scope(s): {', '.join(unknown)}", field=field)
    return frozenset(Scope(w) for w in words)


def format_scopes(scopes: Iterable[str]) -> str:
    """The RFC 6749 scope string: space-separated, in the vocabulary's order (stable)."""
    wanted = {str(s) for s in scopes}
    return " ".join(s for s in ALL_SCOPES if s in wanted)
