"""Full-text search with web-search syntax, the same on PostgreSQL and SQLite.

A query is words and "quoted phrases", ANDed; `or` between them makes alternatives, and a
leading `-` excludes. Stop words ("the", "and") count only inside phrases. Words are
stemmed (`opened` finds `open`). The query is parsed here, once, and written out for each
database: for PostgreSQL as input to `websearch_to_tsquery` over a stored, GIN-indexed
`search_vector` column (migration 0005; claims keep theirs in a table of their own, 0008), for
SQLite as an FTS5 MATCH over a porter-stemmed external-content table. Either way the user's
text is a bound parameter, never SQL; and a query with nothing to look for finds nothing, on
both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import (
    Double,
    Float,
    Select,
    cast,
    column,
    false,
    func,
    literal,
    literal_column,
    select,
    table,
    true,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause, TableClause

# PostgreSQL's English stop words (Snowball's list): it drops them from bare words, so we
# drop them too, for SQLite's sake. Inside "quoted phrases" both keep their place.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can did do does doing don down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own s same she should so some such t than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with you your yours yourself yourselves""".split()
)
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w", re.UNICODE)
TS_CONFIG = literal_column("'english'::regconfig")
# PostgreSQL: to_tsvector(TS_CONFIG, search_text), generated and stored by the migrations.
VECTOR_COLUMN = "search_vector"


@dataclass(frozen=True)
class Term:
    text: str
    excluded: bool = False


def parse(query: str) -> list[list[Term]]:
    """Alternatives (split by `or`), each a list of terms that must all hold.

    Terms without a letter or digit are dropped, and so is an alternative with nothing to
    look for but exclusions: "-moon" alone finds nothing, rather than everything else.
    """
    alternatives: list[list[Term]] = [[]]
    for match in TOKEN.finditer(query):
        minus, phrase, word = match.groups()
        if word is not None and word.lower() == "or":
            alternatives.append([])
            continue
        if word is not None:
            minus, text = ("-", word[1:]) if word.startswith("-") else ("", word)
            if text.lower() in STOP_WORDS:
                continue
        else:
            text = phrase
        text = " ".join(text.replace('"', " ").split())
        if WORD.search(text):
            alternatives[-1].append(Term(text, excluded=minus == "-"))
    return [terms for terms in alternatives if any(not t.excluded for t in terms)]


def websearch_text(alternatives: list[list[Term]]) -> str:
    """The parsed query, re-written for PostgreSQL's websearch_to_tsquery."""
    return " or ".join(
        " ".join(("-" if t.excluded else "") + f'"{t.text}"' for t in terms)
        for terms in alternatives
    )


def fts5_text(alternatives: list[list[Term]]) -> str:
    """The parsed query, re-written as an FTS5 query of quoted strings (no FTS5 syntax)."""

    def quoted(term: Term) -> str:
        return '"' + term.text.replace('"', '""') + '"'

    groups = []
    for terms in alternatives:
        wanted = " AND ".join(quoted(t) for t in terms if not t.excluded)
        unwanted = "".join(f" NOT {quoted(t)}" for t in terms if t.excluded)
        groups.append(f"({wanted}{unwanted})")
    return " OR ".join(groups)


@dataclass(frozen=True)
class Searchable:
    """A searchable table: its id, and where its words are indexed on each database.

    SQLite: an FTS5 external-content table whose rowid is the id. PostgreSQL: a stored
    `search_vector`, in the table itself or, given `vector_table`, in a table beside it whose
    `vector_key` column holds the id.
    """

    table: str
    id_column: ColumnElement
    fts_table: str
    vector_table: TableClause | None = None
    vector_key: str = "id"

    @property
    def vector(self) -> ColumnElement:
        """PostgreSQL's stored vector, wherever it is kept."""
        if self.vector_table is None:
            return literal_column(f"{self.table}.{VECTOR_COLUMN}")
        return self.vector_table.c[VECTOR_COLUMN]

    @property
    def fts(self) -> TableClause:
        """SQLite's FTS5 table: its rowid, and the column named after it that MATCH takes."""
        return table(self.fts_table, column("rowid"), column(self.fts_table))


@dataclass(frozen=True)
class Found:
    """A statement narrowed to the rows that match a search."""

    statement: Select
    reads: FromClause  # the table its rows come from first
    rank: ColumnElement[float] | None = None  # higher: better; None when not ranked


def search(statement: Select, target: Searchable, query: str, dialect: str) -> Found:
    """`statement` narrowed to rows matching `query`, and the relevance of each."""
    searched = target.id_column.table
    alternatives = parse(query)
    if not alternatives:
        return Found(statement.where(false()), searched, literal(0.0, Float))
    if dialect == "postgresql":
        reads, vector = searched, target.vector
        if target.vector_table is not None:
            # The rows come from the vector table; the searched table is joined outer, so
            # that PostgreSQL leaves it out of a query that reads nothing else of it (every
            # row has its counterpart: a foreign key).
            reads = target.vector_table
            statement = statement.select_from(reads).outerjoin(
                searched, target.id_column == reads.c[target.vector_key]
            )
        # The query in FROM, parsed once: drivers prepare repeated statements, and in a
        # generic plan a websearch_to_tsquery($1) in ts_rank is parsed again for every row.
        parsed = (
            func.websearch_to_tsquery(TS_CONFIG, websearch_text(alternatives))
            .table_valued("query")
            .render_derived(name="search_query")
        )
        statement = statement.join(parsed, true())
        tsquery = parsed.c.query
        # ts_rank is a 4-byte real; as a double it survives the trip through a cursor exactly,
        # so the next page starts right after the last row even among equal ranks.
        rank = cast(func.ts_rank(vector, tsquery), Double)
        return Found(statement.where(vector.op("@@")(tsquery)), reads, rank)
    fts = target.fts
    rank = -func.bm25(literal_column(target.fts_table), type_=Float)
    narrowed = statement.join(fts, fts.c.rowid == target.id_column).where(
        fts.c[target.fts_table].op("MATCH")(fts5_text(alternatives))
    )
    return Found(narrowed, searched, rank)


def matching(target: Searchable, query: str, dialect: str) -> Found:
    """The ids of the rows that match `query`, unranked: for `id IN (...)`.

    For lists in another order than relevance. On PostgreSQL the query is written in the
    condition, where the planner sees it: it can tell a rare word (collect the few matches)
    from a common one (walk the list's order and stop at a page).
    """
    searched = target.id_column.table
    alternatives = parse(query)
    if not alternatives:
        return Found(select(target.id_column).where(false()), searched)
    if dialect == "postgresql":
        tsquery = func.websearch_to_tsquery(TS_CONFIG, websearch_text(alternatives))
        vectors = target.vector_table
        key = target.id_column if vectors is None else vectors.c[target.vector_key]
        ids = select(key).where(target.vector.op("@@")(tsquery))
        return Found(ids, searched if vectors is None else vectors)
    fts = target.fts
    ids = select(fts.c.rowid).where(fts.c[target.fts_table].op("MATCH")(fts5_text(alternatives)))
    return Found(ids, fts)
