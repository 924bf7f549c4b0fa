"""Claims as the API shows them, built from SQL rows rather than ORM objects: the read path.

Reading claims is what the API does most. Loading ORM objects (identity map, attribute
instrumentation, one query per relationship) and dumping them with marshmallow cost several
times the database round trip (bench/README.md has the figures). Here one statement returns
each claim with its tags, its evidence count and its appearances, the last two aggregated
as JSON by the database, and plain dicts come out, ready for the JSON encoder.

A document is exactly what `ClaimOut().dump(claim)` gives for the same claim; the field
lists below come from the schemas, and tests/claims/test_documents.py compares the two on
both databases, so they cannot drift apart. Writes keep using the models and the schemas.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import marshmallow as ma
from sqlalchemy import (
    BindParameter,
    Connection,
    Dialect,
    bindparam,
    column,
    func,
    literal_column,
    select,
)

from service.appearances.models import Appearance
from service.appearances.schemas import AppearanceOut
from service.claims.models import Claim, ClaimTag
from service.claims.schemas import ClaimOut
from service.claims.statuses import Status, rating
from service.engine import driver_errors
from service.etag import etag_value
from service.evidence.models import Evidence

# ClaimOut's fields, by where their values come from: the claim's own columns, or computed
# here, each by a part of the statement (_sql) and of the body (_body).
CLAIM_FIELDS = ClaimOut().dump_fields
CLAIM_COLUMNS = tuple(name for name in CLAIM_FIELDS if name in Claim.__table__.c)
COMPUTED = ("rating", "tags", "evidence_count", "appearances")
if {name for name in CLAIM_FIELDS if name not in CLAIM_COLUMNS} != set(COMPUTED):
    raise ImportError(
        "ClaimOut's fields that are not claim columns must be those documents.py computes: "
        f"{sorted(set(CLAIM_FIELDS) - set(CLAIM_COLUMNS))}, not {sorted(COMPUTED)}"
    )
APPEARANCE_FIELDS = AppearanceOut().dump_fields
RATINGS = {status.value: rating(status) for status in Status}
# What the statement selects, in order (see _sql).
COLUMNS = (*CLAIM_COLUMNS, "version", "evidence_count", "tags", "appearances")
# Values the driver gives as datetimes, dates or JSON, by the schema field that writes them.
TIMESTAMPS = tuple(n for n in CLAIM_COLUMNS if isinstance(CLAIM_FIELDS[n], ma.fields.DateTime))
DATES = tuple(n for n in CLAIM_COLUMNS if type(CLAIM_FIELDS[n]) is ma.fields.Date)
JSON_OBJECTS = tuple(n for n in CLAIM_COLUMNS if isinstance(CLAIM_FIELDS[n], ma.fields.Dict))
UUIDS = tuple(n for n in CLAIM_COLUMNS if isinstance(CLAIM_FIELDS[n], ma.fields.UUID))
BOOLEANS = tuple(n for n in CLAIM_COLUMNS if isinstance(CLAIM_FIELDS[n], ma.fields.Boolean))
APPEARANCE_TIMESTAMPS = tuple(
    n for n, f in APPEARANCE_FIELDS.items() if isinstance(f, ma.fields.DateTime)
)
APPEARANCE_UUIDS = tuple(n for n, f in APPEARANCE_FIELDS.items() if isinstance(f, ma.fields.UUID))


@dataclass(frozen=True, slots=True)
class Document:
    body: dict[str, Any]
    version: int

    @property
    def etag(self) -> str:
        return etag_value(self.body["id"], self.version)


def claim_documents(connection: Connection, ids: Iterable[int]) -> list[Document]:
    """The claims with these ids, in the order given (ids that do not exist are left out)."""
    ids = list(ids)
    if not ids:
        return []
    dialect = connection.dialect
    # One array parameter on PostgreSQL, one JSON text on SQLite: one statement, prepared once.
    ids_parameter = ids if dialect.name == "postgresql" else json.dumps(ids)
    rows = _fetch(connection, _sql(dialect, many=True), ids_parameter)
    by_id = {row["id"]: Document(_body(row), row["version"]) for row in rows}
    return [by_id[claim_id] for claim_id in ids if claim_id in by_id]


def claim_document(connection: Connection, claim_id: int) -> Document | None:
    rows = _fetch(connection, _sql(connection.dialect, many=False), claim_id)
    return Document(_body(rows[0]), rows[0]["version"]) if rows else None


def _fetch(connection: Connection, sql: str, parameter: Any) -> list[dict[str, Any]]:
    """Rows as dicts, straight from the driver connection under `connection`.

    SQLAlchemy's result layer would cost as much as the query itself; the statement is
    still SQLAlchemy's, compiled once per dialect.
    """
    positional = connection.dialect.positional  # sqlite3's "?" or psycopg's %(p)s
    with driver_errors(connection, sql):
        driver: Any = connection.connection.driver_connection  # checked out: never None
        cursor = driver.cursor()
        try:
            cursor.execute(sql, (parameter,) if positional else {"p": parameter})
            return [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
        finally:
            cursor.close()


@cache
def _sql(dialect: Dialect, *, many: bool) -> str:
    """The statement as the driver takes it, with one parameter `p`: an id, or the ids."""
    parameter: BindParameter[Any] = bindparam("p")
    if not many:
        wanted = Claim.id == parameter
    elif dialect.name == "postgresql":
        wanted = Claim.id == func.any(parameter)  # an array parameter: one prepared plan
    else:
        wanted = Claim.id.in_(select(column("value")).select_from(func.json_each(parameter)))
    json_object = func.json_build_object if dialect.name == "postgresql" else func.json_object
    json_array = func.json_agg if dialect.name == "postgresql" else func.json_group_array
    parts: list[Any] = []
    for name in APPEARANCE_FIELDS:  # field names: plain identifiers, safe as literals
        parts += (literal_column(f"'{name}'"), getattr(Appearance, name))
    appearance = json_object(*parts)
    appearances = select(json_array(appearance)).where(Appearance.claim_id == Claim.id)
    tags = select(json_array(ClaimTag.tag)).where(ClaimTag.claim_id == Claim.id)
    evidence_count = select(func.count(Evidence.id)).where(Evidence.claim_id == Claim.id)
    statement = select(
        *(getattr(Claim, name) for name in CLAIM_COLUMNS),
        Claim.version,
        evidence_count.scalar_subquery().label("evidence_count"),
        tags.scalar_subquery().label("tags"),
        appearances.scalar_subquery().label("appearances"),
    ).where(wanted)
    return str(statement.compile(dialect=dialect))


def _body(row: dict[str, Any]) -> dict[str, Any]:
    """ClaimOut's document from the driver's row (SQLite gives text where psycopg gives types)."""
    body = {name: row[name] for name in CLAIM_COLUMNS}
    for name in TIMESTAMPS:
        body[name] = _timestamp(body[name])
    for name in DATES:
        if isinstance(body[name], date):
            body[name] = body[name].isoformat()
    for name in JSON_OBJECTS:
        body[name] = _json(body[name])
    for name in UUIDS:
        body[name] = _uuid(body[name])
    for name in BOOLEANS:
        body[name] = bool(body[name])  # SQLite's are 0 and 1
    body["rating"] = RATINGS[row["status"]]
    body["tags"] = sorted(_json(row["tags"]) or ())
    body["evidence_count"] = row["evidence_count"]
    appearances = _json(row["appearances"]) or []
    for appearance in appearances:
        for name in APPEARANCE_TIMESTAMPS:
            appearance[name] = _timestamp(appearance[name])
        for name in APPEARANCE_UUIDS:
            appearance[name] = _uuid(appearance[name])
    body["appearances"] = sorted(appearances, key=lambda appearance: appearance["id"])
    return body


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _uuid(value: uuid.UUID | str) -> str:
    """As ClaimOut's UUID fields write it (SQLite stores 32 hex digits, PostgreSQL a uuid)."""
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(value))


def _timestamp(value: datetime | str | None) -> str | None:
    """As ClaimOut's AwareDateTime fields write it: UTC, ISO 8601 (SQLite's text is naive UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()
