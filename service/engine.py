"""Engines tuned per dialect, and what the app's statements ask of their connections.

Nothing here knows of Flask: what an engine must know of the work it serves (the statement's
time limit, whether a transaction will write) it asks a Scope, which the HTTP side
(service/db.py) answers for requests and whose defaults are those of work outside one (the
CLI, migrations, tests' own sessions).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

# SQLite calls the deadline check every this many virtual-machine steps: 1-2 ms of work here,
# so a statement overruns its deadline by about that (bench/statement_timeout.py: its cost).
SQLITE_PROGRESS_STEPS = 100_000


@dataclass(frozen=True)
class Scope:
    """What an engine asks, statement by statement, of the work it serves."""

    # The time limit of the statement about to run, in milliseconds; None: no limit.
    deadline_ms: Callable[[], int | None] = lambda: None
    # Whether a transaction begun now will write (SQLite then takes its write lock first).
    writes: Callable[[], bool] = lambda: False


OUTSIDE_REQUESTS = Scope()


# PostgreSQL compiles a statement whose plan costs more than jit_above_cost (100,000) to
# machine code before it runs it, whatever the statement will really take. A search's
# estimated cost crosses that line for reasons that have nothing to do with its work (one
# look-up per ranked match, a thousand of them), and compiling then took 130 ms of a 150 ms
# search at a million claims (bench/HISTORY.md). The app's statements are short: its
# connections run without JIT. A URL's own `-c jit=on` still wins.
NO_JIT = "-c jit=off"


def make_engine(
    url: str,
    *,
    sqlite_foreign_keys: bool = True,
    autocommit: bool = False,
    statement_timeout_ms: int | None = None,
    scope: Scope = OUTSIDE_REQUESTS,
) -> Engine:
    """An engine tuned per dialect: SQLite gets foreign keys, WAL and up-front write locks.

    Migrations turn SQLite's foreign keys off: batch mode copies a table, drops the old one
    and renames the copy, and the drop fails while other tables refer to it. `autocommit`
    makes an engine for reads, whose connections never open a transaction.

    `statement_timeout_ms` bounds each statement that `scope` gives a deadline (an HTTP
    request's: service.db.statement_timeout): PostgreSQL's `statement_timeout`, given when the
    connection is made so that it costs no round trip; on SQLite a progress handler that
    interrupts a statement past its deadline, and a lock wait ("database is locked") of at most
    as long. Work that `scope` gives no deadline (outside requests) runs without it.
    """
    parsed = make_url(url)
    options: dict[str, Any] = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
    if parsed.get_backend_name() != "sqlite":
        return _postgresql_engine(url, parsed, options, autocommit, statement_timeout_ms, scope)
    return _sqlite_engine(
        url, parsed, options, sqlite_foreign_keys, autocommit, statement_timeout_ms, scope
    )


def _postgresql_engine(
    url: str,
    parsed: URL,
    options: dict[str, Any],
    autocommit: bool,
    statement_timeout_ms: int | None,
    scope: Scope,
) -> Engine:
    """A PostgreSQL engine whose connections run without JIT and with the deadline given."""
    # The URL's own `options` (a search_path, say), which connect_args replace, come after
    # ours, so that they win; the deadline comes last.
    given = parsed.query.get("options") or ()
    given_options = [given] if isinstance(given, str) else list(given)
    timeout = [f"-c statement_timeout={statement_timeout_ms}"] if statement_timeout_ms else []
    connect_args = {"options": " ".join([NO_JIT, *given_options, *timeout])}
    # No pre-ping (a round trip per request): a connection found dead makes SQLAlchemy
    # renew the pool, and that one request a 503 to retry (service/errors.py).
    engine = create_engine(url, connect_args=connect_args, **options)
    event.listen(engine, "checkin", _prepare_again)
    if statement_timeout_ms and not autocommit:

        @event.listens_for(engine, "begin")
        def _no_deadline_outside_requests(connection):
            if scope.deadline_ms() is None:
                connection.exec_driver_sql("SET LOCAL statement_timeout = 0")

    return engine


def _sqlite_engine(
    url: str,
    parsed: URL,
    options: dict[str, Any],
    foreign_keys: bool,
    autocommit: bool,
    statement_timeout_ms: int | None,
    scope: Scope,
) -> Engine:
    """A SQLite engine: WAL, foreign keys and a deadline as asked, write locks taken up front."""
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    lock_wait = statement_timeout_ms / 1000 if statement_timeout_ms else 30
    engine = create_engine(url, connect_args={"timeout": lock_wait}, **options)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, connection_record):
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()
        if statement_timeout_ms:
            deadline = connection_record.info["deadline"] = [math.inf]
            dbapi_connection.set_progress_handler(
                lambda: time.monotonic() > deadline[0], SQLITE_PROGRESS_STEPS
            )

    if statement_timeout_ms:
        _arm_sqlite_deadlines(engine, scope)

    @event.listens_for(engine, "begin")
    def _begin(connection):
        if autocommit:
            return  # a read: each statement stands alone (see Database)
        # A write request takes SQLite's write lock up front. A deferred transaction that
        # reads and then writes fails at once with "database is locked" when another
        # process wrote in between; an immediate one waits its turn instead.
        if scope.writes():
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


def _arm_sqlite_deadlines(engine: Engine, scope: Scope) -> None:
    """Arms and disarms the deadline of each SQLite connection of `engine` (see _arm)."""
    # Armed when a request takes the connection and again before each statement
    # SQLAlchemy sends; the few statements sent on the driver's own cursor (documents.py)
    # count from the one before them. Disarmed when the connection goes back to the pool,
    # so no deadline outlives its request.

    @event.listens_for(engine, "checkout")
    def _arm_at_checkout(_dbapi_connection, connection_record, _proxy):
        _arm(connection_record.info, scope)

    @event.listens_for(engine, "before_cursor_execute")
    def _arm_deadline(connection, _cursor, _statement, _parameters, _context, _many):
        _arm(connection.connection.info, scope)

    @event.listens_for(engine, "checkin")
    def _disarm(_dbapi_connection, connection_record):
        if "deadline" in connection_record.info:
            connection_record.info["deadline"][0] = math.inf


def _arm(info: dict, scope: Scope) -> None:
    """Set a SQLite connection's deadline: the scope's limit from now, if it gives one."""
    deadline = info.get("deadline")
    if deadline is not None:
        limit = scope.deadline_ms()
        deadline[0] = time.monotonic() + limit / 1000 if limit else math.inf


# psycopg's own: a statement run this many times on a connection is prepared (server-side).
PREPARE_THRESHOLD = 5


def plan_for_values(connection: Connection) -> None:
    """Until `connection` goes back to the pool, its statements are planned for the values
    they are run with, each time.

    psycopg prepares a statement it has run five times, and PostgreSQL may then run it with a
    generic plan, made without the parameters' values. For a search, that plan cannot tell a
    word in a third of the archive from one in a few claims: it guessed a fixed share of rows
    for any `@@`, and walked a million rows for the rare word, or collected every match of
    the common one (bench/HISTORY.md). So this connection prepares nothing until it is
    checked in (_prepare_again): an unprepared statement is planned with its values.
    `SET LOCAL plan_cache_mode` would do it for a transaction, but reads run in autocommit,
    where it holds for no statement at all. SQLite plans every statement anew anyway.
    """
    if connection.dialect.name == "postgresql":
        driver = connection.connection.driver_connection
        assert driver is not None  # the connection is open
        driver.prepare_threshold = None


@contextmanager
def serial_plans(connection: Connection) -> Iterator[None]:
    """The statements run in the block are planned without parallel workers (PostgreSQL).

    A search by relevance looks for its newest matches above a bound, and only where too
    few are there among all of them, in the same statement (search.Relevance). PostgreSQL
    starts a parallel plan's workers even for a part that a one-time filter then skips:
    about 10 ms of a 20 ms search. Over the bench's 600 searches at a million claims, not
    one of the relevance statements ran faster with workers (bench/HISTORY.md).

    The setting is put back after the block. Where a statement failed inside a transaction,
    the rollback to come puts it back (a SET in a transaction that is rolled back is undone),
    and the connection takes no other statement until then.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.exec_driver_sql("SET max_parallel_workers_per_gather = 0")
    try:
        yield
    finally:
        # psycopg's TransactionStatus: not in error, not lost (psycopg is an extra).
        driver = connection.connection.driver_connection
        assert driver is not None
        status = driver.info.transaction_status
        if status.name in ("IDLE", "INTRANS"):
            connection.exec_driver_sql("RESET max_parallel_workers_per_gather")


def _prepare_again(dbapi_connection, _connection_record) -> None:
    if dbapi_connection is not None:
        dbapi_connection.prepare_threshold = PREPARE_THRESHOLD


@contextmanager
def driver_errors(connection: Connection, statement: str) -> Iterator[None]:
    """Errors of the driver's own cursor, used under `connection`, as SQLAlchemy's would be.

    Code that calls the driver directly (for speed: COPY, documents read straight into
    dicts) would otherwise raise the driver's exceptions: no 503 for a lost connection, and
    a dead connection back in the pool. This wraps them in DBAPIError and, when the
    connection is gone, invalidates it, as SQLAlchemy does for its own statements.
    """
    dialect = connection.dialect
    try:
        yield
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, None)
        if lost:
            connection.invalidate(error)
        raise DBAPIError.instance(
            statement,
            None,
            error,
            dialect.loaded_dbapi.Error,
            connection_invalidated=lost,
            dialect=dialect,
        ) from error
