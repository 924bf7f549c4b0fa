"""Writing an import's new rows in bulk: ids first, then one COPY (or executemany) per table.

The unit of work is made for a request's handful of rows: it tracks every attribute, sorts
rows by their dependencies and, on PostgreSQL, writes rows without ids as INSERT … RETURNING
pages of thousands of parameters that psycopg parses in Python. For the thousands of rows a
batch of claim records makes, that bookkeeping costs more than the database does.

So an import builds its new claims as usual (the models' own rules: fingerprints, languages,
search text, anchors) but never adds them to the session. `RowWriter.write` gives every new
row an id, copies ids into the foreign keys that refer to them, fills the columns' defaults,
stamps the author as the audit recorder does, and inserts each table's rows at once: by
COPY on PostgreSQL, by one executemany on SQLite. It records the audit events and search
analysers that the session events would have, so that nothing an import writes escapes
either. The rows stay transient: the session never sees them, and a
later change to one goes through the ORM after loading it.
"""

from __future__ import annotations

import os
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, cast

from sqlalchemy import Connection, Dialect, Table, func, insert, inspect, select
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.orm.interfaces import MANYTOMANY, MANYTOONE, ONETOMANY

from service.appearances.models import Appearance
from service.audit.models import Action, AuditEvent
from service.audit.recorder import AUDITED, SYSTEM_ACTOR, actor_of
from service.claims.models import Claim, ClaimTag
from service.engine import driver_errors
from service.evidence.models import Evidence
from service.indexing import analysers_of, note_analysers
from service.orm import utcnow
from service.publishers.models import Publisher
from service.reviews.models import Review
from service.sources.models import Source
from service.status_changes.models import StatusChange

# Referred-to tables first.
ORDER = (Publisher, Source, Claim, ClaimTag, Appearance, Evidence, Review, StatusChange)


class Ids:
    """Ids for new rows, a block per table: from the table's sequence on PostgreSQL; on
    SQLite, after the largest one (the import holds the database's only write lock)."""

    def __init__(self, session: Session):
        self.session = session
        self.postgresql = session.get_bind().dialect.name == "postgresql"
        self.sequences: dict[str, str | None] = {}

    def assign(self, rows: Iterable[Any], *, transient: bool = False) -> None:
        """Give each row without an id the next of its table's. `transient`: the rows are
        no session's, so the ids go straight into their state, without attribute events."""
        waiting: dict[Table, list[Any]] = defaultdict(list)
        for row in rows:
            table = row.__table__
            if "id" in table.c and row.id is None:
                waiting[table].append(row)
        with self.session.no_autoflush:
            for table, held in waiting.items():
                for row, new_id in zip(held, self._block(table, len(held)), strict=True):
                    if transient:
                        row.__dict__["id"] = new_id
                    else:
                        row.id = new_id

    def _block(self, table: Table, size: int) -> Iterable[int]:
        if not self.postgresql:
            last: int = self.session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0
            return range(last + 1, last + 1 + size)
        if table.name not in self.sequences:
            self.sequences[table.name] = self.session.scalar(
                select(func.pg_get_serial_sequence(table.name, "id"))
            )
        # One row holding them all: a block of thousands costs one array, not a row each.
        block: list[int] = self.session.scalar(
            select(func.array_agg(func.nextval(self.sequences[table.name]))).select_from(
                func.generate_series(1, size)
            )
        )
        return sorted(block)  # in the order the rows were made (timelines are read by id)


class RowWriter:
    """Inserts new model objects, and the rows of their many-to-many links, in bulk."""

    def __init__(self, session: Session):
        self.session = session
        self.ids = Ids(session)

    def write(self, rows: list[Any]) -> None:
        """Insert these new (transient) objects: each table's rows in one statement."""
        if not rows:
            return
        self.ids.assign(rows, transient=True)
        by_model: dict[type, list[Any]] = defaultdict(list)
        for row in rows:
            by_model[type(row)].append(row)
        links: dict[Table, list[dict[str, Any]]] = defaultdict(list)
        for model, objects in by_model.items():
            relations = _relations(inspect(model))
            for row in objects:
                _copy_keys(row, relations, links)
        actor, now = actor_of(self.session), utcnow()
        analysers: set[str] = set()
        audit: list[dict[str, Any]] = []
        connection = self.session.connection()
        uids = _Uids(len(rows))
        for model in sorted(by_model, key=ORDER.index):
            objects, mapper = by_model[model], cast(Mapper, inspect(model))
            values = [_values(row, mapper, actor, uids) for row in objects]
            table = cast(Table, mapper.local_table)
            _insert(connection, table, values)
            for row in objects:
                if getattr(row, "search_text", None):
                    analysers |= analysers_of(row.search_text)
            if table.name in AUDITED:
                audit += [_created(row, actor, now) for row in objects]
        for table, link_rows in links.items():
            _insert(connection, table, link_rows)
        if audit:
            _insert(connection, cast(Table, AuditEvent.__table__), audit)
        note_analysers(connection, analysers)


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows that all name the same columns: by COPY on PostgreSQL, whose rows cost a
    fraction of an INSERT's each; by executemany elsewhere."""
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    from psycopg import sql  # the postgres extra: SQLite-only installs never get here

    named = rows[0].keys()  # every row names the same columns; the rest take their defaults
    columns = [each for each in _bind_processors(table, connection.dialect) if each[0] in named]
    names = [name for name, _process in columns]
    # Most columns' values go as they are: only those with a conversion are looked at again.
    converted = [(place, process) for place, (_name, process) in enumerate(columns) if process]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    with (
        driver_errors(connection, f"COPY {table.name}"),
        cast(Any, connection.connection.driver_connection).cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in rows:
            values = [row[name] for name in names]
            for place, process in converted:
                if values[place] is not None:
                    values[place] = process(values[place])
            copy.write_row(values)


@cache
def _bind_processors(table: Table, dialect: Dialect) -> list[tuple[str, Any]]:
    """(column, what makes a Python value the database's) for each column: the conversions
    SQLAlchemy applies to a bound parameter (enums to names, JSON to Json, …)."""
    return [
        (column.key, column.type.dialect_impl(dialect).bind_processor(dialect))
        for column in table.columns
    ]


def new_rows(claim: Claim) -> list[Any]:
    """A new claim and every new row it holds (its sources and publishers are written
    before it, with the batch's look-ups)."""
    return [
        claim,
        *claim.tag_rows,
        *claim.appearances,
        *claim.evidence,
        *claim.reviews,
        *claim.status_changes,
    ]


def _copy_keys(row: Any, relations: list, links: dict[Table, list[dict[str, Any]]]) -> None:
    """Set the row's foreign keys from the objects it refers to, and those of the rows it
    holds, along its mapper's `relations` (_relations); add the rows of its many-to-many
    links. The rows are transient (no session's): their state is written directly, without
    attribute events."""
    state = row.__dict__
    for relation, pairs, secondary_pairs in relations:
        held = state.get(relation.key)
        if held is None:
            continue
        if relation.direction is MANYTOONE:
            for attribute, remote in pairs:
                state[attribute] = getattr(held, remote)
        elif relation.direction is ONETOMANY:
            for child in held:
                for local, attribute in pairs:
                    child.__dict__[attribute] = getattr(row, local)
        elif relation.direction is MANYTOMANY:
            for other in held:
                link = {column: getattr(row, attribute) for attribute, column in pairs}
                link |= {column: getattr(other, remote) for remote, column in secondary_pairs}
                links[relation.secondary].append(link)


@cache
def _relations(mapper: Mapper) -> list[tuple[Any, list[tuple[str, Any]], list[tuple[str, Any]]]]:
    """The relationships a new row's keys are copied along, each with its pairs of attributes:
    many-to-one (the row's, the held object's), one-to-many (the row's, the child's),
    many-to-many (the row's or the other object's, the link table's column)."""
    found = []
    for relation in mapper.relationships:
        if relation.viewonly:
            continue
        target = relation.mapper
        if relation.direction is MANYTOMANY:
            pairs = [(_key(mapper, mine), link.key) for mine, link in relation.synchronize_pairs]
            secondary_pairs = [
                (_key(target, theirs), link.key)
                for theirs, link in relation.secondary_synchronize_pairs or ()
            ]
        else:
            pairs = [
                (_key(mapper, mine), _key(target, theirs))
                for mine, theirs in relation.local_remote_pairs
            ]
            secondary_pairs = []
        found.append((relation, pairs, secondary_pairs))
    return found


def _key(mapper: Mapper, column) -> str:
    return mapper.get_property_by_column(column).key


def _values(row: Any, mapper: Mapper, actor: str | None, uids: _Uids) -> dict[str, Any]:
    """Every column of the row, as the unit of work would write it: a default where the
    value is missing or None, the author stamped (in the transient row's state, directly)."""
    state = row.__dict__
    if actor is not None:
        for name in _authored(mapper):
            state[name] = actor
    columns, defaults = _columns(mapper)
    values = {column: state.get(column) for column in columns}
    for column, make in defaults:
        if values[column] is None:
            values[column] = make(uids)
    state.update(values)  # the row as written: an attribute is named as its column
    return values


class _Uids:
    """Random (version 4) UUIDs for the rows of one write, where a column's default is
    uuid.uuid4 (every model's `uid`: service.orm.Identified): read from the system's randomness
    at once for all of them. A read each cost more than the rest of writing the row: 9 µs,
    measured in a sandboxed container, where system calls are dear."""

    def __init__(self, count: int):
        self._random = os.urandom(16 * count)
        self._taken = 0

    def take(self) -> uuid.UUID:
        start = self._taken * 16
        self._taken += 1
        return uuid.UUID(bytes=self._random[start : start + 16], version=4)


@cache
def _authored(mapper: Mapper) -> tuple[str, ...]:
    """The attributes that name the row's author, stamped when it is written."""
    return tuple(name for name in ("created_by", "updated_by") if name in mapper.attrs)


@cache
def _columns(mapper: Mapper) -> tuple[tuple[str, ...], tuple[tuple[str, Default], ...]]:
    """The table's columns, and how each column with a default makes its value.

    Columns are looked up in the row's state by their names: a model that maps one under
    another attribute name is refused here rather than written without its value.
    """
    columns = mapper.local_table.columns
    renamed = [c.key for c in columns if mapper.get_property_by_column(c).key != c.key]
    if renamed:
        raise TypeError(f"{mapper.class_.__name__} maps {renamed} under other names")
    defaults = tuple((c.key, _default(c.default)) for c in columns if c.default is not None)
    return tuple(column.key for column in columns), defaults


Default = Callable[[_Uids], Any]  # a column's default value, made for a row of a write


def _default(default: Any) -> Default:
    """A column default as the unit of work would make it; uuid.uuid4 from the write's uids."""
    if getattr(default.arg, "__wrapped__", None) is uuid.uuid4:
        return _Uids.take
    if default.is_callable:
        return lambda _uids: default.arg(None)
    return lambda _uids: default.arg


def _created(row: Any, actor: str | None, now) -> dict[str, Any]:
    return {
        "at": now,
        "actor": actor or SYSTEM_ACTOR,
        "action": Action.CREATE,
        "resource": row.__tablename__,
        "resource_id": row.id,
        "fields": None,
    }
