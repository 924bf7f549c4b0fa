"""The SQL of each search case, sent straight to the driver: the baseline of the API's latency.

One function per case, returning (sql, params) for the dialect, with named parameters
(`%(name)s` for psycopg, `:name` for sqlite3 and Datasette). They should select what the
app's list query selects for the same request (one page of claim rows, `limit + 1` of them,
in the same order), so that the ratio measures what the API adds on top of the database.
Pass another file with `python -m bench.run --search-sql FILE` to try other SQL.

A search's words become what the app makes of them, by the app's own functions
(service/search.py): the query analysed under each of `analysers` (the ids in the table
`search_analyser`, which the runner reads once), as a tsquery literal bound as a tsquery on
PostgreSQL and an FTS5 query of quoted terms on SQLite. What the app does besides (reading
`search_analyser`, then the page's documents with their tags and appearances) is the API's
share of the ratio.
"""

from __future__ import annotations

from collections.abc import Collection

from service.search import RANKED_MATCHES, fts5_text, parse, query_groups, tsquery_text

PAGE_ROWS = 21  # the API's default page of 20, plus the one that tells it a next page exists


def search_terms(dialect: str, query: str, analysers: Collection[str]) -> str:
    """The query as the app hands it to the database: a tsquery literal, or FTS5 text."""
    groups = query_groups(parse(query), analysers)
    return tsquery_text(groups) if dialect == "postgresql" else fts5_text(groups)


def status_filter(statuses: list[str], table: str = "claim") -> str:
    """As the app writes it: the statuses inline, ORed (see service.claims.service.status_is)."""
    for status in statuses:
        assert status.replace("_", "").isalpha(), status  # a name, never SQL
    return "(" + " OR ".join(f"{table}.status = '{status}'" for status in statuses) + ")"


def _search(
    dialect: str, query: str, statuses: list[str], analysers: Collection[str]
) -> tuple[str, dict]:
    params: dict = {"q": search_terms(dialect, query, analysers)}
    if dialect == "postgresql":
        # As the app has it (service.search.Relevance): the newest RANKED_MATCHES matches in
        # claim_search alone (status copied there, the query bound as a tsquery in FROM),
        # kept without their vectors; the kept ones ranked by their vector looked up in
        # their status's partition; the page of them, then that page's claim rows.
        status = f" AND {status_filter(statuses, 'claim_search')}" if statuses else ""
        sql = (
            "SELECT claim.* FROM claim JOIN ("
            "SELECT candidates.claim_id, (SELECT CAST(ts_rank(ranked.search_vector, "
            "candidates.query) AS DOUBLE PRECISION) FROM claim_search AS ranked "
            "WHERE ranked.claim_id = candidates.claim_id AND ranked.status = candidates.status"
            ") AS rank FROM ("
            "SELECT claim_search.claim_id, claim_search.status, search_query.query "
            "FROM claim_search JOIN (SELECT %(q)s::TSQUERY AS query) AS search_query ON true "
            f"WHERE claim_search.search_vector @@ search_query.query{status} "
            f"ORDER BY claim_search.claim_id DESC LIMIT {RANKED_MATCHES}) AS candidates "
            f"ORDER BY rank DESC, candidates.claim_id DESC LIMIT {PAGE_ROWS}"
            ") AS page ON page.claim_id = claim.id "
            "ORDER BY page.rank DESC, page.claim_id DESC"
        )
    else:
        status = f" AND {status_filter(statuses)}" if statuses else ""
        sql = (
            "SELECT claim.* FROM claim JOIN ("
            "SELECT claim.id, -bm25(claim_fts) AS rank FROM claim "
            f"JOIN claim_fts ON claim_fts.rowid = claim.id WHERE claim_fts MATCH :q{status} "
            f"ORDER BY claim.id DESC LIMIT {RANKED_MATCHES}) AS candidates "
            "ON candidates.id = claim.id "
            f"ORDER BY candidates.rank DESC, claim.id DESC LIMIT {PAGE_ROWS}"
        )
    return sql, params


def q(dialect: str, query: str, analysers: Collection[str]) -> tuple[str, dict]:
    """`?q=two words`, by relevance."""
    return _search(dialect, query, [], analysers)


def q_status(dialect: str, query: str, status: str, analysers: Collection[str]) -> tuple[str, dict]:
    """`?q=two words&status=...`, by relevance."""
    return _search(dialect, query, [status], analysers)


def q_newest(dialect: str, query: str, analysers: Collection[str]) -> tuple[str, dict]:
    """`?q=two words&sort=-created_at`: the newest claims first, each looked up among matches."""
    params: dict = {"q": search_terms(dialect, query, analysers)}
    if dialect == "postgresql":
        # The query in the condition, where the planner sees it, as the app has it
        # (service.search.matching).
        matches = (
            "SELECT claim_search.claim_id FROM claim_search "
            "WHERE claim_search.search_vector @@ %(q)s::TSQUERY"
        )
    else:
        matches = "SELECT claim_fts.rowid FROM claim_fts WHERE claim_fts MATCH :q"
    sql = (
        f"SELECT claim.* FROM claim WHERE claim.id IN ({matches}) "
        f"ORDER BY claim.created_at DESC, claim.id DESC LIMIT {PAGE_ROWS}"
    )
    return sql, params


def status_review_due(dialect: str, status: str) -> tuple[str, dict]:
    """`?status=...&sort=review_due`: soonest due first, claims without a date last."""
    params: dict = {}
    sql = (
        f"SELECT claim.* FROM claim WHERE {status_filter([status])} "
        f"ORDER BY claim.review_due ASC NULLS LAST, claim.id ASC LIMIT {PAGE_ROWS}"
    )
    return sql, params
