"""The audit log's cost: the same GraphQL query with the log on and off, in one run.

    python bench/audit_overhead.py [--database-url URL] [--requests N]

Loads the demo data into a fresh database (a temporary SQLite file by default), then sends
the query through the real ASGI app (auth, policy, execution, response) alternating between
the normal app and one whose audit appends are replaced by no-ops *in this process only*
(the hub has no switch to turn its log off). Prints p50/p99 latency and the overhead.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.support (real tokens)

import hub.web.graphql_endpoint as endpoint
from hub.db.engine import create_engine, session_factory
from hub.db.migrations import upgrade_with
from hub.demo import load_demo
from hub.settings import Settings
from hub.web.app import create_app
from tests.support.tokens import bearer_for  # noqa: E402

QUERY = """{ blacklistEntries(first: 20) { totalCount edges { node { status reason amountOwed
  enterprise { uscc name legalRepresentative { name } creditRecords(first: 5) { totalCount edges { node { kind decidedOn } } } } } } } }"""


async def _no_append(*_: object, **__: object) -> list[object]:
    return []


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def main(url: str, requests: int) -> None:
    engine = create_engine(url)
    await upgrade_with(engine)
    await load_demo(session_factory(engine))
    app = create_app(Settings(database_url=url, jobs_enabled=False, log_level="warning"))
    real = (endpoint.append_all, endpoint.append_within)
    timings: dict[str, list[float]] = {"on": [], "off": []}
    async with LifespanManager(app) as manager:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=manager.app), base_url="http://bench") as client:
            headers = await bearer_for(client, session_factory(engine), "HRSS")
            for i in range(requests * 2 + 20):
                mode = "on" if i % 2 else "off"
                endpoint.append_all, endpoint.append_within = real if mode == "on" else (_no_append, _no_append)
                start = time.perf_counter()
                response = await client.post("/graphql", json={"query": QUERY}, headers=headers)
                elapsed = (time.perf_counter() - start) * 1000
                assert response.status_code == 200 and "errors" not in response.json(), response.text
                if i >= 20:  # warm-up
                    timings[mode].append(elapsed)
    endpoint.append_all, endpoint.append_within = real
    await engine.dispose()
    print(f"machine: {platform.machine()}, {platform.processor() or platform.system()}, Python {platform.python_version()}")
    print(f"database: {url.split('://')[0]}; {requests} requests each, interleaved")
    for mode in ("off", "on"):
        t = timings[mode]
        print(f"audit {mode:>3}: p50 {statistics.median(t):7.2f} ms   p99 {percentile(t, 99):7.2f} ms")
    for p in (50, 99):
        off, on = percentile(timings["off"], p), percentile(timings["on"], p)
        print(f"overhead p{p}: {(on - off) / off * 100:+.1f}% ({on - off:+.2f} ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        asyncio.run(main(url, args.requests))
