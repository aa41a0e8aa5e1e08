"""Helpers for import tests: unique valid identifiers (never colliding with the demo's, which
all start with ``91``) and files written in either format."""

from __future__ import annotations

import csv
import itertools
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.domains.identifiers import resident_id_check_char, uscc_check_char

_counter = itertools.count(int(uuid.uuid4().int % 10**6) * 1000)


def new_uscc() -> str:
    first17 = f"92510703{next(_counter) % 10**9:09d}"
    return first17 + uscc_check_char(first17)


def new_resident_id() -> str:
    first17 = f"510703198{next(_counter) % 10}0101{next(_counter) % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def new_code(prefix: str = "IMP") -> str:
    return f"{prefix}-{next(_counter)}"


def new_account() -> str:
    return f"88{next(_counter):016d}"


def bad_uscc() -> str:
    good = new_uscc()
    return good[:17] + ("0" if good[17] != "0" else "1")


WriteFile = Callable[[str, list[dict[str, Any]]], Path]


@pytest.fixture
def write_file(tmp_path: Path) -> WriteFile:
    """``write_file("x.csv" | "x.jsonl", rows)``: CSV gets the union of keys as its header."""

    def write(name: str, rows: list[dict[str, Any]]) -> Path:
        path = tmp_path / name
        if name.endswith(".jsonl"):
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                            encoding="utf-8")
            return path
        header = list(dict.fromkeys(k for r in rows for k in r))
        with path.open("w", encoding="utf-8", newline="") as f:
            out = csv.DictWriter(f, header)
            out.writeheader()
            out.writerows(rows)
        return path

    return write


async def count(sessions: async_sessionmaker[AsyncSession], column: Any, *where: Any) -> int:
    async with sessions() as session:
        stmt = select(func.count()).select_from(column.table).where(*where)
        return (await session.execute(stmt)).scalar_one()


def enterprise(**overrides: Any) -> dict[str, Any]:
    return {"uscc": new_uscc(), "name": f"绵阳测试建筑工程有限公司{next(_counter)}",
            "district_code": "510703", "registered_capital": "1000000",
            "legal_rep_name": "张伟", "legal_rep_id_number": new_resident_id(),
            "legal_rep_phone": "13800000000"} | overrides
