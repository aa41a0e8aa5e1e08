"""Several uvicorn worker processes sharing one database: every response has exactly one
record, and the chain stays single, gap-free and verifiable."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa

from tests.support.databases import fresh_database
from tests.support.processes import hub, running_hub

REQUESTS = 36
THREADS = 4


@pytest.mark.slow
def test_concurrent_requests_on_several_workers_leave_one_record_each(tmp_path) -> None:
    with fresh_database(tmp_path) as url:
        hub("db", "upgrade", database_url=url, check=True)
        created = json.loads(hub("client", "create", "--name", "load-test", "--profile", "HRSS", "--json",
                                 database_url=url, check=True).stdout)
        with running_hub(url, workers=2, HUB_JOBS_ENABLED="false") as base:
            token = httpx.post(f"{base}/oauth/token", data={"grant_type": "client_credentials"},
                               auth=(created["client_id"], created["client_secret"]), timeout=30).json()["access_token"]

            def call(i: int) -> tuple[int, str]:
                headers = {"Authorization": f"Bearer {token}"} if i % 3 else {}
                query = "{ viewer { profile } }" if i % 4 else "{ blacklistEntries { totalCount } }"
                r = httpx.post(f"{base}/graphql", json={"query": query}, headers=headers, timeout=60)
                return r.status_code, r.headers["x-request-id"]

            with ThreadPoolExecutor(THREADS) as pool:
                results = list(pool.map(call, range(REQUESTS)))
        assert {status for status, _ in results} == {200}
        request_ids = [rid for _, rid in results]
        engine = sa.create_engine(sa.engine.make_url(url).set(drivername="postgresql+psycopg2" if url.startswith("postgresql") else "sqlite"))
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT seq, request_id FROM audit_records ORDER BY seq")).all()
        engine.dispose()
        seqs = [seq for seq, _ in rows]
        assert seqs == list(range(1, len(seqs) + 1)), "the chain has a gap or a duplicate"
        logged = [rid for _, rid in rows]
        assert all(logged.count(rid) == 1 for rid in request_ids), "a response without exactly one record"
        verified = hub("audit", "verify", database_url=url)
        assert verified.returncode == 0, verified.stdout + verified.stderr
