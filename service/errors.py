"""One RFC 9457 problem+json shape for every error the service returns."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, has_request_context, json, request
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:claimtrack:problem:"
log = logging.getLogger(__name__)


class ProblemError(Exception):
    """An error a client can act on; raised by services, rendered by the one handler below."""

    status = 500
    slug: str | None = None

    def __init__(
        self,
        detail: str,
        *,
        slug: str | None = None,
        errors: Mapping[str, list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ):
        super().__init__(detail)
        self.detail = detail
        self.slug = slug or self.slug
        self.errors = errors
        self.headers = dict(headers or {})
        self.extensions = extensions


class BadRequestError(ProblemError):
    status = 400


class NotFoundError(ProblemError):
    status = 404
    slug = "not-found"


class ConflictError(ProblemError):
    status = 409
    slug = "conflict"


class PreconditionFailedError(ProblemError):
    status = 412
    slug = "stale-etag"


class FieldError(ProblemError):
    """A request field whose value the service cannot accept (422, naming the field)."""

    status = 422
    slug = "invalid-field"

    def __init__(self, field: str, message: str, *, slug: str | None = None, **extensions: Any):
        super().__init__(f"{field}: {message}", slug=slug, errors={field: [message]}, **extensions)


def problem(
    status: int,
    detail: str | None = None,
    *,
    slug: str | None = None,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + slug if slug else "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail or HTTP_STATUS_CODES.get(status, "Error"),
    }
    if errors:
        body["errors"] = errors
    body.update(extensions)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    response.headers.extend(headers or {})
    return response


def handle_problem_error(error: ProblemError) -> Response:
    return problem(
        error.status,
        error.detail,
        slug=error.slug,
        errors=error.errors,
        headers=error.headers,
        **error.extensions,
    )


def handle_http_exception(error: HTTPException) -> Response:
    """Routing errors, aborts and webargs' validation errors, keeping headers such as Allow."""
    if isinstance(error, InternalServerError):
        return handle_unexpected(error.original_exception or error)
    status = error.code or 500
    headers = {
        name: value
        for name, value in error.get_response().headers.items()
        if name.lower() not in ("content-type", "content-length")
    }
    data = getattr(error, "data", None) or {}
    headers.update(data.get("headers") or {})
    messages = data.get("messages")
    if messages is None:
        return problem(status, error.description, headers=headers)
    errors = flatten_messages(messages)
    if status == 422:
        detail = "Invalid " + ("field" if len(errors) == 1 else "fields") + ": " + ", ".join(errors)
        return problem(status, detail, slug="validation-error", errors=errors, headers=headers)
    detail = "; ".join(message for messages in errors.values() for message in messages)
    return problem(status, detail, errors=errors, headers=headers)


def handle_integrity_error(error: IntegrityError) -> Response:
    # A race past the services' own checks (two creates of one URL at once). The
    # database's text names tables and values, so none of it goes to the client.
    log.info("integrity error turned into 409: %s", error.orig)
    return problem(409, "The request conflicts with data stored meanwhile; retry.", slug="conflict")


def handle_stale_data(_error: StaleDataError) -> Response:
    return problem(
        412, "The resource changed while this request ran; fetch it again.", slug="stale-etag"
    )


# SQLite's messages for a database that is there but cannot be used just now: another
# process holds the write lock past the lock wait, or the file cannot be opened or read.
SQLITE_UNAVAILABLE = (
    "database is locked",
    "database table is locked",
    "database is busy",
    "unable to open database file",
    "disk i/o error",
)
RETRY_AFTER = {"Retry-After": "1"}


def database_outage(error: BaseException) -> Response | None:
    """The 503 for an error that says the database cannot answer now, or None for any other.

    Unreachable (refused, shutting down, starting up, connection lost at any point of a
    request: checkout, mid-transaction, commit), busy (SQLite's lock, PostgreSQL's deadlocks
    and serialisation failures, too many connections, the pool's own wait) or too slow (a
    statement past its timeout): each is a retryable 503 with `Retry-After` and one log line.
    Nothing was committed by the request, except when the connection was lost during COMMIT
    itself, which no server can tell apart: an `Idempotency-Key` makes that retry safe.
    """
    if isinstance(error, PoolTimeoutError):
        return _unavailable(error, "database-unavailable", "No database connection is free.")
    if not isinstance(error, DBAPIError):
        return None
    orig = error.orig
    message = str(orig).strip().lower()
    if error.connection_invalidated:
        return _unavailable(error, "database-unavailable", "The database cannot be reached.")
    if isinstance(orig, sqlite3.OperationalError):
        if message == "interrupted":
            return _too_slow(error)
        if not message.startswith(SQLITE_UNAVAILABLE):
            return None  # SQLite raises OperationalError for bad SQL too: a bug, a 500
        return _unavailable(error, "database-unavailable", "The database is busy.")
    if type(orig).__name__ == "QueryCanceled":  # psycopg.errors.QueryCanceled, 57014
        return _too_slow(error)
    if _is_psycopg_operational(orig):
        return _unavailable(error, "database-unavailable", "The database cannot be reached.")
    return None


def _is_psycopg_operational(orig: BaseException | None) -> bool:
    """psycopg's OperationalError: connection failures, shutdowns, deadlocks, resources."""
    module = type(orig).__module__
    return module.startswith("psycopg") and any(
        base.__name__ == "OperationalError" for base in type(orig).__mro__
    )


def _unavailable(error: BaseException, slug: str, detail: str) -> Response:
    log.warning("database unavailable, answered 503: %s", _one_line(error))
    return problem(503, detail + " Retry the request.", slug=slug, headers=RETRY_AFTER)


def _too_slow(error: BaseException) -> Response:
    from service.db import statement_timeout  # db imports this module

    limit = statement_timeout()
    log.warning("statement timeout (%d ms), answered 503: %s", limit, _one_line(error))
    return problem(
        503,
        f"The request took longer than its time limit ({limit} ms) and was stopped; nothing "
        "was written. Narrow it (filters, a smaller page or file) or retry later.",
        slug="statement-timeout",
        headers=RETRY_AFTER,
    )


def _one_line(error: BaseException) -> str:
    """The error's first line, without its SQL, and where it happened."""
    orig = getattr(error, "orig", None) or error
    text = str(orig).strip().splitlines()
    where = f"{request.method} {request.path}: " if has_request_context() else ""
    return f"{where}{type(orig).__name__}: {text[0] if text else ''}"


def handle_database_error(error: DBAPIError) -> Response:
    """An outage is a 503 the client may retry (see `database_outage`); any other is a 500.

    The pool does not ping connections before lending them (a round trip on every request);
    instead, when one turns out dead, SQLAlchemy discards the pool's connections from before
    the failure, so the next request gets a fresh one.
    """
    return database_outage(error) or handle_unexpected(error)


def handle_unexpected(error: BaseException) -> Response:
    # Also reached for errors raised by after_request functions (Flask wraps them in a 500).
    outage = database_outage(error)
    if outage is not None:
        return outage
    log.error("unhandled error", exc_info=error)
    return problem(500, "The server failed to answer this request; the failure was logged.")


def flatten_messages(messages: Mapping[str, Any]) -> dict[str, list[str]]:
    """webargs' {location: {field: {nested: [msg]}}} as {"field.nested": [msg]}.

    A message that concerns the whole body rather than one field is keyed "body".
    """
    flat: dict[str, list[str]] = {}

    def walk(node: Any, path: list[str]) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                walk(value, path if key == "_schema" else [*path, str(key)])
        elif isinstance(node, list | tuple) and not all(isinstance(m, str) for m in node):
            for item in node:
                walk(item, path)
        else:
            key = ".".join(path) or "body"
            items = [node] if isinstance(node, str) else list(node)
            flat.setdefault(key, []).extend(str(m) for m in items)

    for location, node in messages.items():
        walk(node, [] if location in ("json", "query", "view_args", "headers") else [location])
    return flat


def init_app(app: Flask) -> None:
    app.register_error_handler(ProblemError, handle_problem_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(StaleDataError, handle_stale_data)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(PoolTimeoutError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)
