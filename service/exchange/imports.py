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

import gc
import pickle
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import marshmallow as ma
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.db import utcnow
from service.errors import ProblemError, flatten_messages
from service.exchange.claimreview_in import claimreview_entries
from service.exchange.readers import (
    Entry,
    ImportRefusedError,
    RecordError,
    RecordWarning,
    csv_entries,
    ndjson_entries,
)
from service.exchange.schemas import ClaimRecord
from service.exchange.store import CHUNK, Store

Progress = Callable[[str, int], None]  # (phase: "checking" | "storing", records done)
MAX_WARNINGS = 1000


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
    reviews_created: int = 0
    publishers_created: int = 0
    unmapped_labels: Counter = field(default_factory=Counter)
    warnings: list[RecordWarning] = field(default_factory=list)
    warnings_truncated: bool = False
    errors: list[RecordError] = field(default_factory=list)
    errors_truncated: bool = False

    def warn(self, warnings: list[RecordWarning]) -> None:
        room = MAX_WARNINGS - len(self.warnings)
        self.warnings.extend(warnings[: max(room, 0)])
        self.warnings_truncated = self.warnings_truncated or len(warnings) > room

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
    entries: Iterable[Entry],
    report: ImportReport,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every entry, then store the good ones; the caller commits.

    The records checked wait in a temporary file, not in memory, until every one is: a file
    of any size is read and checked once.
    """
    with tempfile.TemporaryFile(prefix="claimtrack-import-") as checked:
        _check(entries, report, checked, progress)
        checked.seek(0)
        if report.records <= CHUNK:  # one batch: a full collection would cost more than it saves
            return _store(session, _spooled(checked), report, progress)
        with _long_lived_frozen():
            return _store(session, _spooled(checked), report, progress)


@contextmanager
def _long_lived_frozen() -> Iterator[None]:
    """Leave what the process held before the import out of the garbage collector's full
    collections while it runs.

    An import makes and drops millions of objects in reference cycles (the ORM's), so the
    collector runs a full collection every few hundred records; each one would walk the
    application's own hundreds of thousands of long-lived objects as well (its modules, the
    analysers' dictionaries), a quarter of the import's time at 30,000 records.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _check(
    entries: Iterable[Entry], report: ImportReport, checked: BinaryIO, progress: Progress | None
) -> None:
    schema = ClaimRecord()
    for entry in entries:
        report.records += 1
        report.warn(entry.warnings)
        errors = entry.errors
        if not errors:
            record, errors = _checked(schema, entry)
        if errors:
            report.fail(errors)
        else:
            entry.data, entry.warnings = record, []
            pickle.dump(entry, checked, protocol=pickle.HIGHEST_PROTOCOL)
        if progress:
            progress("checking", report.records)
    if report.records == 0:
        raise ImportRefusedError.listing(
            "The file holds no records.", [RecordError("record", "no records", line=1)]
        )
    if report.failed and report.mode == "all":
        raise report.refusal()


def _spooled(checked: BinaryIO) -> Iterator[Entry]:
    while True:
        try:
            yield pickle.load(checked)
        except EOFError:
            return


def _store(
    session: Session, checked: Iterable[Entry], report: ImportReport, progress: Progress | None
) -> ImportReport:
    """Store the entries checked, a batch at a time."""
    store = Store(session)
    batch: list[tuple[Entry, dict[str, Any]]] = []
    done = 0
    for entry in checked:
        batch.append((entry, entry.data))
        if len(batch) == CHUNK:
            done = _stored(session, store, batch, report, done, progress)
            batch = []
    if batch:
        done = _stored(session, store, batch, report, done, progress)
    if report.failed and report.mode == "all":
        raise report.refusal()
    report.warn(store.links.make(session))
    session.flush()
    report.sources_created = store.tally.sources_created
    report.publishers_created = store.tally.publishers_created
    report.reviews_created = store.tally.reviews_created
    report.unmapped_labels = store.tally.unmapped_labels
    return report


def _stored(
    session: Session,
    store: Store,
    batch: list[tuple[Entry, dict[str, Any]]],
    report: ImportReport,
    done: int,
    progress: Progress | None,
) -> int:
    """Store a batch in one go; when a record in it fails, store them one at a time instead,
    so that the bad one is named (and, in partial mode, the others kept)."""
    try:
        with session.begin_nested():
            outcomes = store.batch([record for _entry, record in batch])
    except (ProblemError, IntegrityError):
        store.reset()
        outcomes = []
        for entry, record in batch:
            try:
                with session.begin_nested():
                    outcomes.append(store.record(record))
            except ProblemError as error:
                store.reset()
                report.fail(_errors_of(error, entry))
    for outcome in outcomes:
        setattr(report, outcome, getattr(report, outcome) + 1)
        done += 1
        if progress:
            progress("storing", done)
    store.clear()
    return done


def _checked(schema: ma.Schema, entry: Entry) -> tuple[dict[str, Any], list[RecordError]]:
    """The entry's record as the schema loads it, or the errors that keep it from loading."""
    try:
        return schema.load(entry.data), []
    except ma.ValidationError as error:
        flat = flatten_messages({"json": error.messages})
        named = entry.rename(flat) if entry.rename else flat
        return {}, [
            RecordError(name, message, entry.line, entry.item)
            for name, messages in named.items()
            for message in messages
        ]


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
        return run_import(session, claimreview_entries(body), report, progress)
    if format == "csv":
        now = utcnow().isoformat()
        return run_import(session, csv_entries(body, now), report, progress)
    return run_import(session, ndjson_entries(body), report, progress)
