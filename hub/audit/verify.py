"""Verification of the audit chain: pure, over record dicts, with no database code.

Runs inside the hub (``hub audit verify`` feeds it rows) and on an auditor's machine over an
export file::

    python -m hub.audit.verify export.jsonl

It needs only this module, ``hashing``, ``canonical`` and the ``cryptography`` package (a test
runs it with SQLAlchemy and ``hub.db`` blocked).

What is checked, and what each tampering looks like:

- **altered field** - the record's recomputed hash differs from its stored hash
  (``RECORD_ALTERED`` at that seq). If the tamperer also rewrote that stored hash, the next
  record's ``prev_hash`` no longer matches (``CHAIN_BROKEN``); if they recomputed every hash
  up to the head, the first signed checkpoint after it no longer matches
  (``CHECKPOINT_MISMATCH``, naming the checkpoint and the range it covers).
- **deleted record** - sequence numbers are allocated gap-free in the database, so a gap is a
  deletion (``RECORD_MISSING`` names the missing seq).
- **two records swapped** - ``seq`` is inside the hashed body, so a record under another
  record's number fails its hash (``RECORD_ALTERED`` at the first of the two).
- **inserted record** - a second record with a seq already seen (``RECORD_UNEXPECTED``), or,
  when the tamperer renumbered and re-hashed everything after it, a signed checkpoint that
  no longer matches (``CHECKPOINT_MISMATCH``).
- **tail cut** (records removed from the end) - nothing after the last record can witness
  its absence inside the chain, so the end is compared with two outside witnesses: the
  chain-head row (updated in the same transaction as every append; in an export, the
  ``header.head``) and the newest signed checkpoint. A log that ends before either is cut
  (``TAIL_CUT``). A tamperer who deletes the tail, rewinds the head row *and* deletes the
  newer checkpoints is caught only by checkpoints held outside the database: that is why
  checkpoints are published on ``GET /audit/checkpoints`` and carried by every export, and why
  ``--trusted`` accepts an older export whose checkpoints must still match.
- **checkpoints** - every signature must verify with a published key whose id is the hash of
  its bytes (``CHECKPOINT_SIGNATURE_INVALID``, ``CHECKPOINT_KEY_UNKNOWN``).
- **documents** - each stored document must hash to its name (``DOCUMENT_ALTERED``).

A pruned log (or ``--from SEQ``) starts from an *anchor*: a signed checkpoint whose head hash
stands in for every record before it.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hub.audit.canonical import CanonicalError
from hub.audit.hashing import (
    GENESIS_HASH,
    checkpoint_message,
    document_hash,
    public_key_id,
    record_body,
    record_hash,
)

EXPORT_FORMAT = "hub-audit-export/1"
EXIT_OK, EXIT_BROKEN, EXIT_UNREADABLE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    seq: int | None
    message: str


@dataclass(slots=True)
class Report:
    ok: bool = True
    records: int = 0
    checkpoints: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    anchor_seq: int = 0
    problem: Problem | None = None

    def summary(self) -> str:
        if self.problem is not None:
            where = f" at seq {self.problem.seq}" if self.problem.seq is not None else ""
            return f"BROKEN {self.problem.code}{where}: {self.problem.message}"
        span = f"seq {self.first_seq}..{self.last_seq}" if self.records else "no records"
        return (
            f"OK {self.records} records ({span}) from anchor {self.anchor_seq}, "
            f"{self.checkpoints} checkpoints verified"
        )


@dataclass(frozen=True, slots=True)
class Head:
    """Where the log claims to end (the chain-head row, or an export's header)."""

    seq: int
    hash: str


class _Stop(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _public_keys(keys: Iterable[Mapping[str, Any]]) -> dict[str, Ed25519PublicKey]:
    out = {}
    for key in keys:
        raw = base64.b64decode(key["public_key"])
        if key.get("algorithm", "ed25519") != "ed25519" or public_key_id(raw) != key["key_id"]:
            raise _Stop(Problem("KEY_INVALID", None, f"public key {key['key_id']} is malformed"))
        out[key["key_id"]] = Ed25519PublicKey.from_public_bytes(raw)
    return out


def checkpoint_valid(checkpoint: Mapping[str, Any], keys: Mapping[str, Ed25519PublicKey]) -> bool:
    key = keys.get(checkpoint["key_id"])
    if key is None:
        return False
    message = checkpoint_message(
        seq=checkpoint["seq"],
        head=checkpoint["head"],
        time=checkpoint["time"],
        kind=checkpoint["kind"],
        key_id=checkpoint["key_id"],
    )
    try:
        key.verify(base64.b64decode(checkpoint["signature"]), message)
    except (InvalidSignature, ValueError):
        return False
    return True


class ChainVerifier:
    """Feed records in seq order, then ``finish``. Stops at the first problem."""

    def __init__(
        self,
        *,
        checkpoints: Sequence[Mapping[str, Any]],
        public_keys: Iterable[Mapping[str, Any]],
        anchor: Mapping[str, Any] | None = None,
    ) -> None:
        self.report = Report()
        self._pins: dict[int, str] = {}
        self._previous_pin = 0
        try:
            keys = _public_keys(public_keys)
            for cp in sorted(checkpoints, key=lambda c: c["seq"]):
                if cp["key_id"] not in keys:
                    raise _Stop(
                        Problem("CHECKPOINT_KEY_UNKNOWN", cp["seq"], "signed by an unpublished key")
                    )
                if not checkpoint_valid(cp, keys):
                    raise _Stop(
                        Problem(
                            "CHECKPOINT_SIGNATURE_INVALID", cp["seq"], "signature does not verify"
                        )
                    )
                if self._pins.setdefault(cp["seq"], cp["head"]) != cp["head"]:
                    raise _Stop(
                        Problem("CHECKPOINT_CONFLICT", cp["seq"], "two signed heads for one seq")
                    )
                self.report.checkpoints += 1
            self._prev, self._expected = GENESIS_HASH, 1
            if anchor is not None:
                if self._pins.get(anchor["seq"]) != anchor["head"]:
                    raise _Stop(
                        Problem(
                            "ANCHOR_INVALID", anchor["seq"], "anchor is not a signed checkpoint"
                        )
                    )
                self._prev, self._expected = anchor["head"], anchor["seq"] + 1
                self.report.anchor_seq = self._previous_pin = anchor["seq"]
        except _Stop as stop:
            self.fail(stop.problem)

    @property
    def failed(self) -> bool:
        return self.report.problem is not None

    def fail(self, problem: Problem) -> None:
        if self.report.problem is None:
            self.report.problem, self.report.ok = problem, False

    def feed(self, record: Mapping[str, Any]) -> bool:
        """Check the next record; ``False`` once a problem is found (stop feeding)."""
        if self.failed:
            return False
        seq = record["seq"]
        if seq < self._expected:
            self.fail(
                Problem(
                    "RECORD_UNEXPECTED",
                    seq,
                    f"a record with seq {seq} came after seq {self._expected - 1}: inserted or duplicated",
                )
            )
            return False
        if seq > self._expected:
            self.fail(
                Problem(
                    "RECORD_MISSING",
                    self._expected,
                    f"seq {self._expected} is missing (next record is {seq}): deleted",
                )
            )
            return False
        try:
            digest = record_hash(self._prev, record_body(record))
        except (CanonicalError, ValueError, KeyError) as exc:
            self.fail(Problem("RECORD_MALFORMED", seq, str(exc)))
            return False
        if record.get("prev_hash") != self._prev:
            self.fail(
                Problem(
                    "CHAIN_BROKEN",
                    seq,
                    f"does not follow seq {seq - 1}: that record was altered and re-hashed, or a record was inserted or removed",
                )
            )
            return False
        if digest != record.get("hash"):
            self.fail(
                Problem(
                    "RECORD_ALTERED",
                    seq,
                    "content does not match its hash: a field was altered or the record moved",
                )
            )
            return False
        pin = self._pins.get(seq)
        if pin is not None and pin != digest:
            self.fail(
                Problem(
                    "CHECKPOINT_MISMATCH",
                    seq,
                    f"chain differs from the signed checkpoint at seq {seq}: a record in seq {self._previous_pin + 1}..{seq} was altered, inserted or removed and the chain recomputed",
                )
            )
            return False
        if pin is not None:
            self._previous_pin = seq
        if self.report.first_seq is None:
            self.report.first_seq = seq
        self.report.last_seq = seq
        self.report.records += 1
        self._prev, self._expected = digest, seq + 1
        return True

    def finish(self, head: Head | None) -> Report:
        """Compare the end of the log with the head and the newest checkpoint (tail cuts)."""
        if self.failed:
            return self.report
        last = self._expected - 1
        newest = max((s for s in self._pins if s >= self.report.anchor_seq), default=0)
        if head is not None and head.seq > last:
            self.fail(
                Problem(
                    "TAIL_CUT",
                    last + 1,
                    f"the log ends at seq {last} but its head is at seq {head.seq}: records were removed from the end",
                )
            )
        elif head is not None and head.seq < last:
            self.fail(
                Problem(
                    "RECORD_UNEXPECTED", head.seq + 1, f"records after the head (seq {head.seq})"
                )
            )
        elif head is not None and head.hash != self._prev:
            self.fail(
                Problem("HEAD_MISMATCH", last, "the last record's hash differs from the head's")
            )
        elif newest > last:
            self.fail(
                Problem(
                    "TAIL_CUT",
                    last + 1,
                    f"a signed checkpoint covers seq {newest} but the log ends at seq {last}: records were removed from the end",
                )
            )
        return self.report


def verify_records(
    records: Iterable[Mapping[str, Any]],
    *,
    checkpoints: Sequence[Mapping[str, Any]],
    public_keys: Iterable[Mapping[str, Any]],
    head: Head | None = None,
    anchor: Mapping[str, Any] | None = None,
    documents: Mapping[str, str] | None = None,
) -> Report:
    """Verify a whole log given as an iterable of record dicts in seq order."""
    verifier = ChainVerifier(checkpoints=checkpoints, public_keys=public_keys, anchor=anchor)
    for digest, text in (documents or {}).items():
        if document_hash(text) != digest:
            verifier.fail(
                Problem("DOCUMENT_ALTERED", None, f"document {digest} does not hash to its name")
            )
    for record in records:
        if not verifier.feed(record):
            break
    return verifier.finish(head)


# --- export files -------------------------------------------------------------------------


@dataclass(slots=True)
class Export:
    header: dict[str, Any]
    keys: list[dict[str, Any]] = field(default_factory=list)
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    documents: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def records(self) -> Iterator[dict[str, Any]]:
        assert self.path is not None
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                item = json.loads(line)
                if item.pop("type") == "record":
                    yield item


def read_export(path: Path) -> Export:
    """Read everything but the records (streamed later by ``Export.records``)."""
    export: Export | None = None
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            item = json.loads(line)
            kind = item.pop("type", None)
            if number == 1:
                if kind != "header" or item.get("format") != EXPORT_FORMAT:
                    raise ValueError(f"not a {EXPORT_FORMAT} file")
                export = Export(header=item, path=path)
            elif export is None:
                raise ValueError("missing header")
            elif kind == "key":
                export.keys.append(item)
            elif kind == "checkpoint":
                export.checkpoints.append(item)
            elif kind == "document":
                export.documents[item["sha256"]] = item["text"]
    if export is None:
        raise ValueError("empty file")
    return export


def verify_export(path: Path, trusted: Sequence[Path] = ()) -> Report:
    """Verify an export on its own; ``trusted`` older exports add their signed checkpoints
    (checked with their own keys), so a history rewritten and re-signed since is caught."""
    export = read_export(path)
    checkpoints = list(export.checkpoints)
    keys = {k["key_id"]: k for k in export.keys}
    for other in trusted:
        older = read_export(other)
        checkpoints.extend(older.checkpoints)
        for key in older.keys:
            keys.setdefault(key["key_id"], key)
    head = export.header.get("head")
    return verify_records(
        export.records(),
        checkpoints=checkpoints,
        public_keys=list(keys.values()),
        head=Head(seq=head["seq"], hash=head["hash"]) if head else None,
        anchor=export.header.get("anchor"),
        documents=export.documents,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hub.audit.verify", description="Verify an audit export (JSON lines)."
    )
    parser.add_argument("export", type=Path)
    parser.add_argument(
        "--trusted",
        type=Path,
        action="append",
        default=[],
        help="an older export whose checkpoints must still hold",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        report = verify_export(args.export, args.trusted)
    except (OSError, ValueError, KeyError) as exc:
        print(f"UNREADABLE: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.json:
        problem = report.problem
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "records": report.records,
                    "checkpoints": report.checkpoints,
                    "problem": None
                    if problem is None
                    else {"code": problem.code, "seq": problem.seq, "message": problem.message},
                }
            )
        )
    else:
        print(report.summary())
    return EXIT_OK if report.ok else EXIT_BROKEN


if __name__ == "__main__":
    sys.exit(main())
