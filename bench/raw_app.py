"""The floor: `GET /api/v1/claims/<id>` as a bare WSGI app on the raw driver, no framework.

It answers the same JSON document as the API (same fields, same key order and encoding,
with the appearances, rating, evidence_count and tags) and an ETag, from the same database:
psycopg 3 in autocommit mode or sqlite3, one connection per gunicorn thread, two queries.

    DATABASE_URL=... gunicorn -c python:service.gunicorn_conf 'bench.raw_app:create_app()'
"""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from datetime import UTC, date, datetime

from bench.database import Target
from service.claims import documents
from service.claims.statuses import Status, rating
from service.etag import etag_value

CLAIM_PATH = re.compile(r"/api/v1/claims/([1-9][0-9]{0,9})")
# The field lists of the document, as the app's read path takes them from its schemas: which
# columns to read, and which are timestamps, dates, UUIDs or booleans (sqlite3 gives 0/1).
# Nothing else of it.
CLAIM_COLUMNS = [*documents.CLAIM_COLUMNS, "version"]
APPEARANCE_COLUMNS = list(documents.APPEARANCE_FIELDS)
DATES = frozenset(documents.DATES)
TIMESTAMPS = frozenset(documents.TIMESTAMPS + documents.APPEARANCE_TIMESTAMPS)
UUIDS = frozenset(documents.UUIDS + documents.APPEARANCE_UUIDS)
BOOLEANS = frozenset(documents.BOOLEANS)
TAGS_SQL = {
    "postgresql": "array(SELECT tag FROM claim_tag WHERE claim_id = claim.id ORDER BY tag)",
    "sqlite": "(SELECT json_group_array(tag) FROM "
    "(SELECT tag FROM claim_tag WHERE claim_id = claim.id ORDER BY tag))",
}
PLACEHOLDER = {"postgresql": "%s", "sqlite": "?"}


def _columns(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def claim_sql(dialect: str) -> str:
    return (
        f"SELECT {_columns(CLAIM_COLUMNS)}, "
        "(SELECT count(*) FROM evidence WHERE evidence.claim_id = claim.id), "
        f"{TAGS_SQL[dialect]} FROM claim WHERE id = {PLACEHOLDER[dialect]}"
    )


def appearances_sql(dialect: str) -> str:
    return (
        f"SELECT {_columns(APPEARANCE_COLUMNS)} FROM appearance "
        f"WHERE claim_id = {PLACEHOLDER[dialect]} ORDER BY id"
    )


def iso_timestamp(value) -> str:
    """As marshmallow's AwareDateTime writes the app's UTC datetimes."""
    if isinstance(value, str):  # SQLite: SQLAlchemy's naive UTC text
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _plain(name: str, value):
    if value is None:
        return None
    if name in TIMESTAMPS:
        return iso_timestamp(value)
    if name in DATES and isinstance(value, date):
        return value.isoformat()
    if name in UUIDS:  # psycopg gives a UUID, sqlite3 SQLAlchemy's 32 hex digits
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(value))
    if name in BOOLEANS:
        return bool(value)
    return value


def claim_document(row: tuple, appearances: list[tuple]) -> dict:
    """The ClaimOut document from the raw rows."""
    *fields, evidence_count, tags = row
    claim = {name: _plain(name, value) for name, value in zip(CLAIM_COLUMNS, fields, strict=True)}
    version = claim.pop("version")
    if isinstance(claim["original_rating"], str):  # JSON: text from sqlite3, parsed by psycopg
        claim["original_rating"] = json.loads(claim["original_rating"])
    claim["rating"] = rating(Status(claim["status"]))
    claim["evidence_count"] = evidence_count
    claim["tags"] = json.loads(tags) if isinstance(tags, str) else list(tags)
    claim["appearances"] = [
        {name: _plain(name, value) for name, value in zip(APPEARANCE_COLUMNS, item, strict=True)}
        for item in appearances
    ]
    claim["_etag"] = etag_value(claim["id"], version)
    return claim


class Claims:
    """One connection per thread, opened on first use (after gunicorn has forked)."""

    def __init__(self, target: Target):
        self.target = target
        self.claim_sql = claim_sql(target.dialect)
        self.appearances_sql = appearances_sql(target.dialect)
        self.local = threading.local()

    def _connection(self):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.target.connect(autocommit=True)
            if self.target.dialect == "postgresql":
                connection.execute("SET TIME ZONE 'UTC'")
            self.local.connection = connection
        return connection

    def get(self, claim_id: int) -> dict | None:
        connection = self._connection()
        row = connection.execute(self.claim_sql, (claim_id,)).fetchone()
        if row is None:
            return None
        appearances = connection.execute(self.appearances_sql, (claim_id,)).fetchall()
        return claim_document(row, appearances)


def encode(document: dict) -> bytes:
    """Flask's default JSON: sorted keys, compact, ASCII, a closing newline."""
    return (json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n").encode()


def make_app(target: Target):
    claims = Claims(target)
    not_found = encode({"status": 404, "title": "Not Found"})

    def app(environ, start_response):
        match = CLAIM_PATH.fullmatch(environ.get("PATH_INFO", ""))
        document = claims.get(int(match[1])) if match else None
        if document is None:
            start_response("404 Not Found", [("Content-Type", "application/problem+json")])
            return [not_found]
        etag = document.pop("_etag")
        body = encode(document)
        start_response(
            "200 OK",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("ETag", etag),
            ],
        )
        return [body]

    return app


def create_app():
    """For gunicorn: `bench.raw_app:create_app()`, reading DATABASE_URL."""
    return make_app(Target.from_url(os.environ["DATABASE_URL"]))
