"""Reading an import file: CSV with a header row, or JSON Lines, one object per line.

Both readers yield ``(line number, values)`` with values as given: CSV cells are strings,
JSON numbers are :class:`~decimal.Decimal` (never float, so money keeps its digits). Blank
cells, JSON nulls and blank lines are dropped. A line that cannot be read yields
``(line, None, reason)``.
"""

from __future__ import annotations

import csv
import enum
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from hub.errors import InvalidInput


class Format(enum.Enum):
    CSV = "csv"
    JSONL = "jsonl"


_EXTENSIONS = {".csv": Format.CSV, ".jsonl": Format.JSONL, ".ndjson": Format.JSONL}

SourceRow = tuple[int, dict[str, Any] | None, str | None]


def detect_format(path: Path, given: Format | str | None = None) -> Format:
    """The explicit format if given, else the one the extension names."""
    if given is not None:
        return Format(given.lower()) if isinstance(given, str) else given
    try:
        return _EXTENSIONS[path.suffix.lower()]
    except KeyError:
        raise InvalidInput(
            f"cannot tell the format of {path.name} from its extension: name it .csv or "
            ".jsonl, or pass --format",
            field="format",
        ) from None


def count_rows(path: Path, fmt: Format) -> int:
    """Roughly how many rows the file holds (for a progress bar): its non-blank lines."""
    with path.open("rb") as f:
        lines = sum(1 for raw in f if raw.strip())
    return max(lines - (fmt is Format.CSV), 0)


def csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [h.strip() for h in next(csv.reader(f), [])]


def read_rows(path: Path, fmt: Format) -> Iterator[SourceRow]:
    try:
        yield from (_read_csv(path) if fmt is Format.CSV else _read_jsonl(path))
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 text ({exc.reason})", field="file") from None


def _read_csv(path: Path) -> Iterator[SourceRow]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader, [])]
        last = reader.line_num
        for cells in reader:
            line, last = last + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                yield line, None, f"{len(cells)} values, but the header has {len(header)} columns"
                continue
            yield line, {h: c.strip() for h, c in zip(header, cells, strict=True)
                         if c.strip()}, None


def _read_jsonl(path: Path) -> Iterator[SourceRow]:
    with path.open(encoding="utf-8-sig") as f:
        for line, text in enumerate(f, start=1):
            if not text.strip():
                continue
            try:
                value = json.loads(text, parse_float=Decimal)
            except json.JSONDecodeError as exc:
                yield line, None, f"not valid JSON: {exc.msg} at column {exc.colno}"
                continue
            if not isinstance(value, dict):
                yield line, None, "each line must be one JSON object"
                continue
            yield line, {str(k): v for k, v in value.items()
                         if v is not None and not (isinstance(v, str) and not v.strip())}, None
