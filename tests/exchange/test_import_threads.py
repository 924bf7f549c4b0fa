"""How an import runs: a partial import checks in a thread while it stores (what either side
raises stops both, and the records checked but not stored yet stay few, whatever the file's
size), the garbage collector is set for imports while they run, and every row written gets a
uid of its own."""

from __future__ import annotations

import gc
import io
import threading
import time
import uuid

import pytest
from exchange_helpers import ndjson
from sqlalchemy import text

from service import db
from service.exchange import imports

RECORDS = [{"text": f"Claim {number}", "kind": "factual"} for number in range(300)]


class Stop(Exception):
    pass


def run(app, records, progress):
    with app.test_request_context("/api/v1/import/claims", method="POST"):
        session = db.session()
        try:
            body = io.BytesIO(ndjson(*records).encode())
            return imports.import_file(session, body, "ndjson", mode="partial", progress=progress)
        finally:
            session.rollback()


def checking_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "import-checking"]


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 10)
    monkeypatch.setattr(imports, "QUEUED", 20)


@pytest.mark.parametrize("phase", ["checking", "storing"])
def test_an_error_on_either_side_stops_the_import_and_its_thread(app, phase):
    def progress(at: str, done: int) -> None:
        if (at, done) == (phase, 50):
            raise Stop(at)

    with pytest.raises(Stop, match=phase):
        run(app, RECORDS, progress)
    assert checking_threads() == []


def test_checking_stops_when_storing_has_even_among_bad_records(app):
    """Bad records are not handed over, so checking must notice by itself that storing stopped,
    rather than read the rest of the file for nobody."""
    records = RECORDS[:20] + [{"text": "x", "kind": "rumour"}] * 3000
    checked = []

    def progress(phase: str, done: int) -> None:
        if phase == "checking":
            checked.append(done)
            time.sleep(0.001)  # 3 s for the whole file
        elif done == 10:
            raise Stop(phase)

    with pytest.raises(Stop):
        run(app, records, progress)
    assert checking_threads() == []
    assert max(checked) < 1000


def test_records_waiting_to_be_stored_stay_few(app):
    """At most QUEUED wait to be stored, besides the batch being built and the one stored."""
    seen = {"checking": 0, "storing": 0}
    waiting = []

    def progress(phase: str, done: int) -> None:
        seen[phase] = done
        waiting.append(seen["checking"] - seen["storing"])

    report = run(app, RECORDS, progress)

    assert (report.records, report.created) == (300, 300)
    assert 0 < max(waiting) <= imports.QUEUED + 2 * imports.CHUNK + 1


def test_a_partial_report_lists_checking_errors_before_storing_errors(app):
    """As if the whole file had been checked first, whichever thread came to its error first:
    the quote missing from its source (line 6) is found in storing, the kind on line 42 in
    checking."""
    fails_stored = {
        "text": "Quoted",
        "kind": "factual",
        "appearances": [
            {"source": {"url": "https://new.example/b", "text": "Text."}, "quote": "absent"}
        ],
    }
    fails_checked = {"text": "x", "kind": "rumour"}
    records = [*RECORDS[:5], fails_stored, *RECORDS[5:40], fails_checked, *RECORDS[40:]]
    records[5]["appearances"][0]["start"] = 0

    report = run(app, records, None)

    assert (report.records, report.created, report.failed) == (302, 300, 2)
    assert [(error.line, error.field) for error in report.errors] == [
        (42, "kind"),
        (6, "appearances.0.start"),
    ]


def test_every_row_an_import_writes_has_a_uid_of_its_own(app, session):
    """The uids of a write's rows are drawn together (service/exchange/rows.py): each is
    still a random UUID of version 4, and no two rows share one."""
    records = [
        {
            **record,
            "appearances": [
                {"source": {"url": f"https://news.example/{n}"}, "quote": record["text"]}
            ],
        }
        for n, record in enumerate(RECORDS)
    ]
    with app.test_request_context("/api/v1/import/claims", method="POST"):
        writing = db.session()
        body = io.BytesIO(ndjson(*records).encode())
        imports.import_file(writing, body, "ndjson", mode="partial")
        writing.commit()

    uids = [
        uid
        for table in ("claim", "appearance", "source", "status_change")
        for uid in session.scalars(text(f"SELECT uid FROM {table}"))
    ]
    assert len(uids) == 4 * len(RECORDS)
    assert len(set(uids)) == len(uids)
    assert {uuid.UUID(str(uid)).version for uid in uids} == {4}


def test_the_collector_is_set_for_an_import_and_put_back_after(app):
    before = gc.get_threshold()
    during = []

    def progress(phase: str, done: int) -> None:
        if phase == "storing" and done % 100 == 0:  # counting the frozen objects takes long
            during.append((gc.get_threshold(), gc.get_freeze_count() > 0))

    run(app, RECORDS, progress)

    assert set(during) == {(imports._Collector.THRESHOLDS, True)}
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, 0)


def test_imports_that_overlap_leave_the_collector_as_the_first_found_it():
    """The first to end must not undo the settings of one still running; the last puts
    back the settings found before either, not the ones it found set by the other."""
    collector, before = imports._Collector(), gc.get_threshold()
    first, second = collector.importing(), collector.importing()

    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold() == collector.THRESHOLDS
    second.__exit__(None, None, None)

    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, 0)
