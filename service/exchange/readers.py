"""Reading import files into entries: one per record, with its raw data or why it is unreadable.

Files are read line by line from a seekable binary file, so that a file can be read twice (checked,
then stored) without being held in memory. A line that is not UTF-8 or not JSON is that
record's error, never the whole request's.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from service.claims.service import CREATION_RATIONALE
from service.claims.statuses import INITIAL_STATUS, ClaimKind, Status
from service.errors import ProblemError
from service.exchange.export import CSV_COLUMNS, FORMULA_START, TAG_SEPARATOR
from service.json_bodies import unpaired_surrogate

BOM = b"\xef\xbb\xbf"
# UTF-8 cannot encode a surrogate, so a line's JSON holds one only where it escapes one: the
# values of a line without such an escape (most lines) need not be searched for a lone one.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
RECORD = "record"  # the field named by errors that concern a whole record
CSV_REQUIRED = ("text", "kind")
CSV_IMPORTED = (
    "uid",
    "text",
    "kind",
    "claimant",
    "claim_date",
    "language",
    "tags",
    "status",
    "review_due",
    "summary",
    "created_at",
    "created_by",
)
CSV_STATUS_RATIONALE = "Status as given by a CSV import (a CSV row carries no timeline)."


@dataclass(frozen=True)
class RecordError:
    field: str
    message: str
    line: int | None = None
    item: int | None = None


@dataclass(frozen=True)
class RecordWarning:
    """Something an import repaired or dropped, named by the file's own property."""

    property: str
    message: str
    line: int | None = None
    item: int | None = None


@dataclass
class Entry:
    """One record of a file: its data, or the errors that kept it from being read."""

    line: int | None = None
    item: int | None = None
    data: dict[str, Any] | None = None
    errors: list[RecordError] = field(default_factory=list)
    warnings: list[RecordWarning] = field(default_factory=list)
    # Names the data's faults ({record path: messages}) in the file's own terms, once each
    # (ClaimReview: `claimReviewed`, not `text`); None keeps the record's paths.
    rename: Callable[[dict[str, list[str]]], dict[str, list[str]]] | None = None

    def error(self, field_name: str, message: str) -> Entry:
        self.errors.append(RecordError(field_name, message, self.line, self.item))
        return self

    def warn(self, property_name: str, message: str) -> None:
        self.warnings.append(RecordWarning(property_name, message, self.line, self.item))


class ImportRefusedError(ProblemError):
    """The file, or records in it, cannot be imported; nothing was stored."""

    status = 422
    slug = "import-refused"

    @classmethod
    def listing(
        cls, detail: str, errors: list[RecordError], **extensions: Any
    ) -> ImportRefusedError:
        by_field: dict[str, list[str]] = {}
        for error in errors:
            where = f"item {error.item}" if error.item is not None else f"line {error.line}"
            by_field.setdefault(f"{where}: {error.field}", []).append(error.message)
        listed = [
            {"line": e.line, "item": e.item, "field": e.field, "message": e.message} for e in errors
        ]
        return cls(detail, errors=by_field, invalid_records=listed, **extensions)


def ndjson_entries(body: BinaryIO) -> Iterator[Entry]:
    """One claim record (a JSON object) per line; blank lines are skipped."""
    body.seek(0)
    for number, raw in enumerate(body, start=1):
        if number == 1:
            raw = raw.removeprefix(BOM)
        if not raw.strip():
            continue
        entry = Entry(line=number)
        text = _decoded(raw, entry)
        if text is None:
            yield entry
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            yield entry.error(RECORD, f"not JSON: {error.msg} (column {error.colno})")
            continue
        except RecursionError:
            yield entry.error(RECORD, "not JSON this service reads: nested too deeply")
            continue
        if not isinstance(data, dict):
            yield entry.error(RECORD, "each line must be a JSON object: one claim record")
            continue
        path = unpaired_surrogate(data) if SURROGATE_ESCAPE.search(raw) else None
        if path is not None:
            yield entry.error(path or RECORD, "holds an unpaired surrogate: not valid Unicode")
            continue
        entry.data = data
        yield entry


def csv_entries(body: BinaryIO, now: str) -> Iterator[Entry]:
    """One claim per row, under a header row naming the columns (those of the CSV export).

    A row can give a status other than its kind's initial one; it is reached by one move at
    `created_at` (or `now`), and a verdict still needs evidence, which CSV cannot carry.
    """
    body.seek(0)
    undecodable: dict[int, str] = {}

    def lines() -> Iterator[str]:
        for number, raw in enumerate(body, start=1):
            if number == 1:
                raw = raw.removeprefix(BOM)
            probe = Entry(line=number)
            text = _decoded(raw, probe)
            if text is None:
                undecodable[number] = probe.errors[0].message
                text = raw.decode("utf-8", errors="replace")
            yield text

    reader = csv.reader(lines(), strict=True)
    header = _csv_header(reader, undecodable)
    last_line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Entry(line=last_line + 1).error(RECORD, f"not CSV: {error}")
            return
        first_line, last_line = last_line + 1, reader.line_num
        entry = Entry(line=first_line)
        bad = [n for n in range(first_line, last_line + 1) if n in undecodable]
        if bad:
            yield entry.error(RECORD, f"line {bad[0]}: {undecodable[bad[0]]}")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield entry.error(RECORD, f"{len(row)} cells, but the header names {len(header)}")
            continue
        entry.data = record_from_csv(dict(zip(header, row, strict=True)), now)
        yield entry


def record_from_csv(row: dict[str, str], now: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: _unescaped(value)
        for name, value in row.items()
        if name in CSV_IMPORTED and value != ""
    }
    if "tags" in data:
        data["tags"] = [t.strip() for t in data["tags"].split(TAG_SEPARATOR) if t.strip()]
    kind, status = data.get("kind"), data.get("status")
    if kind in set(ClaimKind) and status in set(Status) and status != INITIAL_STATUS[kind]:
        at = data.get("created_at", now)
        initial = INITIAL_STATUS[ClaimKind(kind)].value
        data["timeline"] = [
            {"to_status": initial, "rationale": CREATION_RATIONALE, "created_at": at},
            {
                "from_status": initial,
                "to_status": status,
                "rationale": CSV_STATUS_RATIONALE,
                "created_at": at,
            },
        ]
    return data


def _unescaped(cell: str) -> str:
    """The text of a cell that the CSV export kept from running as a formula (one `'` off)."""
    return cell[1:] if FORMULA_START.match(cell, 1) and cell.startswith("'") else cell


def _csv_header(reader, undecodable: dict[int, str]) -> list[str]:
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        header = []
    except csv.Error as error:
        raise _header_error(RECORD, f"not CSV: {error}") from None
    if 1 in undecodable:
        raise _header_error(RECORD, undecodable[1])
    if not header:
        raise _header_error(RECORD, "the file is empty: the first line must name the columns")
    for name in CSV_REQUIRED:
        if name not in header:
            raise _header_error(name, "missing column: every row needs it")
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        raise _header_error(unknown[0], f"unknown column; known: {', '.join(CSV_COLUMNS)}")
    if len(set(header)) != len(header):
        raise _header_error(RECORD, "a column is named twice")
    return header


def _header_error(field_name: str, message: str) -> ImportRefusedError:
    error = RecordError(field_name, message, line=1)
    return ImportRefusedError.listing(f"The CSV header is unusable: {message}", [error])


def _decoded(raw: bytes, entry: Entry) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        entry.error(
            RECORD,
            f"not UTF-8: byte {error.start + 1} of the line is {raw[error.start]:#04x} "
            "(save the file as UTF-8)",
        )
        return None
