"""The declarative base, the engine and one session per request."""

from __future__ import annotations

import enum
import logging
import math
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Enum,
    MetaData,
    String,
    Uuid,
    create_engine,
    event,
    make_url,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    sessionmaker,
)
from sqlalchemy.types import TypeDecorator
from werkzeug.routing import IntegerConverter

from service.errors import NotFoundError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
T = TypeVar("T")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# SQLite calls the deadline check every this many virtual-machine steps: 1-2 ms of work here,
# so a statement overruns its deadline by about that (bench/statement_timeout.py: its cost).
SQLITE_PROGRESS_STEPS = 100_000


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC on every database.

    SQLite has no time zones and hands back naive values; this puts UTC back on them.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def str_enum(
    enum_class: type[enum.StrEnum], name: str, *, length: int = 32, constraint: bool = True
) -> Enum:
    """A StrEnum stored as its values in a VARCHAR, with a CHECK constraint named `name`."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        create_constraint=constraint,
        name=name,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


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
) -> Engine:
    """An engine tuned per dialect: SQLite gets foreign keys, WAL and up-front write locks.

    Migrations turn SQLite's foreign keys off: batch mode copies a table, drops the old one
    and renames the copy, and the drop fails while other tables refer to it. `autocommit`
    makes an engine for reads, whose connections never open a transaction.

    `statement_timeout_ms` bounds each statement of an HTTP request (see `statement_timeout`):
    PostgreSQL's `statement_timeout`, given when the connection is made so that it costs no
    round trip; on SQLite a progress handler that interrupts a statement past its deadline,
    and a lock wait ("database is locked") of at most as long. Work outside a request (the
    CLI, tests' own sessions) runs without it.
    """
    parsed = make_url(url)
    options: dict[str, Any] = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
    if parsed.get_backend_name() != "sqlite":
        return _postgresql_engine(url, parsed, options, autocommit, statement_timeout_ms)
    return _sqlite_engine(
        url, parsed, options, sqlite_foreign_keys, autocommit, statement_timeout_ms
    )


def _postgresql_engine(
    url: str,
    parsed: URL,
    options: dict[str, Any],
    autocommit: bool,
    statement_timeout_ms: int | None,
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
            if not has_request_context():
                connection.exec_driver_sql("SET LOCAL statement_timeout = 0")

    return engine


def _sqlite_engine(
    url: str,
    parsed: URL,
    options: dict[str, Any],
    foreign_keys: bool,
    autocommit: bool,
    statement_timeout_ms: int | None,
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
        _arm_sqlite_deadlines(engine)

    @event.listens_for(engine, "begin")
    def _begin(connection):
        if autocommit:
            return  # a read: each statement stands alone (see Database)
        # A write request takes SQLite's write lock up front. A deferred transaction that
        # reads and then writes fails at once with "database is locked" when another
        # process wrote in between; an immediate one waits its turn instead.
        if has_request_context() and request.method in UNSAFE_METHODS:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


def _arm_sqlite_deadlines(engine: Engine) -> None:
    """Arms and disarms the deadline of each SQLite connection of `engine` (see _arm)."""
    # Armed when a request takes the connection and again before each statement
    # SQLAlchemy sends; the few statements sent on the driver's own cursor (documents.py)
    # count from the one before them. Disarmed when the connection goes back to the pool,
    # so no deadline outlives its request.

    @event.listens_for(engine, "checkout")
    def _arm_at_checkout(_dbapi_connection, connection_record, _proxy):
        _arm(connection_record.info)

    @event.listens_for(engine, "before_cursor_execute")
    def _arm_deadline(connection, _cursor, _statement, _parameters, _context, _many):
        _arm(connection.connection.info)

    @event.listens_for(engine, "checkin")
    def _disarm(_dbapi_connection, connection_record):
        if "deadline" in connection_record.info:
            connection_record.info["deadline"][0] = math.inf


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


def _arm(info: dict) -> None:
    """Set a SQLite connection's deadline: the request's limit from now, none outside one."""
    deadline = info.get("deadline")
    if deadline is not None:
        limit = statement_timeout() if has_request_context() else None
        deadline[0] = time.monotonic() + limit / 1000 if limit else math.inf


class Database:
    """What the app keeps of its database: the engine and a session factory per kind of request.

    Reads (GET, HEAD, OPTIONS) run on a pool of their own whose connections are in autocommit
    mode: no BEGIN and ROLLBACK around them (two round trips fewer), and no switching a
    connection's mode at each checkout. Each statement sees what was committed when it
    started, as it would in a READ COMMITTED transaction on PostgreSQL anyway. (So a server
    may hold up to twice its threads in connections, half of them for reads.)

    With a `read_url` (a streaming replica), plain reads go there and a third pool, also in
    autocommit, reads the primary for the reads that must see the latest write (see
    `reads_primary`).
    """

    def __init__(
        self, url: str, *, read_url: str | None = None, statement_timeout_ms: int | None = None
    ):
        limit = statement_timeout_ms
        self.engine = make_engine(url, statement_timeout_ms=limit)
        self.primary_read_engine = make_engine(url, autocommit=True, statement_timeout_ms=limit)
        self.read_engine = (
            make_engine(read_url, autocommit=True, statement_timeout_ms=limit)
            if read_url
            else self.primary_read_engine
        )
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessionmaker = sessionmaker(self.read_engine, expire_on_commit=False)
        self.primary_read_sessionmaker = sessionmaker(
            self.primary_read_engine, expire_on_commit=False
        )

    def dispose(self) -> None:
        for engine in {self.engine, self.primary_read_engine, self.read_engine}:
            engine.dispose()


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    settings = app.config["SETTINGS"]
    app.extensions["db"] = Database(
        app.config["DATABASE_URL"],
        read_url=settings.read_database_url,
        statement_timeout_ms=settings.statement_timeout_ms,
    )
    app.teardown_appcontext(_close_session)


def database() -> Database:
    return current_app.extensions["db"]


def session() -> Session:
    """The session of the current request (or app context), opened on first use.

    Views commit it once; whatever is left uncommitted is rolled back at teardown.
    """
    if "db_session" not in g:
        if not has_request_context() or request.method in UNSAFE_METHODS:
            factory = database().sessionmaker
        elif reads_primary():
            factory = database().primary_read_sessionmaker
        else:
            factory = database().read_sessionmaker
        g.db_session = factory()
    return g.db_session


def reads_primary() -> bool:
    """Whether this read must see the latest write, so is not served by a replica.

    Conditional requests (If-Match, If-None-Match) compare with the current version, and a
    client that must read its own write asks with `Cache-Control: no-cache` (README, "Read
    replicas"). Without a replica, every read reads the primary anyway.
    """
    if not has_request_context():
        return True
    headers = request.headers
    return (
        "If-Match" in headers
        or "If-None-Match" in headers
        or "no-cache" in headers.get("Cache-Control", "").lower()
    )


def statement_timeout() -> int:
    """The current request's statement timeout, in milliseconds."""
    return g.get("statement_timeout_ms") or current_app.config["SETTINGS"].statement_timeout_ms


def allow_exchange_time() -> int:
    """Give the current request (an import or an export) the longer, exchange limit.

    Returns it, in milliseconds. On PostgreSQL it applies to the rest of the transaction of
    the request's session, and of its snapshot session when it has one (SET LOCAL).
    """
    limit = current_app.config["SETTINGS"].exchange_timeout_ms
    g.statement_timeout_ms = limit
    primary = database().engine
    for name in ("db_session", "db_snapshot"):
        opened = g.get(name)
        # Only transactions take SET LOCAL: a read session's statements stand alone.
        if opened is not None and opened.get_bind() is primary and primary.name == "postgresql":
            opened.connection().exec_driver_sql(f"SET LOCAL statement_timeout = {int(limit)}")
    return limit


def snapshot_session() -> Session:
    """The request's session, in one transaction that reads a single snapshot throughout.

    For long reads over many statements, such as an export streamed from a server-side
    cursor (which PostgreSQL only keeps inside a transaction): every chunk then sees the
    archive as it was when the first one was read. SQLite's transactions read one snapshot
    already; PostgreSQL's need REPEATABLE READ.
    """
    if "db_snapshot" not in g:
        g.db_snapshot = database().sessionmaker()
        if g.db_snapshot.get_bind().dialect.name == "postgresql":
            g.db_snapshot.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    return g.db_snapshot


def connection() -> Connection:
    """The current request's connection: its session's, or for a read without a session yet
    a plain one in autocommit (the read paths that need no ORM skip building a session).
    """
    if "db_session" in g or (has_request_context() and request.method in UNSAFE_METHODS):
        return session().connection()
    if "db_connection" not in g:
        engine = database().primary_read_engine if reads_primary() else database().read_engine
        g.db_connection = engine.connect()
    return g.db_connection


def get_or_404(model: type[T], id: int, *, for_update: bool = False) -> T:
    """The `model` row with this id, or a 404 problem naming it.

    `for_update` locks the row until the transaction ends (PostgreSQL's SELECT ... FOR
    UPDATE; SQLite's write transactions hold the whole database already).
    """
    # A row read before the lock was granted may be stale: a locked read reads it again.
    found = session().get(
        model, id, with_for_update=for_update or None, populate_existing=for_update
    )
    if found is None:
        raise NotFoundError(f"{model.__name__.lower()} {id} does not exist")
    return found


class IdConverter(IntegerConverter):
    """`<id:name>` in a route: a positive integer that fits a database integer.

    Plain ASCII digits without leading zeros, so that each resource has one URL.
    """

    regex = r"[1-9][0-9]{0,9}"

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=2**31 - 1)


def _close_session(_exc: BaseException | None) -> None:
    """Close what the request opened; a failure is logged, never turned into the answer.

    The answer is built by now, and its write may be committed: a connection that fails
    to roll back or close (the database gone meanwhile) must not make that a 500, which a
    client would retry into a second write.
    """
    for name in ("db_session", "db_snapshot", "db_connection"):
        opened = g.pop(name, None)
        if opened is None:
            continue
        try:
            opened.close()
        except Exception as error:
            text = str(getattr(error, "orig", None) or error).strip() or "?"
            logging.getLogger(__name__).warning(
                "closing the request's %s failed: %s: %s",
                name,
                type(error).__name__,
                text.splitlines()[0],
            )


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Identified:
    """A UUID set by the server, never changed: the record's identity in any database.

    Ids are this database's; exports write the uid, and imports find records by it first.
    """

    uid: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4, index=True, unique=True)


class Attributed:
    """Who wrote a record, and when, as a file imported from elsewhere says.

    `created_by` and `created_at` are always this server's: the key that wrote the row, at
    the time it did. What an import claims about authors and dates is kept here, beside them.
    """

    original_author: Mapped[str | None] = mapped_column(String(100))
    original_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Versioned:
    """A row version that every UPDATE checks and bumps: the ETag, and optimistic locking."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}
