"""Every request path leaves exactly one record, found by its request id through the
auditors' own GraphQL API with a real AUDITOR token; and the subject access report end to end."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from hub.db.engine import create_engine, session_factory, unit_of_work
from hub.db.migrations import upgrade_with
from tests.support.databases import fresh_database
from tests.support.factories import Factory
from tests.support.http import gql, hub_client
from tests.support.tokens import bearer_for

RECORDS = """query($f: AuditRecordFilter) { auditRecords(filter: $f, first: 50) { records {
  seq requestId clientId profile operationType operationName outcome errorCodes fieldsServed fieldsMasked
  fieldsRefused subjectsUscc subjectsPerson rowCount purpose variables scopes policyVersion tokenJti } } }"""
PURPOSE = {"X-Hub-Purpose": "case DX-2026-201: verify arrears"}


@pytest.fixture(scope="module")
async def auditor(client, sessions) -> dict[str, str]:
    return await bearer_for(client, sessions, "AUDITOR")


@pytest.fixture(scope="module")
async def subject(sessions) -> dict[str, str]:
    async with unit_of_work(sessions, write=True) as s:
        f = Factory(s)
        e = await f.enterprise(district="110229")
        await s.refresh(e)
        from hub.domains.persons.models import Person

        rep = await s.get(Person, e.legal_representative_id)
        return {"uscc": e.uscc, "id_number": rep.id_number}


async def records_of(client, auditor, request_id: str) -> list[dict]:
    body = await gql(client, RECORDS, {"f": {"subject": None}}, headers=auditor)
    assert "errors" not in body, body
    return [r for r in body["data"]["auditRecords"]["records"] if r["requestId"] == request_id]


async def test_a_served_query_is_recorded_with_fields_subjects_and_purpose(client, hrss, auditor, subject) -> None:
    query = """query Lookup($u: String!) { enterprise(uscc: $u) { name legalRepresentative { name idNumber } } }"""
    r = await client.post("/graphql", json={"query": query, "variables": {"u": subject["uscc"]}, "operationName": "Lookup"},
                          headers={**hrss, **PURPOSE})
    assert r.status_code == 200 and "errors" not in r.json()
    [record] = await records_of(client, auditor, r.headers["x-request-id"])
    assert record["outcome"] == "OK" and record["profile"] == "HRSS" and record["operationName"] == "Lookup"
    assert {"Query.enterprise", "Enterprise.name", "Person.idNumber"} <= set(record["fieldsServed"])
    assert record["subjectsUscc"] == [subject["uscc"]]
    assert len(record["subjectsPerson"]) == 1 and subject["id_number"] not in str(record)
    assert record["purpose"] == PURPOSE["X-Hub-Purpose"]
    assert record["policyVersion"] == "1" and record["tokenJti"] and "person:read:identity" in record["scopes"]


async def test_masked_fields_are_recorded_as_masked(client, sessions, auditor, subject) -> None:
    msb = await bearer_for(client, sessions, "MSB")
    r = await client.post("/graphql", json={"query": "{ blacklistEntries(first: 1) { edges { node { persons { person { idNumber } } } } } }"}, headers=msb)
    [record] = await records_of(client, auditor, r.headers["x-request-id"])
    assert "Person.idNumber" in record["fieldsMasked"] and "Person.idNumber" not in record["fieldsServed"]


async def test_each_item_of_a_batch_has_its_own_record(client, hrss, auditor) -> None:
    r = await client.post("/graphql", headers=hrss, json=[
        {"query": "query A { enterprises(first: 1) { totalCount } }", "operationName": "A"},
        {"query": "query B { projects(first: 1) { totalCount } }", "operationName": "B"},
    ])
    records = await records_of(client, auditor, r.headers["x-request-id"])
    assert sorted(rec["operationName"] for rec in records) == ["A", "B"]


async def test_validation_errors_record_the_refused_field(client, sessions, auditor) -> None:
    msb = await bearer_for(client, sessions, "MSB")
    r = await client.post("/graphql", json={"query": "{ wageAccounts { edges { node { accountNumber } } } }"}, headers=msb)
    [record] = await records_of(client, auditor, r.headers["x-request-id"])
    assert record["outcome"] == "VALIDATION_ERROR" and record["errorCodes"] == ["GRAPHQL_VALIDATION_FAILED"]
    assert "Query.wageAccounts" in record["fieldsRefused"] and record["fieldsServed"] == []


async def test_policy_refusals_are_recorded(client, hrss, auditor, subject) -> None:
    r = await client.post("/graphql", headers=hrss, json={"query": '{ enterprises(first: 1) { edges { node { legalRepresentative { idNumber } } } } }'})
    [record] = await records_of(client, auditor, r.headers["x-request-id"])
    assert record["outcome"] == "FORBIDDEN" and record["errorCodes"] == ["PURPOSE_REQUIRED"]
    assert record["fieldsRefused"] == ["Person.idNumber"] and record["rowCount"] == 0


async def test_authentication_failures_and_malformed_bodies_are_recorded(client, auditor) -> None:
    r = await client.post("/graphql", json={"query": "{ viewer { profile } }"}, headers={"Authorization": "Bearer not-a-jwt"})
    assert r.status_code == 401
    [record] = await records_of(client, auditor, r.headers["x-request-id"])
    assert record["outcome"] == "UNAUTHENTICATED" and record["errorCodes"] == ["INVALID_TOKEN"]
    r = await client.post("/graphql", content=b"{oops", headers={"content-type": "application/json"})
    assert r.status_code == 400
    [record] = await records_of(client, auditor, r.headers["x-request-id"])
    assert record["outcome"] == "VALIDATION_ERROR" and record["profile"] == "PUBLIC"


async def test_sensitive_variables_and_literals_are_stored_as_keyed_hashes(client, auditor, subject) -> None:
    report = """query($s: String!) { subjectAccessReport(subject: $s) { clientId } }"""
    r = await client.post("/graphql", json={"query": report, "variables": {"s": subject["id_number"]}}, headers=auditor)
    assert r.status_code == 200
    [record] = await records_of(client, auditor, r.headers["x-request-id"])
    assert record["variables"]["s"].startswith("hmac:") and subject["id_number"] not in str(record)


async def test_subject_access_report_over_http(client, hrss, auditor, subject) -> None:
    q = "query($u: String!) { enterprise(uscc: $u) { name legalRepresentative { idNumber } } }"
    r = await client.post("/graphql", json={"query": q, "variables": {"u": subject["uscc"]}}, headers={**hrss, **PURPOSE})
    assert r.status_code == 200
    viewer = (await gql(client, "{ viewer { clientId } }", headers=hrss))["data"]["viewer"]["clientId"]
    report = """query($s: String!) { subjectAccessReport(subject: $s) { clientId profile purpose fieldsServed outcome } }"""
    for key in ("uscc", "id_number"):
        body = await gql(client, report, {"s": subject[key]}, headers=auditor)
        rows = body["data"]["subjectAccessReport"]
        mine = [row for row in rows if row["clientId"] == viewer and row["outcome"] == "OK"]
        assert mine, (key, rows)
        assert mine[-1]["purpose"] == PURPOSE["X-Hub-Purpose"] and "Person.idNumber" in mine[-1]["fieldsServed"]


async def test_the_chain_verifies_through_the_api(client, auditor) -> None:
    body = await gql(client, "{ auditVerification { ok records problem { code } summary } }", headers=auditor)
    result = body["data"]["auditVerification"]
    assert result["ok"] is True and result["records"] > 0, result


async def test_auditors_see_no_business_data(client, auditor) -> None:
    body = await gql(client, "{ enterprises { totalCount } }", headers=auditor)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_fail_closed_when_the_log_cannot_be_written(tmp_path) -> None:
    """No record, no answer: 503 and none of the data."""
    with fresh_database(tmp_path) as url:
        engine = create_engine(url)
        await upgrade_with(engine)
        async with hub_client(url) as c:
            ok = await c.post("/graphql", json={"query": "{ viewer { profile } }"})
            assert ok.status_code == 200
            async with engine.begin() as conn:
                if conn.dialect.name == "sqlite":
                    await conn.execute(text("CREATE TRIGGER block BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'log down'); END"))
                else:
                    await conn.execute(text("CREATE FUNCTION block() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'log down'; END $$"))
                    await conn.execute(text("CREATE TRIGGER block BEFORE INSERT ON audit_records FOR EACH ROW EXECUTE FUNCTION block()"))
            r = await c.post("/graphql", json={"query": "{ viewer { profile } }"})
            assert r.status_code == 503
            body = r.json()
            assert "data" not in body and body["errors"][0]["extensions"]["code"] == "AUDIT_UNAVAILABLE"
        await engine.dispose()


async def test_server_errors_are_masked_and_recorded(tmp_path) -> None:
    """A resolver that hits a broken table: the client sees INTERNAL with a request id and no
    SQL; the log records the error."""
    with fresh_database(tmp_path) as url:
        engine = create_engine(url)
        await upgrade_with(engine)
        sessions = session_factory(engine)
        async with hub_client(url) as c:
            hrss = await bearer_for(c, sessions, "HRSS")
            audit = await bearer_for(c, sessions, "AUDITOR")
            async with unit_of_work(sessions, write=True) as s:
                await Factory(s).enterprise()
            async with engine.begin() as conn:
                await conn.execute(text("ALTER TABLE persons RENAME TO persons_gone"))
            try:
                r = await c.post("/graphql", headers=hrss, json={
                    "query": "{ enterprises { totalCount edges { node { name legalRepresentative { name } } } } }"})
            finally:
                async with engine.begin() as conn:
                    await conn.execute(text("ALTER TABLE persons_gone RENAME TO persons"))
            body = r.json()
            [err] = body["errors"]
            assert err["extensions"]["code"] == "INTERNAL" and "request id" in err["message"]
            assert "persons" not in str(body).lower() and "select" not in str(body).lower()
            assert body["data"]["enterprises"]["totalCount"] == 1
            [record] = await records_of(c, audit, r.headers["x-request-id"])
            assert record["outcome"] == "PARTIAL" and record["errorCodes"] == ["INTERNAL"]
        await engine.dispose()


async def test_persisted_queries_run_through_the_same_path_and_log(client, hrss, auditor) -> None:
    import hashlib

    query = "query Persisted { enterprises(first: 1) { totalCount } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    ext = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    unknown = await client.post("/graphql", json={"extensions": ext}, headers=hrss)
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    [record] = await records_of(client, auditor, unknown.headers["x-request-id"])
    assert record["outcome"] == "VALIDATION_ERROR"
    wrong = await client.post("/graphql", json={"query": query + " ", "extensions": ext}, headers=hrss)
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["extensions"]["field"] == "extensions.persistedQuery.sha256Hash"
    first = await client.post("/graphql", json={"query": query, "extensions": ext}, headers=hrss)
    assert "errors" not in first.json()
    again = await client.post("/graphql", json={"extensions": ext}, headers=hrss)
    assert again.json() == first.json()
    [record] = await records_of(client, auditor, again.headers["x-request-id"])
    assert record["outcome"] == "OK" and record["operationName"] == "Persisted" and "Query.enterprises" in record["fieldsServed"]
    public = await client.post("/graphql", json={"extensions": ext})  # the policy still applies
    assert public.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_subject_hashes_use_the_key_of_the_log_they_go_to(client, hrss, auditor, subject, tmp_path) -> None:
    """Another database's keys loaded in the same process (its own app) must not change how
    this hub hashes the persons it discloses: the subject report by ID number still finds them."""
    with fresh_database(tmp_path) as other:
        engine = create_engine(other)
        await upgrade_with(engine)
        async with hub_client(other) as c:  # its lifespan loads the other database's keys
            assert (await c.post("/graphql", json={"query": "{ viewer { profile } }"})).status_code == 200
        await engine.dispose()
    q = "query($u: String!) { enterprise(uscc: $u) { legalRepresentative { idNumber } } }"
    r = await client.post("/graphql", json={"query": q, "variables": {"u": subject["uscc"]}}, headers={**hrss, **PURPOSE})
    report = """query($s: String!) { subjectAccessReport(subject: $s) { requestId } }"""
    rows = (await gql(client, report, {"s": subject["id_number"]}, headers=auditor))["data"]["subjectAccessReport"]
    assert r.headers["x-request-id"] in {row["requestId"] for row in rows}
