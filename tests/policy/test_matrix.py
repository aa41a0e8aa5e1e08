"""``schema/access-matrix.md`` is what the shipped policy produces, cell for cell."""

from pathlib import Path

from hub.console.policy import profile_scopes
from hub.policy.document import load_shipped_policy
from hub.policy.matrix import render_markdown
from hub.policy.service import PolicyService
from hub.settings import Settings

MATRIX = Path(__file__).resolve().parents[2] / "schema" / "access-matrix.md"


def test_access_matrix_matches_the_policy() -> None:
    compiled = PolicyService(Settings()).compile(load_shipped_policy())
    assert MATRIX.read_text(encoding="utf-8") == render_markdown(compiled, profile_scopes()), (
        "schema/access-matrix.md has drifted; regenerate it with "
        "`hub policy matrix --format md > schema/access-matrix.md` and review the diff"
    )


def _audit_coordinate(c: str) -> bool:
    return c.startswith(("Audit", "SubjectAccess.", "Query.audit", "Query.subjectAccessReport"))


def test_matrix_cells_the_memorandums_care_about() -> None:
    text = MATRIX.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| field |"))
    names = [c.strip() for c in header.strip("|").split("|")][1:]
    rows = {
        line.split("|")[1].strip().strip("`"): dict(zip(names, (c.strip() for c in line.strip("|").split("|")[1:]), strict=True))
        for line in text.splitlines() if line.startswith("| `")
    }
    assert rows["WageAccount.accountNumber"]["MSB"] == "·"
    assert rows["WageAccount.accountNumber"]["BANK"] == "visible"
    assert rows["WageAccount.accountNumber"]["DISTRICT"] == "masked"
    assert rows["Person.idNumber"]["PUBLIC"] == "·"
    assert rows["Person.idNumber"]["HRSS"] == "visible"
    assert rows["Person.idNumber"]["MSB"] == "masked"
    for profile in ("AUDITOR", "ADMIN"):
        business = [c for c, cells in rows.items() if cells[profile] != "·" and not c.startswith(("Query.viewer", "Viewer.", "Node."))
                    and not _audit_coordinate(c)]
        assert business == [], f"{profile} sees business data: {business}"
    assert rows["AuditRecord.subjectsPerson"]["AUDITOR"] == "visible"
    assert all(rows["AuditRecord.clientId"][p] == "·" for p in ("HRSS", "DISTRICT", "BANK", "ADMIN", "PUBLIC"))
