"""Benchmark: import 100,000 enterprise rows from CSV into a fresh SQLite database.

    python bench/import_enterprises.py [ROWS]

Generates valid rows (USCCs and resident IDs with correct check characters, every row with a
legal representative) into a temporary CSV, migrates a temporary SQLite database with
``hub.db.migrations`` and times :func:`hub.imports.import_file`. Prints rows, seconds, rows/s.
"""

from __future__ import annotations

import asyncio
import csv
import random
import sys
import tempfile
from pathlib import Path
from time import perf_counter

from hub.db import migrations
from hub.db.engine import create_engine, session_factory
from hub.demo.fake import DISTRICTS, Faker
from hub.imports import import_file


def write_rows(path: Path, count: int) -> None:
    faker = Faker(random.Random(1))
    districts = list(DISTRICTS.values())
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["uscc", "name", "status", "district_code", "address",
                      "registered_capital", "legal_rep_name", "legal_rep_id_number",
                      "legal_rep_phone", "contact_person", "contact_phone"])
        for i in range(count):
            d = districts[i % len(districts)]
            out.writerow([
                faker.uscc(d.code), f"{d.name}第{i}号建筑工程有限公司", "IN_OPERATION", d.code,
                faker.address(d), f"{faker.rng.randrange(100, 100000) * 100}.00",
                faker.person_name(), faker.resident_id(d.code), faker.mobile(),
                faker.person_name(), faker.mobile(),
            ])


async def run_import(url: str, path: Path) -> tuple[int, float]:
    engine = create_engine(url)
    try:
        started = perf_counter()
        result = await import_file(session_factory(engine), "enterprises", path)
        return result.inserted, perf_counter() - started
    finally:
        await engine.dispose()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, db = Path(tmp) / "enterprises.csv", Path(tmp) / "bench.db"
        started = perf_counter()
        write_rows(csv_path, count)
        print(f"generated {count:,} rows in {perf_counter() - started:.1f} s", file=sys.stderr)
        url = f"sqlite+aiosqlite:///{db}"
        migrations.upgrade(url)
        rows, seconds = asyncio.run(run_import(url, csv_path))
    print(f"rows={rows} seconds={seconds:.2f} rows_per_second={rows / seconds:,.0f}")


if __name__ == "__main__":
    main()
