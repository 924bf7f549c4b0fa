"""The database as HTTP requests see it: one session per request, on the pool its method needs.

The engines come from service/engine.py, told what a request asks of them (its statement
timeout, whether it writes); the models' base and types are in service/orm.py.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.routing import IntegerConverter

from service.engine import Scope, make_engine
from service.errors import NotFoundError

T = TypeVar("T")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _writes() -> bool:
    return has_request_context() and request.method in UNSAFE_METHODS


def _deadline_ms() -> int | None:
    return statement_timeout() if has_request_context() else None


# What the engines ask of a request: its statement timeout, and whether it writes.
REQUESTS = Scope(deadline_ms=_deadline_ms, writes=_writes)


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
        self.engine = make_engine(url, statement_timeout_ms=limit, scope=REQUESTS)
        self.primary_read_engine = make_engine(
            url, autocommit=True, statement_timeout_ms=limit, scope=REQUESTS
        )
        self.read_engine = (
            make_engine(read_url, autocommit=True, statement_timeout_ms=limit, scope=REQUESTS)
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
