"""The demo data set as plain rows: what the generator produces and the loader writes.

Rows are dictionaries of column values. They never hold database ids: a row refers to
another by its natural key, under a key named after the relationship (``"enterprise"``
holds a USCC, ``"project"`` a project code, ``"account"`` a ``(bank_name, account_number)``
pair, ``"legal_representative"`` a resident ID number); the loader turns those into ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
AccountKey = tuple[str, str]


@dataclass
class BlacklistCase:
    """One blacklist entry with everything that hangs off it.

    ``persons`` are ``(resident ID number, PersonRole)``; each publication names the
    decision it publishes by its index in ``decisions``; each measure names its department
    by code.
    """

    entry: Row
    persons: list[tuple[str, Any]] = field(default_factory=list)
    decisions: list[Row] = field(default_factory=list)
    publications: list[Row] = field(default_factory=list)
    measures: list[Row] = field(default_factory=list)


@dataclass
class DemoData:
    departments: list[Row] = field(default_factory=list)
    persons: list[Row] = field(default_factory=list)
    enterprises: list[Row] = field(default_factory=list)
    credit_records: list[Row] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)
    accounts: list[Row] = field(default_factory=list)
    transactions: list[Row] = field(default_factory=list)
    controls: list[Row] = field(default_factory=list)
    blacklist: list[BlacklistCase] = field(default_factory=list)
    investigations: list[Row] = field(default_factory=list)
    anomalies: list[Row] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rows per table, in the order the loader writes them."""
        return {
            "departments": len(self.departments),
            "persons": len(self.persons),
            "enterprises": len(self.enterprises),
            "credit_records": len(self.credit_records),
            "projects": len(self.projects),
            "wage_accounts": len(self.accounts),
            "account_transactions": len(self.transactions),
            "account_controls": len(self.controls),
            "blacklist_entries": len(self.blacklist),
            "blacklist_entry_persons": sum(len(c.persons) for c in self.blacklist),
            "blacklist_decisions": sum(len(c.decisions) for c in self.blacklist),
            "blacklist_publications": sum(len(c.publications) for c in self.blacklist),
            "disciplinary_measures": sum(len(c.measures) for c in self.blacklist),
            "investigations": len(self.investigations),
            "investigation_projects": sum(len(i["projects"]) for i in self.investigations),
            "anomalies": len(self.anomalies),
        }
