"""`Idempotency-Key` on POST: a retry gets the first answer again, and writes nothing.

The key's row goes in with the request's own commit (a session event), so a write and its
key commit together or not at all, and two requests racing with one key cannot both write:
the second meets the unique constraint. The answer is added to the row just after it is
built. A retry finds the row before its view runs: the same request is answered from it,
another request under the same key is a 422, and a write whose answer was not kept a 409.
"""

from __future__ import annotations

import hashlib
import http
import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from apispec import BasePlugin
from flask import Flask, Response, current_app, g, has_request_context, request
from sqlalchemy import delete, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service import db
from service.auth.access import current_key
from service.errors import ConflictError, FieldError
from service.idempotency.models import IdempotencyKey
from service.orm import utcnow

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
# Printable ASCII, with no space at either end (servers strip those from header values).
KEY_PATTERN = r"^[!-~]([ -~]*[!-~])?$"
KEPT_FOR = timedelta(hours=24)
# What a replayed answer carries besides its status and body.
KEPT_HEADERS = ("Content-Type", "Location", "ETag")
READ_CHUNK = 1024 * 1024
log = logging.getLogger(__name__)

PARAMETER = {
    "name": HEADER,
    "required": False,
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": KEY_PATTERN,
        "example": "5b7f1c9e-2d4a-4c1e-9a53-0f6d2b8e7a41",
    },
    "description": "Makes the POST safe to retry (printable ASCII, e.g. a UUID). The same "
    "key with the same request within 24 hours answers the first response again, with "
    f"`{REPLAYED_HEADER}: true`, and writes nothing; the same key with another request is "
    "422 `idempotency-key-reused`; a retry while the first request is still being "
    "answered is 409 `idempotency-key-in-flight`.",
}
REPLAYED = {
    "description": "`true` when the answer is the stored one of an earlier request with "
    f"the same `{HEADER}`.",
    "schema": {"type": "string", "enum": ["true"]},
}


class _DigestingInput:
    """A WSGI input stream that hashes the bytes read from it (PEP 3333's methods)."""

    def __init__(self, stream):
        self._stream = stream
        self.sha256 = hashlib.sha256()

    def read(self, *size):
        data = self._stream.read(*size)
        self.sha256.update(data)
        return data

    def readline(self, *size):
        data = self._stream.readline(*size)
        self.sha256.update(data)
        return data

    def readlines(self, *hint):
        lines = self._stream.readlines(*hint)
        for line in lines:
            self.sha256.update(line)
        return lines

    def __iter__(self):
        return iter(self.readline, b"")


class DigestKeyedBodies:
    """WSGI middleware: a keyed POST's body is hashed as the app reads it.

    So the hash costs no second read and no copy in memory: an import's body is read as
    a stream by its view (see exchange.views), and a JSON body once by the parser.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and "HTTP_IDEMPOTENCY_KEY" in environ:
            environ["wsgi.input"] = _DigestingInput(environ["wsgi.input"])
        return self.wsgi_app(environ, start_response)


@dataclass
class _Pending:
    """A keyed POST seen for the first time: its key is inserted by its commit."""

    owner: str
    key: str
    target: str
    body: _DigestingInput
    inserted: bool = False
    committed: bool = False


def _look_up() -> Response | None:
    """Before the view: answer a retry from its stored row, or note the key for the commit."""
    if (
        request.method != "POST"
        or HEADER not in request.headers
        or request.routing_exception is not None
    ):
        return None
    key = _checked(request.headers[HEADER])
    body = request.environ["wsgi.input"]
    if not isinstance(body, _DigestingInput):
        raise RuntimeError("the app's wsgi_app lost its DigestKeyedBodies wrapper")
    owner = f"key:{api_key.id}" if (api_key := current_key()) is not None else "anonymous"
    query = request.query_string.decode("latin-1")
    target = f"{request.path}?{query}" if query else request.path
    found = db.session().scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.owner == owner,
            IdempotencyKey.key == key,
            IdempotencyKey.created_at > utcnow() - KEPT_FOR,
        )
    )
    if found is None:
        g.idempotency = _Pending(owner, key, target, body)
        return None
    # No view runs for a retry: its body is read here only to be hashed, under the
    # largest limit any POST has (imports have their own, above the JSON bodies' one).
    settings = current_app.config["SETTINGS"]
    request.max_content_length = max(settings.max_body_bytes, settings.max_import_bytes)
    if _request_sha256(target, body) != found.request_sha256:
        raise FieldError(
            HEADER,
            "this key was used for another request (method, path, query or body); "
            "use a new key for a new request",
            slug="idempotency-key-reused",
        )
    if found.status is None:
        raise ConflictError(
            f"a request with this {HEADER} was carried out, but its answer is not stored: "
            "it is still being sent, or it could not be kept. Nothing was written again; "
            "retry in a moment, or read the resource to see the result.",
            slug="idempotency-key-in-flight",
            headers={"Retry-After": "1"},
        )
    response = Response(found.body, status=found.status, headers=found.headers or {})
    response.headers[REPLAYED_HEADER] = "true"
    return response


def _checked(key: str) -> str:
    if not key:
        raise FieldError(HEADER, "must not be empty")
    if len(key) > MAX_KEY_LENGTH:
        raise FieldError(HEADER, f"must be at most {MAX_KEY_LENGTH} characters long")
    if not re.fullmatch(KEY_PATTERN, key):
        raise FieldError(HEADER, "must be printable ASCII, with no space at either end")
    return key


def _request_sha256(target: str, body: _DigestingInput) -> str:
    """What identifies a request: method, path and query, content type and body.

    What the view left of the body unread is read now, so that the hash covers all of it.
    """
    while request.stream.read(READ_CHUNK):
        pass
    described = "\n".join((request.method, target, request.content_type or "", ""))
    head = described.encode("utf-8", "backslashreplace")
    return hashlib.sha256(head + body.sha256.digest()).hexdigest()


def _pending_in(session: Session) -> _Pending | None:
    """The key to keep, when `session` is the one a keyed request writes with."""
    if not has_request_context() or g.get("db_session") is not session:
        return None
    return g.get("idempotency")


def _insert_key(session: Session) -> None:
    """Before the request's commit: its key joins the write, in the same transaction."""
    pending = _pending_in(session)
    if pending is None or pending.inserted:
        return
    session.flush()  # the write's own failures surface as themselves, not as a key conflict
    now = utcnow()
    row = {
        "owner": pending.owner,
        "key": pending.key,
        "method": request.method,
        "target": pending.target,
        "request_sha256": _request_sha256(pending.target, pending.body),
        "created_at": now,
    }
    session.execute(
        delete(IdempotencyKey)
        .where(IdempotencyKey.created_at <= now - KEPT_FOR)
        .execution_options(synchronize_session=False)
    )
    try:
        session.execute(insert(IdempotencyKey).values(row))
    except IntegrityError:
        # Another request with this key got here first (PostgreSQL waits for its commit
        # before saying so); this one's write is rolled back with it.
        raise ConflictError(
            f"another request with this {HEADER} was carried out meanwhile; nothing was "
            "written by this one. Retry to get its answer.",
            slug="idempotency-key-in-flight",
            headers={"Retry-After": "1"},
        ) from None
    pending.inserted = True


def _mark_committed(session: Session) -> None:
    pending = _pending_in(session)
    if pending is not None and pending.inserted:
        pending.committed = True


def _keep_answer(response: Response) -> Response:
    """After the view: store the answer on the committed key, in a short transaction of its own.

    Only a success is kept (a retry of a refused request runs its checks again), and never
    an answer marked `no-store` (a new API key is shown once). A failure here is logged:
    the write is committed, and its answer goes out whatever happens to the copy.
    """
    pending = g.get("idempotency")
    if pending is None or not pending.committed:
        return response
    if (
        not 200 <= response.status_code < 300
        or response.is_streamed
        or response.cache_control.no_store
    ):
        return response
    kept = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
    session = db.session()
    try:
        session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.owner == pending.owner, IdempotencyKey.key == pending.key)
            .values(status=response.status_code, headers=kept, body=response.get_data())
            .execution_options(synchronize_session=False)
        )
        session.commit()
    except Exception as error:
        log.warning(
            "the answer to %s %s under %s %r was not stored: %s",
            request.method,
            pending.target,
            HEADER,
            pending.key,
            _one_line(error),
        )
        try:
            session.rollback()
        except Exception as rollback_error:
            log.warning("rolling back after that failed too: %s", _one_line(rollback_error))
    return response


def _one_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0] if text else ''}"


class IdempotencyKeyDocs(BasePlugin):
    """An apispec plugin: every POST documents the header, and the 409 and 422 it may bring."""

    def init_spec(self, spec) -> None:
        spec.components.parameter("IdempotencyKey", "header", PARAMETER, lazy=True)
        spec.components.header("IdempotentReplayed", REPLAYED, lazy=True)

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        post = (operations or {}).get("post")
        if post is None:
            return
        post.setdefault("parameters", []).append("IdempotencyKey")
        responses = post.setdefault("responses", {})
        documented = {str(status) for status in responses}
        for status in (http.HTTPStatus.CONFLICT, http.HTTPStatus.UNPROCESSABLE_ENTITY):
            if str(status.value) not in documented:
                responses[status.value] = status.name
        for status, response in responses.items():
            if str(status).startswith("2") and isinstance(response, dict):
                response.setdefault("headers", {})[REPLAYED_HEADER] = "IdempotentReplayed"


def init_app(app: Flask) -> None:
    # Wrapping the WSGI callable is how Flask takes middleware (its documentation).
    app.wsgi_app = DigestKeyedBodies(app.wsgi_app)  # type: ignore[method-assign]
    requests_sessions = app.extensions["db"].sessionmaker
    event.listen(requests_sessions, "before_commit", _insert_key)
    event.listen(requests_sessions, "after_commit", _mark_committed)
    app.before_request(_look_up)  # after authentication: keys are scoped to their sender
    app.after_request(_keep_answer)
