"""Stack tests: a real PostgreSQL cluster (and its replica) under a real gunicorn.

- An outage: the database stops and starts again under reads and writes. Afterwards every
  write answered 2xx is stored whole, nothing else half-written, no request got a 500, and
  service came back within a second of the database.
- Replicas: reads go to a real streaming replica; writes, conditional reads and no-cache
  reads do not. The replica's replay is paused, so that it misses a write made meanwhile: a
  plain GET then cannot find it (it read the replica), while a conditional or
  `Cache-Control: no-cache` GET does (they read the primary).
- Client gone: an import or export stops when its client disconnects.
"""

from __future__ import annotations

import itertools
import json
import re
import socket
import threading
import time
from dataclasses import dataclass

import psycopg
import pytest
from stack_helpers import APP_PORT, app_servers, private_cluster, streaming_replica

pytestmark = [pytest.mark.stack, pytest.mark.pure]


@pytest.fixture(scope="module")
def pg_cluster():
    with private_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_replica(pg_cluster):
    with streaming_replica() as replica:
        yield replica


@pytest.fixture
def serve(tmp_path):
    with app_servers(tmp_path) as start:
        yield start


WRITERS = 4
READERS = 2
BACK_WITHIN = 1.0  # seconds after the database accepts connections again
TAGS = ["outage", "restart", "durability"]


@dataclass
class Answer:
    kind: str  # "write" or "read"
    sent: float
    answered: float
    status: int
    headers: dict
    body: object
    text: str | None = None


def _probe_until_up(url: str, since: float, stop: threading.Event, found: list[float]) -> None:
    """The moment the database accepts a connection again (polled every 20 ms)."""
    while not stop.is_set():
        try:
            with psycopg.connect(url, connect_timeout=1) as connection:
                connection.execute("SELECT 1")
            if time.monotonic() > since:
                found.append(time.monotonic())
                return
        except psycopg.Error:
            pass
        time.sleep(0.02)


def test_a_database_restart_under_load_loses_nothing_and_never_answers_500(pg_cluster, serve):
    server = serve(pg_cluster.url())
    status, _, known = server.request(
        "POST", "/api/v1/claims", {"text": "Known", "kind": "factual"}
    )
    assert status == 201
    answers: list[Answer] = []
    serial = itertools.count()
    stop = threading.Event()
    lock = threading.Lock()

    def write() -> None:
        while not stop.is_set():
            claim_text = f"Outage claim {next(serial)} keeps its tags"
            sent = time.monotonic()
            try:
                status, headers, body = server.request(
                    "POST",
                    "/api/v1/claims",
                    {"text": claim_text, "kind": "factual", "tags": TAGS},
                    timeout=20,
                )
            except OSError as error:  # recorded: the assertions below refuse it
                status, headers, body = 0, {}, repr(error)
            with lock:
                answers.append(
                    Answer("write", sent, time.monotonic(), status, headers, body, claim_text)
                )
            time.sleep(0.01)

    def read() -> None:
        while not stop.is_set():
            sent = time.monotonic()
            path = "/api/v1/claims?limit=5" if next(serial) % 2 else f"/api/v1/claims/{known['id']}"
            try:
                status, headers, body = server.request("GET", path, timeout=20)
            except OSError as error:
                status, headers, body = 0, {}, repr(error)
            with lock:
                answers.append(Answer("read", sent, time.monotonic(), status, headers, body))
            time.sleep(0.01)

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    threads += [threading.Thread(target=read) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    up: list[float] = []
    try:
        time.sleep(3)
        stopped_at = time.monotonic()
        pg_cluster.stop("fast")
        time.sleep(3)
        probe_stop = threading.Event()
        probe = threading.Thread(
            target=_probe_until_up,
            args=(pg_cluster.url().replace("+psycopg", ""), stopped_at, probe_stop, up),
        )
        probe.start()
        pg_cluster.start()
        probe.join(timeout=10)
        probe_stop.set()
        time.sleep(BACK_WITHIN + 3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        if not pg_cluster.running():
            pg_cluster.start()

    assert up, "the database never accepted a connection again"
    database_back = up[0]
    print(_summary(answers, stopped_at, database_back))
    statuses = sorted({a.status for a in answers})
    failures = [a for a in answers if a.status not in (200, 201, 503)]
    assert not failures, f"unexpected answers {statuses}: {failures[:3]}"
    unavailable = [a for a in answers if a.status == 503]
    assert unavailable, "no request met the outage"
    for answer in unavailable:
        assert answer.headers.get("Content-Type") == "application/problem+json"
        assert answer.headers.get("Retry-After") == "1"
        assert answer.body["type"].startswith("urn:claimtrack:problem:")

    # Service is back within a second: the first success of each kind sent once the
    # database was up came within BACK_WITHIN, and everything sent after that succeeded.
    for kind in ("write", "read"):
        after = [a for a in answers if a.kind == kind and a.sent >= database_back]
        first_ok = min(a.answered for a in after if a.status in (200, 201))
        assert first_ok - database_back <= BACK_WITHIN, (kind, first_ok - database_back)
        late = [a for a in after if a.sent >= database_back + BACK_WITHIN and a.status >= 300]
        assert not late, f"{kind}s still failing a second after the database was back: {late[:3]}"

    # Every write answered 201 is stored, whole: its tags and its audit event.
    written = {a.text: a.body["id"] for a in answers if a.kind == "write" and a.status == 201}
    assert len(written) > 20
    stored = dict(pg_cluster.sql("SELECT text, id FROM claim WHERE text LIKE 'Outage claim %'"))
    assert {text: stored.get(text) for text in written} == written
    tags = pg_cluster.sql(
        "SELECT c.id, count(t.tag) FROM claim c LEFT JOIN claim_tag t ON t.claim_id = c.id "
        "WHERE c.text LIKE 'Outage claim %' GROUP BY c.id"
    )
    assert {count for _id, count in tags} == {len(TAGS)}, "a claim without all its tags"
    unaudited = pg_cluster.sql(
        "SELECT c.id FROM claim c WHERE c.text LIKE 'Outage claim %' AND NOT EXISTS ("
        "SELECT 1 FROM audit_event a WHERE a.resource = 'claim' AND a.action = 'create' "
        "AND a.resource_id = c.id)"
    )
    assert unaudited == [], "claims without their audit event"
    # Writes answered 503 were not committed (except, possibly, one whose COMMIT was under
    # way when the server went: no client can tell that from a lost connection).
    refused = {a.text for a in answers if a.kind == "write" and a.status == 503}
    assert len(refused & stored.keys()) <= WRITERS

    log = server.log_text()
    assert "Traceback" not in log
    assert "database unavailable, answered 503" in log


def _summary(answers: list[Answer], stopped_at: float, database_back: float) -> str:
    """What happened, for the test's output (pytest -s, or a failure's captured stdout)."""
    counts: dict[tuple[str, int], int] = {}
    for answer in answers:
        counts[answer.kind, answer.status] = counts.get((answer.kind, answer.status), 0) + 1
    firsts = {
        kind: min(
            (
                a.answered - database_back
                for a in answers
                if a.kind == kind and a.sent >= database_back and a.status < 300
            ),
            default=None,
        )
        for kind in ("write", "read")
    }
    return (
        f"database down {database_back - stopped_at:.2f} s; answers {sorted(counts.items())}; "
        f"first success after it was back: {firsts}"
    )


def _caught_up(primary, replica, timeout: float = 20) -> None:
    [(target,)] = primary.sql("SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        [(done,)] = replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
        if done:
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up")


def test_reads_that_need_no_lock_go_to_the_replica(pg_cluster, pg_replica, serve):
    server = serve(pg_cluster.url(), CLAIMTRACK_READ_DATABASE_URL=pg_replica.url())
    status, _, before = server.request("POST", "/api/v1/claims", {"text": "Old", "kind": "factual"})
    assert status == 201
    _caught_up(pg_cluster, pg_replica)  # the key and this claim are on the replica now
    pg_replica.sql("SELECT pg_wal_replay_pause()")
    try:
        status, headers, fresh = server.request(
            "POST", "/api/v1/claims", {"text": "Written while replay is paused", "kind": "factual"}
        )
        assert status == 201
        path = f"/api/v1/claims/{fresh['id']}"

        # A plain read is served by the replica, which has not replayed the write yet.
        assert server.request("GET", path)[0] == 404
        assert server.request("GET", path, headers={"Authorization": ""})[0] == 404
        listed = server.request("GET", "/api/v1/claims?limit=5")[2]["items"]
        assert [c["id"] for c in listed][:1] == [before["id"]]  # newest first, without it
        assert server.request("GET", f"/api/v1/claims/{before['id']}")[0] == 200

        # Reading one's own write: Cache-Control: no-cache, or a conditional request.
        status, _, body = server.request("GET", path, headers={"Cache-Control": "no-cache"})
        assert (status, body["text"]) == (200, fresh["text"])
        status, _, _ = server.request("GET", path, headers={"If-None-Match": headers["ETag"]})
        assert status == 304
        status, _, _ = server.request("GET", path, headers={"If-None-Match": '"other"'})
        assert status == 200
        listed = server.request(
            "GET", "/api/v1/claims?limit=5", headers={"Cache-Control": "no-cache"}
        )[2]["items"]
        assert [c["id"] for c in listed][:2] == [fresh["id"], before["id"]]

        # Writes, and the reads inside them, go to the primary (the replica refuses writes).
        status, patched_headers, _ = server.request(
            "PATCH", path, {"review_due": "2031-01-01"}, headers={"If-Match": headers["ETag"]}
        )
        assert status == 200
        evidence = {"url": "https://evidence.example/paused", "stance": "supports"}
        status, _, added = server.request("POST", f"{path}/evidence", evidence)
        assert status == 201, added
        # Exports read the primary (a long read on a replica can be cancelled by replay).
        status, _, exported = server.request("GET", "/api/v1/export/claims")
        assert status == 200 and b"Written while replay is paused" in exported
        [(paused,)] = pg_replica.sql("SELECT pg_is_wal_replay_paused()")
        assert paused  # all of the above happened while the replica stood still
    finally:
        pg_replica.sql("SELECT pg_wal_replay_resume()")

    _caught_up(pg_cluster, pg_replica)
    status, _, body = server.request("GET", path)
    assert (status, body["review_due"], body["evidence_count"]) == (200, "2031-01-01", 1)
    assert "Traceback" not in server.log_text()


def _ndjson(count: int, words: int, prefix: str) -> bytes:
    vocabulary = "harbour minister promised budget tender port railway bridge school clinic".split()
    lines = []
    for n in range(count):
        body = " ".join(vocabulary[(n + i * 7) % len(vocabulary)] for i in range(words))
        lines.append(json.dumps({"text": f"{prefix} {n}: {body}", "kind": "factual"}))
    return ("\n".join(lines) + "\n").encode()


def _raw_request(method: str, path: str, key: str, body: bytes = b"", **headers: str):
    """A socket that sent a whole request, with a small receive buffer (a slow reader)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    sock.connect(("127.0.0.1", APP_PORT))
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{APP_PORT}",
        f"Authorization: Bearer {key}",
        f"Content-Length: {len(body)}",
        *(f"{name.replace('_', '-')}: {value}" for name, value in headers.items()),
    ]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    return sock


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{what}: not within {timeout} s")


def _open_transactions(cluster) -> int:
    [(count,)] = cluster.sql(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = 'claimtrack' "
        "AND xact_start IS NOT NULL AND pid <> pg_backend_pid()"
    )
    return count


RECORDS = 60_000


def test_an_import_stops_when_its_client_disconnects(pg_cluster, serve):
    server = serve(pg_cluster.url())
    body = _ndjson(RECORDS, 12, "Abandoned import")
    sock = _raw_request(
        "POST", "/api/v1/import/claims", server.admin_key, body, Content_Type="application/x-ndjson"
    )
    # The request has begun (its key's lookup opened its transaction) and its body is sent:
    # a moment later the server is checking records, which takes seconds for this many.
    _wait_for(lambda: _open_transactions(pg_cluster) == 1, 10, "the import did not start")
    time.sleep(0.3)
    sock.close()
    closed = time.monotonic()

    stopped = _wait_for(
        lambda: re.search(
            r"import stopped after (\d+) records: the client closed the connection",
            server.log_text(),
        ),
        10,
        "the import did not notice its client had gone",
    )
    noticed = time.monotonic() - closed
    print(f"import stopped after {stopped.group(1)} records, {noticed:.2f} s after the close")
    assert int(stopped.group(1)) < RECORDS
    assert pg_cluster.sql("SELECT count(*) FROM claim WHERE text LIKE 'Abandoned import%'") == [
        (0,)
    ]
    _wait_for(lambda: _open_transactions(pg_cluster) == 0, 5, "a transaction stayed open")
    assert server.request("GET", "/health")[0] == 200
    log = server.log_text()
    assert "Traceback" not in log
    assert re.search(r'"POST /api/v1/import/claims HTTP/1.1" 499 ', log), log[-2000:]


def test_an_export_stops_when_its_client_disconnects(pg_cluster, serve):
    server = serve(pg_cluster.url())
    status, _, report = server.request(
        "POST",
        "/api/v1/import/claims",
        _ndjson(2_500, 400, "Exported claim"),
        headers={"Content-Type": "application/x-ndjson"},
        timeout=300,
    )
    assert status == 200, report
    sock = _raw_request("GET", "/api/v1/export/claims", server.admin_key)
    first = sock.recv(65536)
    assert first.startswith(b"HTTP/1.1 200")
    # The reader has stopped reading: the server waits on a full socket, its snapshot open.
    _wait_for(lambda: _open_transactions(pg_cluster) == 1, 5, "no export under way")
    time.sleep(0.5)
    assert _open_transactions(pg_cluster) == 1, "the export finished: make it bigger"
    sock.close()  # with unread data: a reset
    closed = time.monotonic()

    _wait_for(lambda: _open_transactions(pg_cluster) == 0, 5, "the export went on")
    print(f"export stopped {time.monotonic() - closed:.2f} s after the client closed")
    assert server.request("GET", "/health")[0] == 200
    assert "Traceback" not in server.log_text()
