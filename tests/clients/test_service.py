"""Client services: secrets stored hashed, ensure_client idempotent, validation."""

from __future__ import annotations

import pytest

from hub.clients import service
from hub.clients.repository import ClientRepository
from hub.clients.secrets import hash_secret, verify_secret
from hub.db.engine import unit_of_work
from hub.errors import Conflict, InvalidInput
from tests.support.oauth import unique


def test_secret_hashing() -> None:
    encoded = hash_secret("s3cret")
    assert "s3cret" not in encoded and encoded.startswith("scrypt$")
    assert verify_secret("s3cret", encoded)
    assert not verify_secret("s3creT", encoded)
    assert not verify_secret("s3cret", None) and not verify_secret("s3cret", "garbage")
    assert hash_secret("s3cret") != encoded  # salted


async def test_create_and_ensure(sessions) -> None:
    name = unique("demo")
    async with unit_of_work(sessions, write=True) as session:
        client_id, secret = await service.ensure_client(session, name, "AUDITOR")
    assert secret
    async with unit_of_work(sessions, write=True) as session:
        again = await service.ensure_client(session, name, "AUDITOR")
        stored = await ClientRepository(session).get(client_id)
    assert again == (client_id, None)
    assert stored is not None and stored.scopes == ["audit:read"]
    assert stored.secret_hash and secret not in stored.secret_hash
    assert stored.check_client_secret(secret)
    async with unit_of_work(sessions, write=True) as session:
        with pytest.raises(Conflict):
            await service.ensure_client(session, name, "ADMIN")
        with pytest.raises(Conflict):
            await service.create_client(session, name, "AUDITOR")


async def test_validation(sessions) -> None:
    async with unit_of_work(sessions) as session:
        with pytest.raises(InvalidInput, match="district"):
            await service.create_client(session, unique(), "DISTRICT")
        with pytest.raises(InvalidInput, match="JWK Set"):
            await service.create_client(session, unique(), "BANK", with_secret=False)
        with pytest.raises(InvalidInput, match="unknown scope"):
            await service.create_client(session, unique(), "BANK", scopes=["wages:steal"])
