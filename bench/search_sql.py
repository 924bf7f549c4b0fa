"""The SQL of each search case, sent straight to the driver: the baseline of the API's latency.

One function per case, returning (sql, params) for the dialect, with named parameters
(`%(name)s` for psycopg, `:name` for sqlite3 and Datasette). They should select what the
app's list query selects for the same request (one page of claim rows, `limit + 1` of them,
in the same order), so that the ratio measures what the API adds on top of the database.
Pass another file with `python -m bench.run --search-sql FILE` to try other SQL.
"""

from __future__ import annotations

PAGE_ROWS = 21  # the API's default page of 20, plus the one that tells it a next page exists


def _fts5(query: str) -> str:
    """Each word as a quoted FTS5 string, ANDed: the user's text is never FTS5 syntax."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in query.split())


def _status_filter(statuses: list[str], table: str = "claim") -> str:
    """As the app writes it: the statuses inline, ORed (see service.claims.service.status_is)."""
    for status in statuses:
        assert status.replace("_", "").isalpha(), status  # a name, never SQL
    return "(" + " OR ".join(f"{table}.status = '{status}'" for status in statuses) + ")"


def _search(dialect: str, query: str, statuses: list[str]) -> tuple[str, dict]:
    params: dict = {"q": query if dialect == "postgresql" else _fts5(query)}
    if dialect == "postgresql":
        # As the app has it: the page ranked in claim_search alone (status copied there, the
        # query parsed once in FROM), then that page's claim rows.
        status = f" AND {_status_filter(statuses, 'claim_search')}" if statuses else ""
        sql = (
            "SELECT claim.* FROM claim JOIN ("
            "SELECT claim_search.claim_id, "
            "ts_rank(claim_search.search_vector, search_query.query) AS rank "
            "FROM claim_search, websearch_to_tsquery('english', %(q)s) AS search_query(query) "
            f"WHERE claim_search.search_vector @@ search_query.query{status} "
            f"ORDER BY rank DESC, claim_search.claim_id DESC LIMIT {PAGE_ROWS}"
            ") AS page ON page.claim_id = claim.id "
            "ORDER BY page.rank DESC, page.claim_id DESC"
        )
    else:
        status = f" AND {_status_filter(statuses)}" if statuses else ""
        sql = (
            "SELECT claim.* FROM claim JOIN claim_fts ON claim_fts.rowid = claim.id "
            f"WHERE claim_fts MATCH :q{status} "
            f"ORDER BY bm25(claim_fts), claim.id DESC LIMIT {PAGE_ROWS}"
        )
    return sql, params


def q(dialect: str, query: str) -> tuple[str, dict]:
    """`?q=two words`, by relevance."""
    return _search(dialect, query, [])


def q_status(dialect: str, query: str, status: str) -> tuple[str, dict]:
    """`?q=two words&status=...`, by relevance."""
    return _search(dialect, query, [status])


def q_newest(dialect: str, query: str) -> tuple[str, dict]:
    """`?q=two words&sort=-created_at`: the newest claims first, each looked up among matches."""
    if dialect == "postgresql":
        params: dict = {"q": query}
        # The query in the condition, where the planner sees it, as the app has it.
        matches = (
            "SELECT claim_search.claim_id FROM claim_search "
            "WHERE claim_search.search_vector @@ websearch_to_tsquery('english', %(q)s)"
        )
    else:
        params = {"q": _fts5(query)}
        matches = "SELECT rowid FROM claim_fts WHERE claim_fts MATCH :q"
    sql = (
        f"SELECT claim.* FROM claim WHERE claim.id IN ({matches}) "
        f"ORDER BY claim.created_at DESC, claim.id DESC LIMIT {PAGE_ROWS}"
    )
    return sql, params


def status_review_due(dialect: str, status: str) -> tuple[str, dict]:
    """`?status=...&sort=review_due`: soonest due first, claims without a date last."""
    params: dict = {}
    sql = (
        f"SELECT claim.* FROM claim WHERE {_status_filter([status])} "
        f"ORDER BY claim.review_due ASC NULLS LAST, claim.id ASC LIMIT {PAGE_ROWS}"
    )
    return sql, params
