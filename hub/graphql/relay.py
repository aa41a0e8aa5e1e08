"""Relay global object identification: ``node(id:)`` and opaque ids of the form
base64("Type:pk")."""

from __future__ import annotations

import base64
import binascii

import strawberry

from hub.errors import InvalidInput


def to_global_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{pk}".encode()).decode())


def from_global_id(global_id: str) -> tuple[str, int]:
    try:
        type_name, _, pk = base64.b64decode(global_id, validate=True).decode().partition(":")
        return type_name, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput(
            "not a global id of this hub: use the `id` field of an object", field="id"
        ) from None


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID


def pk_of(global_id: str, type_name: str, field: str) -> int:
    """The primary key in a global id that must name a ``type_name``."""
    try:
        found, pk = from_global_id(global_id)
    except InvalidInput:
        found, pk = "", 0
    if found != type_name:
        raise InvalidInput(f"`{field}` must be the id of a {type_name}", field=field)
    return pk
