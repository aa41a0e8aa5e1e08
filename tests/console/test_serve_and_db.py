"""``hub db`` and ``hub serve`` as an operator runs them."""

import pytest

from tests.support.databases import fresh_database
from tests.support.processes import hub, post_json, running_hub


@pytest.mark.slow
def test_serve_refuses_an_unmigrated_database_then_serves_after_upgrade(tmp_path) -> None:
    with fresh_database(tmp_path) as url:
        refused = hub("serve", database_url=url)
        assert refused.returncode == 3
        assert "hub db upgrade" in refused.stderr
        assert "none (head is" in hub("db", "current", database_url=url).stdout
        hub("db", "upgrade", database_url=url, check=True)
        assert "(head)" in hub("db", "current", database_url=url).stdout
        with running_hub(url) as base:
            r = post_json(f"{base}/graphql", {"query": "{ blacklistEntries { totalCount } }"})
            assert r.json() == {"data": {"blacklistEntries": {"totalCount": 0}}}
        hub("db", "downgrade", "base", database_url=url, check=True)
        assert "none" in hub("db", "current", database_url=url).stdout
