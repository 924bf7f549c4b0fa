"""Deadlines: API requests' statement timeout, the exchange's longer limit, a client gone.

A slow statement is a real one (PostgreSQL's pg_sleep, SQLite's counting to millions), run
by a route added to a fresh app, so the limit stops the database's work itself.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from types import SimpleNamespace

import factories
import pytest
from conftest import key_for
from flask import jsonify
from sqlalchemy import make_url, text

from service import db
from service.app import create_app
from service.config import ConfigError, Settings
from service.exchange import deadlines, export
from service.exchange.deadlines import ClientGoneError, Watch, client_gone
from service.exchange.views import ExportStoppedError

LIMITS = {"statement_timeout_ms": 300, "exchange_timeout_ms": 3000}


def slow_sql(dialect: str, seconds: float) -> str:
    if dialect == "postgresql":
        return f"SELECT pg_sleep({seconds})"
    rows = int(seconds * 3_000_000)  # SQLite counts ~1.5M rows/s here, so about twice as long
    return (
        f"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {rows}) "
        "SELECT count(*) FROM c"
    )


@pytest.fixture
def hasty(database_url):
    """An app whose requests may run a statement for 300 ms, an exchange for 3 s, with two
    routes that run a 1 s statement: as a plain read, and with the exchange's limit."""
    app = create_app({"database_url": database_url, "secret_key": "test-secret", **LIMITS})
    dialect = make_url(database_url).get_backend_name()

    def slow():
        return jsonify(db.connection().execute(text(slow_sql(dialect, 1))).all() and "done")

    def slow_exchange():
        # As an export reads: in the snapshot's transaction, which the longer limit covers.
        session = db.snapshot_session()
        db.allow_exchange_time()
        return jsonify(session.execute(text(slow_sql(dialect, 1))).all() and "done")

    app.add_url_rule("/slow", "slow", slow)
    app.add_url_rule("/slow-exchange", "slow_exchange", slow_exchange)
    yield app
    app.extensions["db"].dispose()


def test_a_statement_past_the_timeout_answers_503(hasty, caplog):
    with caplog.at_level(logging.WARNING):
        response = hasty.test_client().get("/slow")

    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"] == "1"
    problem = response.get_json()
    assert problem["type"] == "urn:claimtrack:problem:statement-timeout"
    assert "300 ms" in problem["detail"]
    [record] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "statement timeout" in record.getMessage() and record.exc_info is None


def test_the_connection_serves_the_next_request_after_a_timeout(hasty):
    client = hasty.test_client()
    assert client.get("/slow").status_code == 503

    assert client.get("/api/v1/claims").status_code == 200


def test_no_deadline_outlives_its_request(hasty, client):
    """A pooled connection's next request, however much later, gets a deadline of its own
    (SQLite: even for the statements sent on the driver's own cursor, as a claim's read is)."""
    claim = factories.claim(client)
    reader = hasty.test_client()
    assert reader.get(f"/api/v1/claims/{claim['id']}").status_code == 200
    time.sleep(0.5)  # longer than the 300 ms limit

    for _ in range(3):
        assert reader.get(f"/api/v1/claims/{claim['id']}").status_code == 200


def test_imports_and_exports_have_the_longer_limit(hasty):
    assert hasty.test_client().get("/slow-exchange").status_code == 200


def test_the_urls_own_connection_options_are_kept(database_url):
    """PostgreSQL's limit is a connection option: one the URL gives (a search_path) stays."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's limit is a progress handler, not a connection option")
    url = f"{database_url}?options=-csearch_path%3Dpublic,elsewhere"
    app = create_app({"database_url": url, "secret_key": "s", "statement_timeout_ms": 1234})
    with app.test_request_context("/api/v1/claims"):
        connection = db.connection()
        assert connection.exec_driver_sql("SHOW search_path").scalar() == "public,elsewhere"
        assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "1234ms"
    app.extensions["db"].dispose()


@pytest.mark.parametrize(
    ("url_options", "jit"), [("", "off"), ("?options=-cjit%3Don", "on")], ids=["default", "url"]
)
def test_postgresql_runs_the_app_without_jit_unless_the_url_asks(database_url, url_options, jit):
    """JIT compiling cost a search more than it saved (service/engine.py NO_JIT): every
    connection the app makes, for writes and for reads, runs without it."""
    if not database_url.startswith("postgresql"):
        pytest.skip("JIT compiling is PostgreSQL's")
    app = create_app({"database_url": database_url + url_options, "secret_key": "s"})
    with app.test_request_context("/api/v1/claims"):
        assert db.connection().exec_driver_sql("SHOW jit").scalar() == jit
    with app.test_request_context("/api/v1/claims", method="POST"):
        assert db.session().connection().exec_driver_sql("SHOW jit").scalar() == jit
    app.extensions["db"].dispose()


def test_work_outside_requests_has_no_limit(hasty, database_url):
    """The CLI (imports, exports, reindexing) runs in an app context, not a request."""
    dialect = make_url(database_url).get_backend_name()
    with hasty.app_context():
        session = db.session()
        assert session.execute(text(slow_sql(dialect, 1))).all()
        session.rollback()


def test_an_import_past_its_time_limit_is_503_and_stores_nothing(database_url, row_counts):
    app = create_app(
        {
            "database_url": database_url,
            "secret_key": "test-secret",
            "statement_timeout_ms": 100,
            "exchange_timeout_ms": 100,
        }
    )
    client = app.test_client()

    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key_for(app, 'researcher')}"
    body = "".join(
        json.dumps({"text": f"Imported claim number {n} about the harbour", "kind": "factual"})
        + "\n"
        for n in range(3000)
    )
    before = row_counts()

    response = client.post("/api/v1/import/claims", data=body, content_type=export.NDJSON)
    app.extensions["db"].dispose()

    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    problem = response.get_json()
    assert problem["type"] == "urn:claimtrack:problem:deadline-exceeded"
    assert "100 ms" in problem["detail"] and "claimtrack" in problem["detail"]
    assert row_counts() == before


def test_an_export_past_its_time_limit_is_cut_off(database_url, client, monkeypatch):
    """Its 200 and first lines are sent: only an unfinished body can tell the client."""
    for _ in range(5):
        factories.claim(client)
    app = create_app({"database_url": database_url, "secret_key": "t", **LIMITS})
    real_lines = export.ndjson_lines
    clock = iter(range(0, 10_000, 2))  # each line "takes" 2 s of the watch's clock

    def lines(claims):
        yield from real_lines(claims)

    monkeypatch.setattr(export, "ndjson_lines", lines)
    monkeypatch.setattr(deadlines, "time", SimpleNamespace(monotonic=lambda: float(next(clock))))

    response = app.test_client().get("/api/v1/export/claims")
    assert response.status_code == 200
    with pytest.raises(ExportStoppedError):
        response.get_data()
    app.extensions["db"].dispose()


def test_client_gone_sees_a_closed_or_reset_peer():
    server, peer = socket.socketpair()
    try:
        assert not client_gone(server)
        peer.sendall(b"GET /next HTTP/1.1\r\n")  # a client still there, sending more
        assert not client_gone(server)
        peer.close()
        server.recv(100)
        assert client_gone(server)
    finally:
        server.close()
    assert not client_gone(None)  # no socket to look at (not gunicorn): carry on


def test_a_watch_stops_work_whose_client_has_gone(monkeypatch):
    server, peer = socket.socketpair()
    watch = Watch("import", 60_000, server)
    monkeypatch.setattr(deadlines, "POLL_EVERY", 0)
    watch.next_poll = 0
    watch.check(10)  # still there
    peer.close()
    with pytest.raises(ClientGoneError) as stopped:
        watch.check(20)
    server.close()
    assert stopped.value.status == 499


@pytest.mark.pure
@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"CLAIMTRACK_STATEMENT_TIMEOUT_MS": "50"}, "CLAIMTRACK_STATEMENT_TIMEOUT_MS"),
        ({"CLAIMTRACK_STATEMENT_TIMEOUT_MS": "soon"}, "CLAIMTRACK_STATEMENT_TIMEOUT_MS"),
        (
            {"CLAIMTRACK_STATEMENT_TIMEOUT_MS": "9000", "CLAIMTRACK_EXCHANGE_TIMEOUT_MS": "8000"},
            "CLAIMTRACK_EXCHANGE_TIMEOUT_MS",
        ),
        ({"CLAIMTRACK_READ_DATABASE_URL": "sqlite:///replica.db"}, "CLAIMTRACK_READ_DATABASE_URL"),
        ({"CLAIMTRACK_READ_DATABASE_URL": "mysql://x/y"}, "CLAIMTRACK_READ_DATABASE_URL"),
        ({"CLAIMTRACK_READ_DATABASE_URL": "::"}, "CLAIMTRACK_READ_DATABASE_URL"),
    ],
)
def test_bad_deadline_and_replica_settings_stop_the_start(environ, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({"DATABASE_URL": "sqlite:///x.db", **environ})


@pytest.mark.pure
def test_the_defaults_and_a_replica_url():
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://app@primary/claims",
            "CLAIMTRACK_READ_DATABASE_URL": "postgres://app@replica/claims",
        }
    )
    assert (settings.statement_timeout_ms, settings.exchange_timeout_ms) == (5000, 600_000)
    assert settings.read_database_url == "postgresql+psycopg://app@replica/claims"
