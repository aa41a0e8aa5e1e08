"""The parties of the Sichuan memorandum as real clients with real tokens, and helpers to call
the hub as each of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.db.engine import unit_of_work
from hub.policy.sql import business_today
from tests.support.factories import Factory
from tests.support.http import gql
from tests.support.tokens import fetch_token, register

PURPOSE = {"X-Hub-Purpose": "joint discipline under the Sichuan memorandum, case SC-2026-07"}
MUTATION_ERRORS = ("errors",)


@dataclass(frozen=True)
class Party:
    profile: str
    client_id: str
    headers: Any
    department: str | None = None

    async def call(self, client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None,
                   purpose: bool = False) -> dict[str, Any]:
        headers = {**self.headers, **(PURPOSE if purpose else {})}
        return await gql(client, query, variables, headers)

    async def ok(self, client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None,
                 purpose: bool = False) -> dict[str, Any]:
        body = await self.call(client, query, variables, purpose)
        assert "errors" not in body, body
        return body["data"]  # type: ignore[no-any-return]


PUBLIC = Party("PUBLIC", "", {})


async def party(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], profile: str,
    department: str | None = None, districts: tuple[str, ...] = (),
) -> Party:
    client_id, secret = await register(sessions, profile, districts, department=department)
    token = await fetch_token(client, client_id, secret)
    return Party(profile, client_id, {"Authorization": f"Bearer {token}"}, department)


@dataclass
class Parties:
    hrss: Party
    drc: Party
    msb: Party
    bdc: Party
    district: Party
    public: Party = PUBLIC


@pytest.fixture(scope="module")
async def parties(client, sessions) -> Parties:
    async with unit_of_work(sessions, write=True) as s:
        f = Factory(s)
        codes = {p: (await f.department(p)).code for p in ("DRC", "MSB", "BDC")}
    return Parties(
        hrss=await party(client, sessions, "HRSS"),
        drc=await party(client, sessions, "DRC", codes["DRC"]),
        msb=await party(client, sessions, "MSB", codes["MSB"]),
        bdc=await party(client, sessions, "BDC", codes["BDC"]),
        district=await party(client, sessions, "DISTRICT", districts=("510107",)),
    )


@pytest.fixture
def today():
    return business_today("Asia/Shanghai")


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]
