"""A database that cannot answer gets a 503 to retry, at every point a request meets it.

These fail the database inside the driver call, as a lost connection does: the real thing
(a cluster stopped and started under load) is tests/outages/test_outage_stack.py.
"""

from __future__ import annotations

import logging
import re
import sqlite3

import factories
import pytest
from conftest import database_for
from sqlalchemy import create_engine, text

from service.app import create_app
from service.auth.keys import new_key

# What each driver says when its connection is gone (SQLAlchemy's is_disconnect knows both).
DISCONNECTS = {
    "sqlite": ("ProgrammingError", "Cannot operate on a closed database."),
    "postgresql": ("OperationalError", "the connection is closed"),
}
CLAIM = {"text": "Rabat will host the summit.", "kind": "promise"}


def assert_503(response) -> dict:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"] == "1"
    problem = response.get_json()
    assert problem["status"] == 503
    return problem


def one_line_logged(caplog) -> logging.LogRecord:
    """The one record the failure logged: a warning, one line, no traceback."""
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    [record] = records
    assert record.exc_info is None and "\n" not in record.getMessage()
    return record


@pytest.fixture
def dying(app, monkeypatch):
    """`dying(pattern)`: the database connection drops when a statement matching it is sent
    (or, for "COMMIT", when the request commits): the driver's connection is closed under
    SQLAlchemy, and the driver raises what it raises then."""
    db = database_for(app)
    engines = {db.engine, db.read_engine, db.primary_read_engine}

    def arm(pattern: str) -> None:
        for engine in engines:
            dialect = engine.dialect
            kind, message = DISCONNECTS[dialect.name]
            error = getattr(dialect.loaded_dbapi, kind)

            def lose(dbapi_connection, error=error, message=message):
                # The driver's own connection (do_commit is given the pool's proxy for it):
                # an open transaction dies with it, as on the server.
                getattr(dbapi_connection, "driver_connection", dbapi_connection).close()
                raise error(message)

            if pattern == "COMMIT":
                monkeypatch.setattr(dialect, "do_commit", lose)
                continue
            real_execute = dialect.do_execute

            def do_execute(
                cursor, statement, parameters, context=None, real=real_execute, lose=lose
            ):
                if re.search(pattern, statement, re.IGNORECASE):
                    lose(cursor.connection)
                return real(cursor, statement, parameters, context)

            monkeypatch.setattr(dialect, "do_execute", do_execute)

    yield arm
    monkeypatch.undo()


@pytest.mark.parametrize(
    ("where", "pattern", "headers"),
    [
        ("the key's lookup", r"FROM api_key", {}),
        ("the idempotency lookup", r"FROM idempotency_key", {"Idempotency-Key": "k-1"}),
        ("mid-transaction", r"^INSERT INTO claim\b", {}),
        ("the commit", "COMMIT", {}),
    ],
)
def test_a_write_that_loses_the_database_is_a_503_and_writes_nothing(
    client, dying, row_counts, caplog, monkeypatch, where, pattern, headers
):
    before = row_counts()
    dying(pattern)

    with caplog.at_level(logging.WARNING):
        response = client.post("/api/v1/claims", json=CLAIM, headers=headers)
    monkeypatch.undo()

    problem = assert_503(response)
    assert problem["type"] == "urn:claimtrack:problem:database-unavailable"
    assert "closed" not in problem["detail"]  # the driver's words stay in the log
    assert "POST /api/v1/claims" in one_line_logged(caplog).getMessage()
    assert row_counts() == before, where
    assert client.post("/api/v1/claims", json=CLAIM, headers=headers).status_code == 201


def test_a_read_that_loses_the_database_is_a_503_and_the_next_one_succeeds(
    client, anonymous, dying, caplog, monkeypatch
):
    claim = factories.claim(client)
    dying(r"\bclaim\b")

    with caplog.at_level(logging.WARNING):
        lost = anonymous.get("/api/v1/claims?kind=factual")
    monkeypatch.undo()

    assert_503(lost)
    one_line_logged(caplog)
    listed = anonymous.get("/api/v1/claims").get_json()["items"]
    assert [c["id"] for c in listed] == [claim["id"]]


def test_the_drivers_own_cursor_losing_its_connection_is_a_503_too(app):
    """Code that calls the driver directly (documents, COPY) goes through driver_errors:
    the dead connection is invalidated, and the error is the one the 503 handler knows."""
    from sqlalchemy.exc import DBAPIError

    from service.engine import driver_errors
    from service.errors import database_outage

    engine = database_for(app).read_engine
    with engine.connect() as connection:
        connection.connection.driver_connection.close()  # the server end is gone
        with pytest.raises(DBAPIError) as raised:
            with driver_errors(connection, "SELECT 1"):
                connection.connection.driver_connection.cursor().execute("SELECT 1")
        assert raised.value.connection_invalidated
        assert connection.invalidated
    with app.test_request_context("/api/v1/claims/1"):
        assert database_outage(raised.value).status_code == 503
    with engine.connect() as connection:  # the pool lends a working connection again
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_database_that_refuses_connections_is_a_503(tmp_path, caplog, method):
    """Nothing listens where the database should be: every request, read or write, is a 503."""
    nowhere = f"postgresql+psycopg://postgres@/claimtrack?host={tmp_path / 'no-server-here'}"
    app = create_app({"database_url": nowhere, "secret_key": "s"})
    headers = {"Authorization": f"Bearer {new_key()[0]}"}  # shaped like a key: looked up

    with caplog.at_level(logging.WARNING):
        if method == "GET":
            response = app.test_client().get("/api/v1/claims")
        else:
            response = app.test_client().post("/api/v1/claims", json=CLAIM, headers=headers)

    assert_503(response)
    one_line_logged(caplog)


def test_readiness_says_503_when_the_database_refuses(tmp_path):
    nowhere = f"postgresql+psycopg://postgres@/claimtrack?host={tmp_path / 'no-server-here'}"
    app = create_app({"database_url": nowhere, "secret_key": "s"})

    response = app.test_client().get("/ready")

    assert response.status_code == 503
    assert response.content_type == "application/problem+json"


def test_a_write_that_waits_past_the_statement_timeout_for_a_lock_is_a_503(
    app, client, database_url, session, caplog
):
    """Another connection holds what the write needs (SQLite: the database's write lock;
    PostgreSQL: the claim's row): past the statement timeout the write gives up."""
    claim = factories.claim(client)
    etag = client.get(f"/api/v1/claims/{claim['id']}").headers["ETag"]
    hasty = create_app({"database_url": database_url, "secret_key": "test-secret"} | SHORT)
    hasty_client = hasty.test_client()
    hasty_client.environ_base.update(client.environ_base)
    release = _hold_lock(database_url, claim["id"])
    try:
        with caplog.at_level(logging.WARNING):
            response = hasty_client.patch(
                f"/api/v1/claims/{claim['id']}",
                json={"review_due": "2031-01-01"},
                headers={"If-Match": etag},
            )
    finally:
        release()
    database_for(hasty).dispose()

    problem = assert_503(response)
    expected = "database-unavailable" if database_url.startswith("sqlite") else "statement-timeout"
    assert problem["type"] == f"urn:claimtrack:problem:{expected}"
    one_line_logged(caplog)
    assert client.get(f"/api/v1/claims/{claim['id']}").get_json()["review_due"] is None


SHORT = {"statement_timeout_ms": 300, "exchange_timeout_ms": 300}


def _hold_lock(database_url: str, claim_id: int):
    if database_url.startswith("sqlite"):
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")

        def release_sqlite():
            holder.execute("ROLLBACK")
            holder.close()

        return release_sqlite
    engine = create_engine(database_url)
    connection = engine.connect()
    connection.execute(text("SELECT id FROM claim WHERE id = :id FOR UPDATE"), {"id": claim_id})

    def release_postgresql():
        connection.rollback()
        connection.close()
        engine.dispose()

    return release_postgresql


def test_sqlite_errors_that_are_bugs_stay_500(app, client, monkeypatch):
    """SQLite reports bad SQL as OperationalError too: that is no outage to retry."""
    from sqlalchemy.exc import OperationalError

    from service.errors import database_outage

    bug = OperationalError("SELECT nope", {}, sqlite3.OperationalError("no such column: nope"))
    locked = OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))

    with app.test_request_context("/api/v1/claims"):
        assert database_outage(bug) is None
        assert database_outage(locked).status_code == 503
