"""The import pipeline: read, validate every row, check against the database, write all.

1. the file is read (:mod:`hub.imports.formats`); a CSV header naming an unknown column or
   missing a required one stops the import at once (line 1);
2. every row is validated against its kind's schema (:mod:`hub.imports.schemas`); a row whose
   natural key repeats an earlier row of the file is an error;
3. in one write transaction, the kind resolves references and looks for keys already in the
   hub (:mod:`hub.imports.kinds`);
4. if any row was bad, :class:`~hub.imports.errors.ImportFailed` is raised and the
   transaction rolls back: nothing of the file is written. Otherwise every row is written
   and the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any, Protocol

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.db.engine import unit_of_work
from hub.errors import InvalidInput
from hub.imports.errors import DEFAULT_ERROR_LIMIT, ErrorCollector, ImportFailed
from hub.imports.formats import Format, count_rows, csv_header, detect_format, read_rows
from hub.imports.kinds import KINDS, Kind, Parsed

_ADVANCE_EVERY = 1000


class Progress(Protocol):
    def start(self, phase: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...


class _NoProgress:
    def start(self, phase: str, total: int) -> None:
        pass

    def advance(self, n: int) -> None:
        pass


@dataclass(frozen=True)
class ImportResult:
    kind: str
    path: Path
    format: Format
    rows: int
    inserted: int
    updated: int
    seconds: float


def kind_of(name: str) -> Kind[Any]:
    try:
        return KINDS[name]()
    except KeyError:
        raise InvalidInput(
            f"unknown import kind {name!r}: one of {', '.join(KINDS)}", field="kind"
        ) from None


async def import_file(
    sessions: async_sessionmaker[AsyncSession],
    kind: str,
    path: str | Path,
    *,
    fmt: Format | str | None = None,
    progress: Progress | None = None,
    error_limit: int = DEFAULT_ERROR_LIMIT,
) -> ImportResult:
    """Import one file of one kind, all rows or none; raises ImportFailed on bad rows."""
    started = perf_counter()
    path = Path(path)
    spec = kind_of(kind)
    fmt = detect_format(path, fmt)
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="file")
    progress = progress or _NoProgress()
    errors = ErrorCollector(error_limit)

    if fmt is Format.CSV:
        _check_header(spec, csv_header(path), errors)
        if errors:
            raise ImportFailed(path, errors)
    progress.start("validating", count_rows(path, fmt))
    rows = _validate(spec, path, fmt, errors, progress)

    async with unit_of_work(sessions, write=True) as session:
        await spec.check(session, rows, errors)
        if errors:
            raise ImportFailed(path, errors)
        progress.start("writing", len(rows))
        inserted, updated = await spec.write(session, rows, progress.advance)
    return ImportResult(spec.name, path, fmt, len(rows), inserted, updated,
                        perf_counter() - started)


def _check_header(spec: Kind[Any], header: list[str], errors: ErrorCollector) -> None:
    fields = spec.schema.model_fields
    if not header:
        errors.add(1, None, "the file is empty: a CSV file starts with a header row")
        return
    for column in sorted({h for h in header if header.count(h) > 1}):
        errors.add(1, column, "column appears more than once in the header")
    for column in header:
        if column not in fields:
            errors.add(1, column, f"unknown column (columns of {spec.name}: "
                                  f"{', '.join(fields)})")
    for name, info in fields.items():
        if info.is_required() and name not in header:
            errors.add(1, name, "required column is missing from the header")


def _validate(spec: Kind[Any], path: Path, fmt: Format, errors: ErrorCollector,
              progress: Progress) -> list[Parsed[Any]]:
    rows: list[Parsed[Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    pending = 0
    key_field = spec.schema.key_fields[-1]
    for line, values, problem in read_rows(path, fmt):
        pending += 1
        if pending == _ADVANCE_EVERY:
            progress.advance(pending)
            pending = 0
        if problem is not None or values is None:
            errors.add(line, None, problem or "unreadable row")
            continue
        try:
            row = spec.schema.model_validate(values)
        except ValidationError as exc:
            for e in exc.errors(include_url=False):
                errors.add(line, _field(e["loc"]), _reason(e))
            continue
        problems = row.problems()
        for field, reason in problems:
            errors.add(line, field, reason)
        if problems:
            continue
        key = row.key()
        if key in seen:
            shown = " / ".join(str(getattr(k, "value", k)) for k in key)
            errors.add(line, key_field, f"duplicate of line {seen[key]} ({shown})")
            continue
        seen[key] = line
        rows.append(Parsed(line, row))
    progress.advance(pending)
    return rows


def _field(loc: tuple[Any, ...]) -> str | None:
    return str(loc[0]) if loc else None


def _reason(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required, but missing or blank"
    if kind == "extra_forbidden":
        return "unknown column"
    return str(error["msg"])
