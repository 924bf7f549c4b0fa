"""What full-text search reads of claims and sources, written once for the models and for rebuilds.

A claim is found by its text and summary (in its language), its quotes (in their source's
language), its evidence's titles and summaries (in the evidence's language) and its reviews'
headlines (in the review's language); a source by its title and text. Each piece is analysed
in its language (service/search.index_text). The models keep `search_text` up to date as
they change; `rebuild()` writes it again for every row, for a migration that changes the
analysis, or `claimtrack search reindex` after an upgrade of the stemmers or lemma
dictionaries.

The table `search_analyser` lists the analysers whose terms the index holds, so that a query
is analysed under those alone: the languages of an archive are a few of the 35. A session
event adds the analysers of every search text it writes, so no write path can forget it.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import Column, Connection, String, Table, event, inspect
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from service.orm import Base
from service.search import PREFIX_END, index_text

# The ids of the analysers whose terms are in the index (never fewer than are).
search_analyser = Table(
    "search_analyser", Base.metadata, Column("id", String(16), primary_key=True)
)

BATCH = 2_000
Piece = tuple[str | None, str | None]  # (language, text)

# The columns a rebuild reads, as tables of their own: a migration runs this against the
# schema of its revision, not against whatever the models say later.
claim = sa.table(
    "claim",
    sa.column("id", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("summary", sa.Text),
    sa.column("language", sa.String),
    sa.column("search_text", sa.Text),
)
source = sa.table(
    "source",
    sa.column("id", sa.Integer),
    sa.column("title", sa.String),
    sa.column("text", sa.Text),
    sa.column("language", sa.String),
    sa.column("search_text", sa.Text),
)
appearance = sa.table(
    "appearance",
    sa.column("claim_id", sa.Integer),
    sa.column("source_id", sa.Integer),
    sa.column("quote", sa.Text),
)
review = sa.table(
    "review",
    sa.column("id", sa.Integer),
    sa.column("claim_id", sa.Integer),
    sa.column("headline", sa.String),
    sa.column("language", sa.String),
)
evidence = sa.table(
    "evidence",
    sa.column("claim_id", sa.Integer),
    sa.column("title", sa.String),
    sa.column("summary", sa.Text),
    sa.column("language", sa.String),
)


def claim_search_text(
    language: str | None,
    text: str,
    summary: str | None,
    quotes: Iterable[Piece],
    evidence_texts: Iterable[tuple[str | None, str | None, str | None]],
    headlines: Iterable[Piece] = (),
) -> str:
    """A claim's terms: `quotes` are (language, quote), `evidence_texts` (language, title,
    summary), `headlines` its reviews' (language, headline)."""
    pieces: list[Piece] = [(language, text), (language, summary), *quotes]
    for evidence_language, title, evidence_summary in evidence_texts:
        pieces += [(evidence_language, title), (evidence_language, evidence_summary)]
    return index_text([*pieces, *headlines])


def source_search_text(language: str | None, title: str | None, text: str | None) -> str:
    return index_text([(language, title), (language, text)])


def analysers_of(search_text: str) -> set[str]:
    """The ids of the analysers whose terms a search text holds."""
    return {term.partition(PREFIX_END)[0] for term in search_text.split()}


def present_analysers(connection: Connection) -> set[str]:
    return set(connection.scalars(sa.select(search_analyser.c.id)))


def note_analysers(connection: Connection, ids: set[str]) -> None:
    """Add these analysers to search_analyser, those it lacks."""
    if not ids:
        return
    dialect_insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(
        dialect_insert(search_analyser).on_conflict_do_nothing(),
        [{"id": analyser_id} for analyser_id in sorted(ids)],
    )


def _note_written_analysers(session: Session, _context, _instances) -> None:
    ids: set[str] = set()
    for row in (*session.new, *session.dirty):
        if hasattr(row, "search_text") and row.search_text:
            if row in session.new or inspect(row).attrs.search_text.history.has_changes():
                ids |= analysers_of(row.search_text)
    if ids:
        note_analysers(session.connection(), ids)


def watch(factory: sessionmaker) -> None:
    event.listen(factory, "before_flush", _note_written_analysers)


def rebuild(connection: Connection) -> None:
    """Write `search_text` again for every source and claim, a batch of rows at a time."""
    for rows in _batches(
        connection,
        sa.select(source.c.id, source.c.title, source.c.text, source.c.language),
        source.c.id,
    ):
        _update(
            connection,
            source,
            {row.id: source_search_text(row.language, row.title, row.text) for row in rows},
        )
    rebuild_claims(connection)


def rebuild_claims(connection: Connection) -> None:
    """Write `search_text` again for every claim."""
    statement = sa.select(claim.c.id, claim.c.text, claim.c.summary, claim.c.language)
    for rows in _batches(connection, statement, claim.c.id):
        ids = [row.id for row in rows]
        quotes: dict[int, list[Piece]] = {}
        for found in connection.execute(
            sa.select(appearance.c.claim_id, source.c.language, appearance.c.quote)
            .join(source, source.c.id == appearance.c.source_id)
            .where(appearance.c.claim_id.in_(ids))
        ):
            quotes.setdefault(found.claim_id, []).append((found.language, found.quote))
        texts: dict[int, list] = {}
        for piece in connection.execute(
            sa.select(
                evidence.c.claim_id, evidence.c.language, evidence.c.title, evidence.c.summary
            ).where(evidence.c.claim_id.in_(ids))
        ):
            texts.setdefault(piece.claim_id, []).append(tuple(piece[1:]))
        headlines: dict[int, list[Piece]] = {}
        for headline in connection.execute(
            sa.select(review.c.claim_id, review.c.language, review.c.headline)
            .where(review.c.claim_id.in_(ids))
            .order_by(review.c.id)
        ):
            headlines.setdefault(headline.claim_id, []).append(
                (headline.language, headline.headline)
            )
        _update(
            connection,
            claim,
            {
                row.id: claim_search_text(
                    row.language,
                    row.text,
                    row.summary,
                    quotes.get(row.id, []),
                    texts.get(row.id, []),
                    headlines.get(row.id, []),
                )
                for row in rows
            },
        )


def _batches(connection: Connection, statement: sa.Select, key: sa.ColumnElement):
    last = 0
    while rows := connection.execute(statement.where(key > last).order_by(key).limit(BATCH)).all():
        yield rows
        last = rows[-1].id


def _update(connection: Connection, table: sa.TableClause, texts: dict[int, str]) -> None:
    if texts:
        note_analysers(connection, set().union(*map(analysers_of, texts.values())))
        connection.execute(
            table.update().where(table.c.id == sa.bindparam("row_id")),
            [{"row_id": row_id, "search_text": text} for row_id, text in texts.items()],
        )
