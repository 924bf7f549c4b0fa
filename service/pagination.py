"""One keyset-cursor paginator for every list: stable under inserts, no OFFSET."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast
from urllib.parse import urlencode

import marshmallow as ma
from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Select, and_, false, func, or_, select, tuple_
from sqlalchemy.orm import Session

from service.errors import BadRequestError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageQuery(ma.Schema):
    """The paging parameters every list takes."""

    limit = ma.fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=ma.validate.Range(1, MAX_LIMIT),
        metadata={"description": f"Items per page, {MAX_LIMIT} at most."},
    )
    cursor = ma.fields.String(
        validate=ma.validate.Length(max=1000),
        metadata={"description": "The `next_cursor` of the previous page."},
    )
    with_total = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Also count every matching item (costs a query)."},
    )


class PageEnvelope(ma.Schema):
    @ma.post_dump
    def drop_total_unless_counted(self, data, **_kwargs):
        if data.get("total") is None:
            data.pop("total", None)
        return data


def page_schema(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The envelope of a list of `item_schema`, named after it for the spec."""
    name = item_schema.__name__.removesuffix("Schema").removesuffix("Out") + "Page"
    return type(
        name,
        (PageEnvelope,),
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "next_cursor": ma.fields.String(
                allow_none=True,
                required=True,
                metadata={"description": "Pass as `cursor` for the next page; null on the last."},
            ),
            "total": ma.fields.Integer(
                metadata={
                    "description": "Every matching item; only with `with_total=true`.",
                    "sometimes_absent": True,
                }
            ),
        },
    )


@dataclass(frozen=True)
class SortKey:
    """One column (or expression) of a sort order; the last key of every order must be unique.

    `nulls_last` (ascending keys only) puts rows without a value after all the others.
    """

    column: Any
    descending: bool = False
    nulls_last: bool = False

    def ordering(self):
        ordered = self.column.desc() if self.descending else self.column.asc()
        return ordered.nulls_last() if self.nulls_last else ordered

    def beyond(self, value: Any):
        """Rows strictly after `value` in this key's order."""
        if self.descending:
            return self.column < value
        if not self.nulls_last:
            return self.column > value
        return false() if value is None else or_(self.column > value, self.column.is_(None))

    def level(self, value: Any):
        return self.column.is_(None) if value is None else self.column == value


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None
    total: int | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        """The page as JSON, for items that are documents already (page_schema's shape)."""
        envelope: dict[str, Any] = {"items": self.items, "next_cursor": self.next_cursor}
        if self.total is not None:
            envelope["total"] = self.total
        response = cast(Response, current_app.json.response(envelope))
        response.headers.extend(self.headers)
        return response


def paginate(
    session: Session,
    statement: Select,
    *,
    order: Sequence[SortKey],
    sort_name: str,
    limit: int,
    cursor: str | None = None,
    with_total: bool = False,
    rows: Callable[[list[Any] | None, int], Sequence[Sequence[Any]]] | None = None,
) -> Page:
    """One page of `statement` (which selects one entity or column) in `order`, after `cursor`.

    `rows(after, count)`, given, reads the page instead: the rows that `statement` would
    give in `order` after the sort keys' values `after` (None: from the start), each the
    item and then its sort keys' values, `count` at most.
    """
    total = None
    if with_total:
        total = session.scalar(
            select(func.count()).select_from(statement.order_by(None).subquery())
        )
    after = _decode(cursor, order, sort_name) if cursor else None
    if rows is not None:
        page_rows = rows(after, limit + 1)
    else:
        page_rows = ordered_rows(session, statement, order, after, limit + 1)
    next_cursor = None
    if len(page_rows) > limit:
        page_rows = page_rows[:limit]
        next_cursor = _encode(list(page_rows[-1][1:]), sort_name)
    return Page([row[0] for row in page_rows], next_cursor, total, _link_header(next_cursor))


def ordered_rows(
    session: Session,
    statement: Select,
    order: Sequence[SortKey],
    after: list[Any] | None,
    count: int,
) -> Sequence[Sequence[Any]]:
    """`count` rows at most of `statement` in `order`, after the sort keys' values `after`
    (None: from the start): each the item, then its sort keys' values."""
    if after is not None:
        statement = statement.where(past(order, after))
    # The sort keys ride along with each row, so that computed ones (a search rank) can go
    # into the next cursor as the database saw them.
    statement = (
        statement.add_columns(*(key.column for key in order))
        .order_by(*(key.ordering() for key in order))
        .limit(count)
    )
    return session.execute(statement).all()


def through(order: Sequence[SortKey], values: Sequence[Any]):
    """The rows that come before `values` in `order`, or are at them: for an order of keys
    all in one direction and never null (the others have no such comparison here)."""
    directions = {key.descending for key in order}
    assert len(directions) == 1 and not any(key.nulls_last for key in order)
    columns = tuple_(*(key.column for key in order))
    return columns >= tuple_(*values) if directions.pop() else columns <= tuple_(*values)


def paginate_by_id(session: Session, statement: Select, **paging: Any) -> Page:
    """Oldest first, by id: the order of a claim's appearances, evidence and timeline."""
    entity = statement.column_descriptions[0]["entity"]
    return paginate(session, statement, order=(SortKey(entity.id),), sort_name="id", **paging)


def past(order: Sequence[SortKey], values: Sequence[Any]):
    """The rows that come after `values` in `order`."""
    directions = {key.descending for key in order}
    plain = not any(key.nulls_last for key in order)
    if len(directions) == 1 and plain:
        # One direction: a row-value comparison, which both databases serve from an index.
        columns = tuple_(*(key.column for key in order))
        return columns < tuple_(*values) if directions.pop() else columns > tuple_(*values)
    clauses = []
    for index, key in enumerate(order):
        level = [k.level(v) for k, v in zip(order[:index], values[:index], strict=True)]
        clauses.append(and_(*level, key.beyond(values[index])))
    return or_(*clauses)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="claimtrack.cursor")


def _encode(values: list[Any], sort_name: str) -> str:
    plain = [v.isoformat() if isinstance(v, date | datetime) else v for v in values]
    # Signed together with the list's path and sort: it is good for that list only.
    return _serializer().dumps({"list": request.path, "sort": sort_name, "after": plain})


def _decode(cursor: str, order: Sequence[SortKey], sort_name: str) -> list[Any]:
    invalid = BadRequestError(
        "cursor: not a cursor this list gave out; start again without it",
        errors={"cursor": ["Not a valid cursor for this list and sort."]},
    )
    try:
        payload = _serializer().loads(cursor)
    except BadSignature:
        raise invalid from None
    if not isinstance(payload, dict) or (payload.get("list"), payload.get("sort")) != (
        request.path,
        sort_name,
    ):
        raise invalid
    after = payload.get("after")
    if not isinstance(after, list) or len(after) != len(order):
        raise invalid
    try:
        return [_revive(key, value) for key, value in zip(order, after, strict=True)]
    except (TypeError, ValueError):
        raise invalid from None


def _revive(key: SortKey, value: Any) -> Any:
    python_type = key.column.type.python_type
    if value is None:
        return value
    if issubclass(python_type, datetime):
        return datetime.fromisoformat(value)
    if issubclass(python_type, date):
        return date.fromisoformat(value)
    return python_type(value)


def _link_header(next_cursor: str | None) -> dict[str, str]:
    if next_cursor is None:
        return {}
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "cursor"]
    args.append(("cursor", next_cursor))
    return {"Link": f'<{request.base_url}?{urlencode(args)}>; rel="next"'}
