"""The audit log's errors (codes are stable; they extend the tree in ``hub.errors``).

Unavailable            (UNAVAILABLE)
└── AuditUnavailable   (AUDIT_UNAVAILABLE)    the log could not durably record: refuse to answer
HubError               (INTERNAL)
└── AuditEventInvalid  (AUDIT_EVENT_INVALID)  the caller built an event the log cannot encode
InvalidInput           (BAD_USER_INPUT)
└── AuditQueryInvalid  (AUDIT_QUERY_INVALID)  a bad cursor, limit or time range in a search
"""

from __future__ import annotations

from hub.errors import HubError, InvalidInput, Unavailable


class AuditUnavailable(Unavailable):
    """Raised by ``append`` when the record is not committed; the response must not be sent."""

    code = "AUDIT_UNAVAILABLE"


class AuditEventInvalid(HubError):
    """A programming error upstream (naive time, raw ID number as a subject, ...)."""

    code = "AUDIT_EVENT_INVALID"


class AuditQueryInvalid(InvalidInput):
    code = "AUDIT_QUERY_INVALID"
