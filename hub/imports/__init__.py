"""``hub import KIND FILE``: validated, all-or-nothing import of CSV or JSON Lines files.

* :mod:`hub.imports.formats` — reading CSV and JSON Lines, with line numbers;
* :mod:`hub.imports.schemas` — one row model per kind, its columns documented;
* :mod:`hub.imports.kinds` — what each kind checks against the hub and how it writes;
* :mod:`hub.imports.repository` — the importer's SQL (look-ups by natural key, bulk writes);
* :mod:`hub.imports.errors` — row errors (line, field, reason) and :class:`ImportFailed`;
* :mod:`hub.imports.pipeline` — :func:`import_file`, tying them together.
"""

from hub.imports.columns import Column, columns
from hub.imports.errors import ImportFailed, RowError
from hub.imports.formats import Format
from hub.imports.kinds import KINDS
from hub.imports.pipeline import ImportResult, Progress, import_file

__all__ = [
    "KINDS",
    "Column",
    "Format",
    "ImportFailed",
    "ImportResult",
    "Progress",
    "RowError",
    "columns",
    "import_file",
]
