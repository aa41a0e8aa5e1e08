"""The hub's errors, each with a stable code that clients can branch on.

    HubError                      (INTERNAL)           anything unexpected; never shown in detail
    ├── InvalidInput              (BAD_USER_INPUT)     a value failed validation; names the field
    │   ├── InvalidIdentifier     (INVALID_IDENTIFIER) USCC, ID number, division or account code
    │   └── PageSizeExceeded      (PAGE_SIZE_EXCEEDED) `first`/`last` above the maximum
    ├── InvalidToken              (INVALID_TOKEN)      a bearer token that is not valid (HTTP 401)
    ├── NotFound                  (NOT_FOUND)          no such object, or not one the caller may see
    ├── Forbidden                 (FORBIDDEN)          the policy refuses the operation
    ├── Conflict                  (CONFLICT)           a stale `version`, or a unique key taken
    ├── IllegalTransition         (ILLEGAL_TRANSITION) a workflow step not allowed from this state
    └── Unavailable               (UNAVAILABLE)        a dependency (database, audit log) is down

GraphQL responses carry the code in ``extensions.code``; the CLI prints it beside the message.
"""

from __future__ import annotations

from typing import Any, ClassVar


class HubError(Exception):
    """Base of every error the hub raises on purpose."""

    code: ClassVar[str] = "INTERNAL"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions

    def as_extensions(self) -> dict[str, Any]:
        return {"code": self.code, **self.extensions}


class InvalidInput(HubError):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, field: str | None = None, **extensions: Any) -> None:
        if field is not None:
            extensions["field"] = field
        super().__init__(message, **extensions)
        self.field = field


class InvalidIdentifier(InvalidInput):
    code = "INVALID_IDENTIFIER"


class PageSizeExceeded(InvalidInput):
    code = "PAGE_SIZE_EXCEEDED"


class InvalidToken(HubError):
    """The request carried a bearer token that cannot be trusted (RFC 6750 ``invalid_token``).

    Never answered with the public view: the caller asked to be someone and failed.
    """

    code = "INVALID_TOKEN"


class NotFound(HubError):
    code = "NOT_FOUND"


class Forbidden(HubError):
    code = "FORBIDDEN"


class Conflict(HubError):
    code = "CONFLICT"


class IllegalTransition(HubError):
    code = "ILLEGAL_TRANSITION"


class Unavailable(HubError):
    code = "UNAVAILABLE"
