"""Importing claim records: each is checked, then stored with its batch.

One transaction by default: a bad record refuses the whole file (422 listing each bad one)
before anything is stored, so nothing is half-imported. `partial` stores each good record in
a savepoint of its own and reports the bad ones. A dry run does all the work, then the
caller rolls it back.

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

import contextlib
import contextvars
import gc
import pickle
import queue
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, BinaryIO, cast

import marshmallow as ma
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

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
from service.orm import utcnow

Progress = Callable[[str, int], None]  # (phase: "checking" | "storing", records done)
MAX_WARNINGS = 1000
QUEUED = 2 * CHUNK  # records checked and waiting to be stored


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

    def put_first(self, checking: ImportReport) -> None:
        """Put checking's findings before storing's: the records read, then warnings and
        errors in the file's order, as if the whole file had been checked first."""
        self.records = checking.records
        self.failed += checking.failed
        errors, warnings = checking.errors + self.errors, checking.warnings + self.warnings
        self.errors_truncated = (
            checking.errors_truncated or self.errors_truncated or len(errors) > self.max_errors
        )
        self.warnings_truncated = (
            checking.warnings_truncated or self.warnings_truncated or len(warnings) > MAX_WARNINGS
        )
        self.errors, self.warnings = errors[: self.max_errors], warnings[:MAX_WARNINGS]

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
    """Check every entry and store the good ones, a batch at a time; the caller commits.

    In `all` mode the whole file is checked before anything is stored, so that a bad record
    refuses it at once: the records checked wait in a temporary file, not in memory. In
    `partial` mode a good record is stored whatever the others hold, so a thread checks the
    entries while this one stores those that passed: checking is Python alone, storing waits
    on the database much of its time, and each goes on while the other waits.
    """
    checking = ImportReport(report.format, report.mode, report.dry_run, report.max_errors)
    if report.mode == "all":
        with tempfile.TemporaryFile(prefix="claimtrack-import-") as spool:
            _check(entries, checking, partial(pickle.dump, file=spool, protocol=5), progress)
            if checking.failed:
                raise checking.refusal()
            spool.seek(0)
            store = _store(session, _spooled(spool), report, progress)
    else:
        with Checking(entries, checking, progress) as checked:
            store = _store(session, checked.passed(), report, progress)
    report.put_first(checking)
    if report.failed and report.mode == "all":
        raise report.refusal()
    report.warn(store.links.make(session))
    session.flush()
    report.sources_created = store.tally.sources_created
    report.publishers_created = store.tally.publishers_created
    report.reviews_created = store.tally.reviews_created
    report.unmapped_labels = store.tally.unmapped_labels
    return report


class Checking:
    """Entries checked in a thread of their own, handed over as they pass.

    At most QUEUED records wait to be stored, so an import holds as little as the file is
    large. What checking finds (records read, warnings, errors) goes to its own report; an
    exception it raises (a file that cannot be read, a deadline) is raised by `passed`.
    """

    def __init__(self, entries: Iterable[Entry], report: ImportReport, progress: Progress | None):
        self.report = report
        self._entries = entries
        self._progress = progress
        self._handed: queue.Queue[Entry | BaseException | None] = queue.Queue(maxsize=QUEUED)
        self._abandoned = threading.Event()
        # In this request's or command's context: what checks the records may read the app's.
        self._thread = threading.Thread(
            target=contextvars.copy_context().run, args=(self._run,), name="import-checking"
        )

    def __enter__(self) -> Checking:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._abandoned.set()  # when storing stopped early (an error), checking stops too
        self._thread.join()

    def passed(self) -> Iterator[Entry]:
        """The entries that passed, in the file's order, as they do."""
        while (item := self._handed.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item

    def _run(self) -> None:
        try:
            _check(self._entries, self.report, self._hand_over, self._checked)
            self._hand_over(None)
        except _Abandoned:
            return
        except BaseException as error:  # noqa: BLE001 - raised again in the storing thread
            with contextlib.suppress(_Abandoned):
                self._hand_over(error)

    def _checked(self, phase: str, done: int) -> None:
        """After each record, passed or not: stop if storing has, else report progress."""
        if self._abandoned.is_set():
            raise _Abandoned
        if self._progress:
            self._progress(phase, done)

    def _hand_over(self, item: Entry | BaseException | None) -> None:
        # Give the storing thread the interpreter back now, should the database have answered
        # it, rather than after Python's switch interval (5 ms): a few dozen times a batch.
        time.sleep(0)
        while not self._abandoned.is_set():
            with contextlib.suppress(queue.Full):
                self._handed.put(item, timeout=0.1)
                return
        raise _Abandoned


class _Abandoned(Exception):
    """Storing has stopped: nobody will take what checking hands over."""


class _Collector:
    """The garbage collector's settings while imports run, shared by those running at once
    (threads of one worker): the first to start sets them, the last to end puts back what
    the first found.

    An import makes and drops millions of objects in reference cycles (the ORM's), so the
    collector would run a full collection every few hundred records, each walking the
    application's own hundreds of thousands of long-lived objects as well (its modules, the
    analysers' dictionaries): a quarter of the import's time at 30,000 records. Those are
    frozen out of the collections while imports run. The youngest generation is collected
    after 20,000 new objects rather than 700: 8,800 collections for 50,000 ClaimReview
    records took 6.0 s of 79, against 2.7 s of 74 so (bench/HISTORY.md).
    """

    THRESHOLDS = (20_000, 50, 1_000)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._found = gc.get_threshold()

    @contextmanager
    def importing(self) -> Iterator[None]:
        with self._lock:
            if self._running == 0:
                gc.collect()
                gc.freeze()
                self._found = gc.get_threshold()
                gc.set_threshold(*self.THRESHOLDS)
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                if self._running == 0:
                    gc.set_threshold(*self._found)
                    gc.unfreeze()


COLLECTOR = _Collector()


def _check(
    entries: Iterable[Entry],
    report: ImportReport,
    keep: Callable[[Entry], None],
    progress: Progress | None,
) -> None:
    """Check each entry: `keep` those that pass, and report the others."""
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
            keep(entry)
        if progress:
            progress("checking", report.records)
    if report.records == 0:
        raise ImportRefusedError.listing(
            "The file holds no records.", [RecordError("record", "no records", line=1)]
        )


def _spooled(checked: BinaryIO) -> Iterator[Entry]:
    while True:
        try:
            yield pickle.load(checked)
        except EOFError:
            return


def _store(
    session: Session, checked: Iterable[Entry], report: ImportReport, progress: Progress | None
) -> Store:
    """Store the entries checked, a batch at a time."""
    store = Store(session)
    batch: list[tuple[Entry, dict[str, Any]]] = []
    done, collecting = 0, False
    with contextlib.ExitStack() as stack:
        for entry in checked:
            batch.append((entry, cast(dict[str, Any], entry.data)))  # checked: read
            if len(batch) == CHUNK:
                if not collecting:  # more than one batch: worth a full collection first
                    stack.enter_context(COLLECTOR.importing())
                    collecting = True
                done = _stored(session, store, batch, report, done, progress)
                batch = []
        if batch:
            done = _stored(session, store, batch, report, done, progress)
    return store


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
        return schema.load(cast(dict[str, Any], entry.data)), []  # read: no errors
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
    named = entry.rename(dict(error.errors)) if entry.rename else error.errors
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
