"""What goes wrong in an import, row by row.

Every problem is a :class:`RowError` naming the line of the file (1 is a CSV's header), the
column and the reason. They are collected up to a limit (the rest only counted) and raised
together as one :class:`ImportFailed`, after which nothing of the file has been written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hub.errors import InvalidInput

DEFAULT_ERROR_LIMIT = 100


@dataclass(frozen=True, order=True)
class RowError:
    line: int
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.reason}"


class ErrorCollector:
    """Keeps the first ``limit`` errors and counts all of them."""

    def __init__(self, limit: int = DEFAULT_ERROR_LIMIT) -> None:
        self.limit = limit
        self.errors: list[RowError] = []
        self.total = 0
        self.bad_lines: set[int] = set()

    def add(self, line: int, field: str | None, reason: str) -> None:
        self.total += 1
        self.bad_lines.add(line)
        if len(self.errors) < self.limit:
            self.errors.append(RowError(line, field, reason))

    def __bool__(self) -> bool:
        return self.total > 0


class ImportFailed(InvalidInput):
    """The file has bad rows; nothing of it was written."""

    def __init__(self, path: Path, collector: ErrorCollector) -> None:
        self.path = path
        self.errors = sorted(collector.errors)
        self.total = collector.total
        super().__init__(
            f"{path.name}: {self.total} error{'s' * (self.total != 1)}; nothing was imported",
            errors=[{"line": e.line, "field": e.field, "reason": e.reason} for e in self.errors],
            total=self.total,
        )

    @property
    def more(self) -> int:
        """Errors counted beyond those kept."""
        return self.total - len(self.errors)

    def lines(self) -> Iterator[str]:
        yield from (str(e) for e in self.errors)
        if self.more:
            yield f"... and {self.more} more"
