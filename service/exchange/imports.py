"""Importing claim records: every record is checked before any is stored.

One transaction by default: a bad record refuses the whole file (422 listing each bad one),
so nothing is half-imported. `partial` stores each good record in a savepoint of its own and
reports the bad ones. A dry run does all the work, then the caller rolls it back.

What is kept from the file, and what is not:
- A claim's identity is its fingerprint (service/claims/fingerprint.py). A record whose
  fingerprint is stored already counts as `existing` and is left as it is, so a second import
  of the same file writes nothing.
- Sources are matched by normalised URL; an unknown one is created from the record's fields.
  A known source is never changed by an import.
- Provenance is kept: `created_at`/`created_by` of the claim, its appearances, evidence and
  every timeline entry come from the file (a timeline's dates and authors are its history).
  `updated_at`/`updated_by` are this server's, and the audit log records the importer's key
  as the author of every row created, whatever the file says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import BinaryIO

import marshmallow as ma
from sqlalchemy.orm import Session

from service.db import utcnow
from service.errors import ProblemError, flatten_messages
from service.exchange.claimreview_in import claimreview_entries
from service.exchange.readers import (
    Entry,
    ImportRefusedError,
    RecordError,
    csv_entries,
    ndjson_entries,
)
from service.exchange.schemas import ClaimRecord
from service.exchange.store import CHUNK, Store

Progress = Callable[[str, int], None]  # (phase: "checking" | "storing", records done)


@dataclass
class ImportReport:
    format: str
    mode: str = "all"
    dry_run: bool = False
    max_errors: int = 100
    records: int = 0
    created: int = 0
    existing: int = 0
    failed: int = 0
    sources_created: int = 0
    errors: list[RecordError] = field(default_factory=list)
    errors_truncated: bool = False

    def fail(self, errors: list[RecordError]) -> None:
        self.failed += 1
        room = self.max_errors - len(self.errors)
        if room <= 0:
            self.errors_truncated = True
            return
        self.errors.extend(errors[:room])
        self.errors_truncated = self.errors_truncated or len(errors) > room

    def refusal(self) -> ImportRefusedError:
        return ImportRefusedError.listing(
            f"{self.failed} of {self.records} records are invalid; nothing was stored.",
            self.errors,
            records=self.records,
            failed=self.failed,
            errors_truncated=self.errors_truncated,
        )


def run_import(
    session: Session,
    entries: Callable[[], Iterable[Entry]],
    report: ImportReport,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every entry of `entries()`, then store the good ones; the caller commits.

    `entries` is called twice (check, then store), so that a file need not be held in memory.
    """
    schema = ClaimRecord()
    for entry in entries():
        report.records += 1
        errors = entry.errors or _checked(schema, entry)
        if errors:
            report.fail(errors)
        if progress:
            progress("checking", report.records)
    if report.records == 0:
        raise ImportRefusedError.listing(
            "The file holds no records.", [RecordError("record", "no records", line=1)]
        )
    if report.failed and report.mode == "all":
        raise report.refusal()

    store = Store(session)
    done = 0
    for entry in entries():
        if entry.errors:
            continue  # counted above
        try:
            record = schema.load(entry.data)
        except ma.ValidationError:
            continue  # counted above
        savepoint = session.begin_nested() if report.mode == "partial" else nullcontext()
        try:
            with savepoint:
                outcome = store.record(record)
        except ProblemError as error:
            store.forget_pending()
            report.fail(_errors_of(error, entry))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
        done += 1
        if progress:
            progress("storing", done)
        if done % CHUNK == 0:
            store.clear()
    if report.failed and report.mode == "all":
        raise report.refusal()
    session.flush()
    report.sources_created = store.sources_created
    return report


def _checked(schema: ma.Schema, entry: Entry) -> list[RecordError]:
    try:
        schema.load(entry.data)
    except ma.ValidationError as error:
        flat = flatten_messages({"json": error.messages})
        named = entry.rename(flat) if entry.rename else flat
        return [
            RecordError(name, message, entry.line, entry.item)
            for name, messages in named.items()
            for message in messages
        ]
    return []


def _errors_of(error: ProblemError, entry: Entry) -> list[RecordError]:
    if not error.errors:
        return [RecordError("record", error.detail, entry.line, entry.item)]
    named = entry.rename(error.errors) if entry.rename else error.errors
    return [
        RecordError(name, message, entry.line, entry.item)
        for name, messages in named.items()
        for message in messages
    ]


def import_file(
    session: Session,
    body: BinaryIO,
    format: str,
    *,
    mode: str = "all",
    dry_run: bool = False,
    max_errors: int = 100,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a seekable binary file: "ndjson", "csv" or "claimreview" (the HTTP routes and
    the CLI both come here). The caller commits, or rolls back a dry run."""
    report = ImportReport(format, mode, dry_run, max_errors)
    if format == "claimreview":
        return run_import(session, lambda: claimreview_entries(body), report, progress)
    if format == "csv":
        now = utcnow().isoformat()
        return run_import(session, lambda: csv_entries(body, now), report, progress)
    return run_import(session, lambda: ndjson_entries(body), report, progress)
