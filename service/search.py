"""Full-text search with web-search syntax, in every language, the same on PostgreSQL and SQLite.

A query is words and "quoted phrases", ANDed; `or` between them makes alternatives, and a
leading `-` excludes. The index holds terms, not text: each piece of a record is analysed in
its own language (service/analysis: stemming or lemmas, Arabic clitics, case and diacritic
folding), and each term is stored behind the id of the analyser that made it (`fr0photo`,
`ar0قنصل`). A query is analysed once under every analyser, and its alternatives become one
group per analyser: so a document matches when the query matches under its own language,
and only then. English stop words count only inside phrases.

The terms are written for each database by this module alone: PostgreSQL builds a tsvector
from them as they are (claimtrack_terms_vector(), in the migrations: no text-search parser or
dictionary between them and the index, so no locale changes them) and takes the query as a
tsquery literal; SQLite indexes them in FTS5 tables with the `ascii` tokenizer, which splits
at spaces only (non-ASCII characters are word characters to it) and matches a query of
quoted strings. Either way the user's text is a bound parameter, never SQL; and a query
with nothing to look for finds nothing, on both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    Double,
    Float,
    Select,
    case,
    cast,
    column,
    false,
    func,
    literal,
    literal_column,
    null,
    select,
    table,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause, Subquery, TableClause

from service.analysis import ANALYSERS, Analyser, analyser_for, query_terms
from service.engine import serial_plans
from service.pagination import SortKey, ordered_rows, past, through

TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Between an analyser's id (letters) and a term: no prefixed term can be read two ways.
PREFIX_END = "0"
# PostgreSQL: claimtrack_terms_vector(search_text), kept by the migrations' triggers.
VECTOR_COLUMN = "search_vector"
# The columns a subquery of matches carries out for their rank (Found.rank_in).
CARRIED_PARTITION, CARRIED_QUERY, CARRIED_RANK = "search_partition", "search_query", "search_rank"


@dataclass(frozen=True)
class Term:
    text: str
    excluded: bool = False


# A query under one analyser: its terms, each a run of index terms (a phrase, or one word),
# and whether it is excluded.
Group = list[tuple[tuple[str, ...], bool]]


def parse(query: str) -> list[list[Term]]:
    """Alternatives (split by `or`), each a list of words or phrases that must all hold."""
    alternatives: list[list[Term]] = [[]]
    for match in TOKEN.finditer(query):
        minus, phrase, word = match.groups()
        if word is not None and word.lower() == "or":
            alternatives.append([])
            continue
        if word is not None:
            minus, text = ("-", word[1:]) if word.startswith("-") else ("", word)
        else:
            text = phrase
        text = " ".join(text.replace('"', " ").split())
        if text:
            alternatives[-1].append(Term(text, excluded=minus == "-"))
    return [terms for terms in alternatives if terms]


def index_text(pieces: Iterable[tuple[str | None, str | None]]) -> str:
    """What the index stores for a record's (language, text) pieces: their prefixed terms."""
    return " ".join(
        f"{analyser.id}{PREFIX_END}{term}"
        for language, text in pieces
        if text
        for analyser in (analyser_for(language),)
        for term in analyser.terms(text)
    )


def query_groups(alternatives: list[list[Term]], analysers: Collection[str]) -> list[Group]:
    """The query under each of these analysers (their ids): one group per alternative and
    analyser that has something to look for (stop words alone, or exclusions only, have not)."""
    groups = []
    for terms in alternatives:
        for analyser in ANALYSERS:
            if analyser.id not in analysers:
                continue
            group = _group(terms, analyser)
            if any(not excluded for _, excluded in group):
                groups.append(group)
    return groups


def _group(terms: list[Term], analyser: Analyser) -> Group:
    prefix = f"{analyser.id}{PREFIX_END}"
    group = []
    for term in terms:
        analysed = tuple(prefix + t for t in query_terms(term.text, analyser))
        if analysed:
            group.append((analysed, term.excluded))
    return group


def tsquery_text(groups: list[Group]) -> str:
    """The groups as a PostgreSQL tsquery literal: `('fr0a' & 'fr0b') | ('en0a' & !'en0c')`."""

    def operand(terms: tuple[str, ...], excluded: bool) -> str:
        phrase = " <-> ".join(f"'{t}'" for t in terms)  # terms are letters and digits
        phrase = f"({phrase})" if len(terms) > 1 else phrase
        return f"!{phrase}" if excluded else phrase

    return " | ".join(
        "(" + " & ".join(operand(terms, excluded) for terms, excluded in group) + ")"
        for group in groups
    )


def fts5_text(groups: list[Group]) -> str:
    """The groups as an FTS5 query of quoted strings: `("fr0a" AND "fr0b") OR (...)`."""
    parts = []
    for group in groups:
        wanted = " AND ".join(f'"{" ".join(terms)}"' for terms, excluded in group if not excluded)
        unwanted = "".join(f' NOT "{" ".join(terms)}"' for terms, excluded in group if excluded)
        parts.append(f"({wanted}{unwanted})")
    return " OR ".join(parts)


@dataclass(frozen=True)
class Searchable:
    """A searchable table: its id, and where its words are indexed on each database.

    SQLite: an FTS5 external-content table whose rowid is the id. PostgreSQL: a stored
    `search_vector`, in the table itself or, given `vector_table`, in a table beside it whose
    `vector_key` column holds the id.
    """

    table: str
    id_column: InstrumentedAttribute[int]  # a mapped class's id: Claim.id
    fts_table: str
    vector_table: TableClause | None = None
    vector_key: str = "id"
    # The column `vector_table` is partitioned by, if it is: with the key, it finds a row in
    # one partition.
    vector_partition: str | None = None

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
    """A statement narrowed to the rows that match a search: `joined` where `condition`."""

    joined: Select  # the statement with what the search joins, without its condition
    condition: ColumnElement[bool]
    reads: FromClause  # the table its rows come from first
    rank: ColumnElement[float] | None = None  # higher: better; None when not ranked
    # What a subquery of the matches selects, beside their `id`, so that the rank can be
    # computed outside it (`rank_in`): a match is ranked only once it is among those kept.
    carried: tuple[ColumnElement, ...] = ()
    # PostgreSQL: where rank_in looks a kept match's vector up (its table, key column, and
    # partition column or None).
    vectors: tuple[FromClause, str, str | None] | None = None

    @property
    def statement(self) -> Select:
        return self.joined.where(self.condition)

    def rank_in(self, matches: Subquery) -> ColumnElement[float]:
        """The rank of each row of `matches`, a subquery that selects `id` and `carried`.

        PostgreSQL: the vector does not travel out of a subquery that collects every match;
        the rank reads it again, by key, for each row kept. A subquery that sorts its
        matches to keep the newest would otherwise sort every match's vector along: 1.5 kB
        a row, 150 MB spilled to disk for a search of 97,000 matches at a million claims
        (bench/HISTORY.md).
        """
        if self.vectors is None:
            return matches.c[CARRIED_RANK]
        table, key, partition = self.vectors
        row = table.alias("ranked")
        found = row.c[key] == matches.c.id
        if partition is not None:  # the partition's rows alone are looked in
            found = found & (row.c[partition] == matches.c[CARRIED_PARTITION])
        query = matches.c[CARRIED_QUERY]
        looked_up = select(_ts_rank(row.c[VECTOR_COLUMN], query)).where(found).scalar_subquery()
        if CARRIED_VECTOR not in matches.c:
            return looked_up
        # A way that read few rows besides the kept ones carries their vectors out: they
        # are not read again, unless the way had to look at every match (null there).
        return func.coalesce(_ts_rank(matches.c[CARRIED_VECTOR], query), looked_up, type_=Double)


def search(
    statement: Select, target: Searchable, query: str, dialect: str, analysers: Collection[str]
) -> Found:
    """`statement` narrowed to rows matching `query`, and the relevance of each.

    `analysers` are the ids of those whose terms the index holds (indexing.present_analysers).
    """
    searched = target.id_column.table
    groups = query_groups(parse(query), analysers)
    if not groups:
        nothing = literal(0.0, Float)
        carried: tuple[ColumnElement, ...] = (nothing.label(CARRIED_RANK),)
        return Found(statement, false(), searched, nothing, carried)
    if dialect == "postgresql":
        reads, vector = searched, target.vector
        vectors: tuple[FromClause, str, str | None] = (searched, "id", None)
        if target.vector_table is not None:
            vectors = (target.vector_table, target.vector_key, target.vector_partition)
            # The rows come from the vector table; the searched table is joined outer, so
            # that PostgreSQL leaves it out of a query that reads nothing else of it (every
            # row has its counterpart: a foreign key).
            reads = target.vector_table
            statement = statement.select_from(reads).outerjoin(
                searched, target.id_column == reads.c[target.vector_key]
            )
        # The query in FROM, read once: in a prepared statement's generic plan, a cast in
        # ts_rank would parse the tsquery literal again for every row.
        parsed = select(_tsquery(groups).label("query")).subquery("search_query")
        statement = statement.join(parsed, true())
        tsquery = parsed.c.query
        # The query travels out of a subquery, and ts_rank reads it outside, for the rows
        # kept (rank_in): in the subquery a sort would rank every match before keeping any.
        carried = (tsquery.label(CARRIED_QUERY),)
        partition = vectors[2]
        if partition is not None:
            carried += (reads.c[partition].label(CARRIED_PARTITION),)
        condition = vector.op("@@")(tsquery)
        return Found(statement, condition, reads, _ts_rank(vector, tsquery), carried, vectors)
    fts = target.fts
    # bm25() is only known inside the query that matches: its value is what travels out.
    rank = -func.bm25(literal_column(target.fts_table), type_=Float)
    joined = statement.join(fts, fts.c.rowid == target.id_column)
    condition = fts.c[target.fts_table].op("MATCH")(fts5_text(groups))
    return Found(joined, condition, searched, rank, (rank.label(CARRIED_RANK),))


def _ts_rank(vector: ColumnElement, tsquery: ColumnElement) -> ColumnElement[float]:
    # ts_rank is a 4-byte real; as a double it survives the trip through a cursor exactly,
    # so the next page starts right after the last row even among equal ranks.
    return cast(func.ts_rank(vector, tsquery), Double)


# How many of a search's matches, the newest, are ranked (Relevance); the setting
# CLAIMTRACK_SEARCH_RANKED_MATCHES.
RANKED_MATCHES = 1000
# The rank of the matches beyond the newest ones ranked: below every rank (ts_rank is at
# least 0, and FTS5's bm25() negated is above 0).
UNRANKED = -1.0
# choose() and Listed: the newest rows in scope sampled for their share of matches; what
# reading an index entry, and a match's row fetched by the index, cost against a row walked;
# and how many times the matches wanted a search expects above its bound. Measured at a
# million claims (bench/HISTORY.md). Twice as many, with their vectors, were too many to sort
# in PostgreSQL's default work_mem (4 MB): they spilled to disk, 7 of a search's 19 ms.
SAMPLE = 2_000
ENTRY_COST, FETCH_COST = 0.25, 3
BOUND_MARGIN = 1.5
CARRIED_VECTOR = "search_vector"  # the vector, where candidates carry it out


@dataclass(frozen=True)
class Way:
    """How a search finds its newest `ranked` matches (Relevance.way).

    All ways find the same matches; they differ in the rows they read. The planner's way
    (neither field set) collects every match from the full-text index and keeps the newest.
    `walk` reads the rows in scope newest first, keeping those that match. `above` collects
    the matches with an id above it first, and every match only if there are too few.
    """

    walk: bool = False
    above: int | None = None


PLANNERS, WALK = Way(), Way(walk=True)


@dataclass(frozen=True)
class Relevance:
    """A search in order of relevance, whose cost does not grow with the number of matches.

    The newest `ranked` matches are ranked and come first, best first; every other match
    follows, newest first, at rank UNRANKED. A word found in half the archive is ranked among
    its newest matches alone, so a page of it reads `ranked` rows, never all of its matches;
    a rarer word, with fewer matches than that, is ranked in full. Nothing is left out: a
    client that pages on reaches every match, as an export does.

    `statement` is the filtered search (search()'s), `id` the column of its rows' ids, and
    `scope` the same statement without the search's condition (`found.condition`), or None
    where only the planner's way is to be taken; `walkable` says whether its rows may be
    walked newest first.

    On PostgreSQL the newest matches are found one of three ways (Way), chosen by way(). The
    planner chooses from the words' frequencies as if words were independent, and they are
    not: "diplomatic relations" matched 21 times more claims than it guessed, and collecting
    all 97,000 took 340-690 ms where the walk took 15-30.
    """

    statement: Select
    id: ColumnElement[int]
    found: Found
    ranked: int
    scope: Select | None = None
    walkable: bool = False

    def candidates(self, way: Way = PLANNERS) -> Subquery:
        """The newest `ranked` matches, each with what its rank is computed from."""
        if way.walk:
            return self._walked()
        if way.above is None:
            return self._newest(self.statement).subquery("candidates")
        return self._above(way.above)

    def _newest(self, statement: Select, vector: ColumnElement | None = None) -> Select:
        columns = (self.id.label("id"), *self.found.carried)
        if vector is not None:
            columns += (vector.label(CARRIED_VECTOR),)
        return statement.with_only_columns(*columns).order_by(self.id.desc()).limit(self.ranked)

    def _above(self, lowest: int) -> Subquery:
        """candidates(), looked for among the ids above `lowest` first: the index's matches
        there are read, not all of them. Only where fewer than `ranked` are there are all
        looked at, in the same statement (PostgreSQL runs that part only then)."""
        vector = self.found.condition.left  # the condition is `vector @@ query`
        above = self._newest(self.statement.where(self.id > lowest), vector).cte("newest_matches")
        enough = select(func.count()).select_from(above).scalar_subquery() == self.ranked
        unread = cast(null(), TSVECTOR)
        everywhere = self._newest(self.statement.where(~enough), unread).subquery("everywhere")
        return union_all(select(above).where(enough), select(everywhere)).subquery("candidates")

    def _walked(self) -> Subquery:
        """candidates(), found by walking the rows in scope newest first: in a subquery that
        PostgreSQL runs as it is (OFFSET 0), so that the condition outside it is checked row
        by row, down to the `ranked`-th match, and never collects them all."""
        assert self.scope is not None
        vector = self.found.condition.left  # the condition is `vector @@ query`
        carried = self.found.carried
        newest = (
            self.scope.with_only_columns(
                self.id.label("id"), vector.label(CARRIED_VECTOR), *carried
            )
            .order_by(self.id.desc())
            .offset(0)
            .subquery("newest")
        )
        return (
            select(newest.c.id, *(newest.c[column.name] for column in carried))
            .add_columns(newest.c[CARRIED_VECTOR])
            .where(newest.c[CARRIED_VECTOR].op("@@")(newest.c[CARRIED_QUERY]))
            .order_by(newest.c.id.desc())
            .limit(self.ranked)
            .subquery("candidates")
        )

    def way(self, session: Session) -> Way:
        """The way to the newest `ranked` matches that reads least (choose()), judged from
        the newest SAMPLE rows in scope."""
        if self.scope is None or self.found.vectors is None:
            return PLANNERS  # SQLite: FTS5 has no plan to choose
        newest = sample(session, self.scope, self.id, self.found.condition)
        return choose(newest, self.ranked, self.walkable)

    def _oldest_ranked(self, way: Way = PLANNERS) -> ColumnElement[int]:
        """The oldest ranked match's id when the matches fill the ranked set; else null."""
        candidates = self.candidates(way)
        return (
            select(func.min(candidates.c.id)).having(func.count() == self.ranked).scalar_subquery()
        )

    @property
    def rank(self) -> ColumnElement[float]:
        """Each match's rank in the whole statement: what a page read by rows() shows."""
        return case(
            (self.id >= func.coalesce(self._oldest_ranked(), 0), self.found.rank),
            else_=literal(UNRANKED, Double),
        )

    def rows(self, session: Session, after: list | None, count: int) -> list[tuple]:
        """Up to `count` rows (id, rank, id) after `after` (a rank and an id), in order.

        Its statements run without parallel workers (engine.serial_plans): the bounded way's
        fallback would start them even where it is skipped."""
        way = self.way(session)
        with serial_plans(session.connection()):
            return self._rows(session, way, after, count)

    def _rows(self, session: Session, way: Way, after: list | None, count: int) -> list[tuple]:
        rows: list[tuple] = []
        if after is None or after[0] > UNRANKED:
            candidates = self.candidates(way)
            rank = self.found.rank_in(candidates)
            ranked = select(candidates.c.id, rank)
            if after is not None:
                ranked = ranked.where(tuple_(rank, candidates.c.id) < tuple_(*after))
            ranked = ranked.order_by(rank.desc(), candidates.c.id.desc()).limit(count)
            rows = [(id_, value, id_) for id_, value in session.execute(ranked)]
            if after is None and len(rows) < min(count, self.ranked):
                return rows  # fewer matches than are ranked: every one of them is here
        if len(rows) < count and (after is None or after[0] >= UNRANKED):
            oldest_ranked = self._oldest_ranked(way)
            rest = self.statement.with_only_columns(self.id).where(self.id < oldest_ranked)
            if after is not None and after[0] == UNRANKED:
                rest = rest.where(self.id < after[1])
            rest = rest.order_by(self.id.desc()).limit(count - len(rows))
            rows += [(id_, UNRANKED, id_) for id_ in session.scalars(rest)]
        return rows


@dataclass(frozen=True)
class Sample:
    """The newest SAMPLE rows in a search's scope: how many, how many match, their ids' span."""

    rows: int
    matches: int
    lowest: int | None
    highest: int | None


def sample(session: Session, rows: Select, id_: ColumnElement, condition: ColumnElement) -> Sample:
    """The newest SAMPLE of `rows`, by `id_`, and how many of them meet `condition`."""
    newest = (
        rows.with_only_columns(id_.label("id"), condition.label("hit"))
        .order_by(id_.desc())
        .limit(SAMPLE)
        .subquery("sample")
    )
    figures = select(
        func.count(),
        func.count().filter(newest.c.hit),
        func.min(newest.c.id),
        func.max(newest.c.id),
    )
    return Sample(*session.execute(figures).one())


def choose(sample: Sample, ranked: int, walkable: bool) -> Way:
    """The way to a search's newest `ranked` matches that reads least, told by `sample`.

    In the sample, the share of rows that match (r) is how densely matches lie in the rows
    newest first: a walk reads about ranked / r rows, page after page. Above a bound, the
    index's entries for all r x N matches of the N rows in scope are read (ENTRY_COST each),
    then the rows of BOUND_MARGIN x ranked matches (FETCH_COST each); with no bound, the
    rows of all r x N. The sample's ids tell N, and where the bound goes. With no match in
    the sample, matches are too rare to be bounded or walked to: the planner collects them.
    """
    if sample.rows < SAMPLE or not sample.matches:
        return PLANNERS  # a few rows in scope, or matches too rare to bound
    assert sample.lowest is not None and sample.highest is not None
    rate = sample.matches / sample.rows
    ids_per_row = (sample.highest - sample.lowest + 1) / sample.rows
    in_scope = sample.highest / ids_per_row
    walked = ranked / rate
    bound = sample.highest - int(BOUND_MARGIN * walked * ids_per_row)
    fetched = BOUND_MARGIN * ranked if bound > 0 else rate * in_scope
    if walkable and walked < ENTRY_COST * rate * in_scope + FETCH_COST * fetched:
        return WALK
    return Way(above=bound) if bound > 0 else PLANNERS


@dataclass(frozen=True)
class Listed:
    """A search listed in another order than relevance (newest first, say), its page looked
    for first among the rows that come first in that order.

    PostgreSQL's planner either collects every match from the full-text index, or walks the
    order's index and checks each row, and it chooses as if words were independent (see
    Relevance): it collected all 18,000 matches of "percent anti-corruption" (140-280 ms) to
    list the newest 21, which lay among the newest 1,200 claims. Here the newest SAMPLE
    rows of the search's table tell how densely matches lie (r): a page of `count` matches
    lies about count / r rows into the order. The rows up to BOUND_MARGIN times as far are
    looked in first, which PostgreSQL walks; only if the page is not among them are all
    matches looked at. Walking those rows must cost less than collecting every
    match, r x N of the N rows, each FETCH_COST times a row walked.

    `statement` is the list narrowed to the matches (matching()'s condition), `scope` the
    list without it, `order` of keys all in one direction and never null, and `row_matches`
    whether a row of `scope` matches, asked of each row on its own: as a condition the
    planner could turn into a join, PostgreSQL hashed all 65,000 matches of "tariffs
    imported" to check 800 claims.
    """

    statement: Select
    scope: Select
    order: tuple[SortKey, ...]
    found: Found  # matching()'s
    row_matches: ColumnElement[bool]

    def rows(self, session: Session, after: list | None, count: int) -> Sequence[Sequence]:
        """As paginate() asks: up to `count` rows (item, then sort keys) after `after`."""
        first = self._first_rows(session, count)
        if first is not None:
            keys = [key.column for key in self.order]
            looked_in = self.scope.with_only_columns(*keys)
            if after is not None:
                looked_in = looked_in.where(past(self.order, after))
            ordering = [key.ordering() for key in self.order]
            last = session.execute(looked_in.order_by(*ordering).offset(first - 1).limit(1))
            bound = last.first()
            if bound is not None:
                among = self.scope.where(through(self.order, bound), self.row_matches)
                page = ordered_rows(session, among, self.order, after, count)
                if len(page) == count:
                    return page
        return ordered_rows(session, self.statement, self.order, after, count)

    def _first_rows(self, session: Session, count: int) -> int | None:
        """How many rows in order to look in first, or None: in all of them."""
        key = self.found.joined.selected_columns[0]
        newest = sample(session, self.found.joined, key, self.found.condition)
        if newest.rows < SAMPLE or not newest.matches:
            return None  # a few rows, or matches too rare to be walked to
        assert newest.lowest is not None and newest.highest is not None
        rate = newest.matches / newest.rows
        in_scope = newest.highest * newest.rows / (newest.highest - newest.lowest + 1)
        first = math.ceil(BOUND_MARGIN * count / rate)
        return first if first < FETCH_COST * rate * in_scope else None


def matching(target: Searchable, query: str, dialect: str, analysers: Collection[str]) -> Found:
    """The ids of the rows that match `query`, unranked: for `id IN (...)`.

    For lists in another order than relevance. On PostgreSQL the query is written in the
    condition, where the planner sees it: it can tell a rare word (collect the few matches)
    from a common one (walk the list's order and stop at a page).
    """
    searched = target.id_column.table
    groups = query_groups(parse(query), analysers)
    if not groups:
        return Found(select(target.id_column), false(), searched)
    if dialect == "postgresql":
        vectors = target.vector_table
        key = target.id_column if vectors is None else vectors.c[target.vector_key]
        condition = target.vector.op("@@")(_tsquery(groups))
        return Found(select(key), condition, searched if vectors is None else vectors)
    fts = target.fts
    return Found(select(fts.c.rowid), fts.c[target.fts_table].op("MATCH")(fts5_text(groups)), fts)


class BoundTsquery(TSQUERY):
    """A tsquery parameter sent as one: `%(p)s::TSQUERY`.

    Not `CAST(%(p)s::VARCHAR AS TSQUERY)`, SQLAlchemy's cast: in a prepared statement's
    generic plan that cast runs wherever the query is used, once per matching row, and
    parsing the literal again each time doubled a search's time at a million claims
    (bench/search_cost.py). Nor an untyped parameter: `tsvector @@ text` exists too, and
    would read the literal as words in the default configuration.
    """

    render_bind_cast = True
    cache_ok = True


def _tsquery(groups: list[Group]) -> ColumnElement:
    """The query as a tsquery: its literal, bound as a tsquery (no parser or dictionary)."""
    return literal(tsquery_text(groups), BoundTsquery)
