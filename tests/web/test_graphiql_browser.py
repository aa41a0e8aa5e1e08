"""The README's path, as a newcomer takes it: migrate, load the demo, serve, get a token with
the printed credentials, and query from GraphiQL in a real Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from tests.support.databases import fresh_database
from tests.support.processes import hub, running_hub

CHROMIUM = Path("/usr/bin/chromium")
NESTED = """{
  blacklistEntries(first: 3, filter: {status: [LISTED]}) {
    totalCount
    edges { node { status enterprise { uscc name legalRepresentative { name }
      creditRecords(first: 2) { totalCount } } } }
  }
}"""


def _credentials(demo_output: str) -> dict[str, tuple[str, str]]:
    creds = {}
    for line in demo_output.splitlines():
        m = re.match(r"^\s+(HRSS|DISTRICT|DRC|MSB|BDC|BANK|AUDITOR|ADMIN)\s+(\S+)\s+(\S+)", line)
        if m:
            creds[m.group(1)] = (m.group(2), m.group(3))
    return creds


def _run_in_graphiql(browser, base: str, token: str, query: str) -> str:
    """Open GraphiQL in a fresh browser context whose storage already holds ``query`` and the
    token in the headers editor (as a user's earlier session would), run it, and return the
    result pane's text (the editor renders only the lines in view: the top of the result)."""
    context = browser.new_context()
    headers = json.dumps({"Authorization": f"Bearer {token}"})
    context.add_init_script(
        f"localStorage.clear(); localStorage.setItem('graphiql:query', {json.dumps(query)});"
        f"localStorage.setItem('graphiql:headers', {json.dumps(headers)});"
    )
    page = context.new_page()
    page.goto(f"{base}/graphql")
    page.wait_for_selector(".graphiql-execute-button", timeout=30_000)
    page.click(".graphiql-execute-button")
    page.wait_for_function(
        "() => { const r = document.querySelector('.result-window'); return r && r.innerText.includes('\"'); }",
        timeout=30_000,
    )
    text = page.inner_text(".result-window").replace("\xa0", " ")  # indents are rendered as nbsp
    context.close()
    return text


@pytest.mark.browser
@pytest.mark.slow
def test_demo_then_graphiql_shows_each_department_its_own_schema(tmp_path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    assert CHROMIUM.exists(), "install Debian's chromium (make browser)"
    with fresh_database(tmp_path) as url:
        hub("db", "upgrade", database_url=url, check=True)
        demo = hub("demo", database_url=url, check=True, timeout=300)
        creds = _credentials(demo.stdout)
        assert set(creds) == {"HRSS", "DISTRICT", "DRC", "MSB", "BDC", "BANK", "AUDITOR", "ADMIN"}, demo.stdout
        assert "curl -s -u" in demo.stdout
        with running_hub(url, HUB_JOBS_ENABLED="false") as base:
            tokens = {
                p: httpx.post(f"{base}/oauth/token", data={"grant_type": "client_credentials"}, auth=creds[p], timeout=30).json()["access_token"]
                for p in ("HRSS", "MSB")
            }
            with sync_api.sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=str(CHROMIUM),
                    args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync"],
                )
                shown = _run_in_graphiql(browser, base, tokens["HRSS"], NESTED)
                assert re.search(r'"totalCount": [1-9]\d*', shown), shown
                assert '"status": "LISTED"' in shown and re.search(r'"uscc": "[0-9A-Z]{18}"', shown), shown
                assert '"legalRepresentative": {' in shown and '"creditRecords": {' in shown
                denied = _run_in_graphiql(browser, base, tokens["MSB"], "{ wageAccounts { totalCount } }")
                assert "Cannot query field 'wageAccounts' on type 'Query'" in denied and "Did you mean" not in denied
                browser.close()
