"""A search by relevance ranks its newest matches, then lists the rest newest first.

CLAIMTRACK_SEARCH_RANKED_MATCHES says how many are ranked (1,000 by default); here, three.
"""

import json

import factories
import pages
import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from service import db, search
from service.claims.service import list_claims
from service.engine import PREPARE_THRESHOLD, serial_plans

# Made in this order. "moon" as often as possible in as few words: ranked by how often.
CLAIMS = {
    "four": "Moon moon moon moon.",
    "weak1": "The moon was seen from a long way off on a quiet winter night above the hills.",
    "three": "Moon moon moon.",
    "weak2": "The moon was seen from a long way off on a quiet winter night above the hills.",
    "two": "Moon moon.",
    "weak3": "The moon was seen from a long way off on a quiet winter night above the hills.",
}


@pytest.fixture
def claims(client):
    made = {name: factories.claim(client, text=text)["id"] for name, text in CLAIMS.items()}
    factories.claim(client, text="Inflation rose to 7% in 2022.")  # matches nothing
    return made


@pytest.fixture
def ranked(app, monkeypatch):
    """Rank this many of a search's matches."""

    def rank(count: int) -> None:
        settings = app.config["SETTINGS"].with_overrides({"search_ranked_matches": count})
        monkeypatch.setitem(app.config, "SETTINGS", settings)

    return rank


def listed(client, limit: int = 100, **params) -> list[int]:
    """Every claim the search for "moon" shows, page after page."""
    return pages.every_id(client, q="moon", limit=limit, **params)


def names(claims, ids: list[int]) -> list[str]:
    by_id = {claim_id: name for name, claim_id in claims.items()}
    return [by_id[claim_id] for claim_id in ids]


def test_fewer_matches_than_are_ranked_are_all_ranked(client, claims, ranked):
    ranked(10)

    assert names(claims, listed(client)) == ["four", "three", "two", "weak3", "weak2", "weak1"]


def test_the_newest_matches_are_ranked_and_the_rest_follow_newest_first(client, claims, ranked):
    ranked(3)

    # The three newest matches (two, weak2, weak3) ranked; then the older ones, newest first,
    # although "four" would rank first of all.
    assert names(claims, listed(client)) == ["two", "weak3", "weak2", "three", "weak1", "four"]


@pytest.mark.parametrize("limit", [1, 2, 4])
def test_pages_cross_from_the_ranked_to_the_rest_without_a_gap(client, claims, ranked, limit):
    ranked(3)

    assert listed(client, limit=limit) == listed(client)


def test_the_total_counts_every_match(client, claims, ranked):
    ranked(3)

    page = client.get("/api/v1/claims?q=moon&limit=2&with_total=true").get_json()

    assert page["total"] == len(CLAIMS)


def test_filters_apply_before_the_newest_are_chosen(client, claims, ranked):
    ranked(2)
    for name in ("three", "four"):
        moved = client.post(
            f"/api/v1/claims/{claims[name]}/status-changes",
            json={"status": "in_review", "rationale": "Looking into it."},
        )
        assert moved.status_code == 201, moved.get_json()

    # The two newest in review are the two ranked: four before three.
    assert names(claims, listed(client, status="in_review")) == ["four", "three"]


def test_an_export_by_relevance_has_the_lists_order(client, claims, ranked):
    ranked(3)

    response = client.get("/api/v1/export/claims?q=moon&format=ndjson")
    assert response.status_code == 200
    lines = response.get_data(as_text=True).splitlines()

    assert [json.loads(line)["id"] for line in lines if line] == listed(client)


def test_searches_are_planned_for_their_words_every_time(app, client, claims, database_url):
    """A search run many times is never prepared: a prepared statement's generic plan cannot
    tell a rare word from a common one (service.engine.plan_for_values). Reads run in autocommit,
    where `SET LOCAL plan_cache_mode` held for no statement: the search the app ran most was
    prepared after five runs, and went on with a generic plan at a million claims."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite plans every statement anew; only psycopg prepares statements")
    with app.test_request_context("/api/v1/claims?q=moon"):
        session = db.session()
        for _ in range(8):
            list_claims(session, limit=2, q="moon")
            list_claims(session, limit=2, q="moon", sort="-created_at")
        connection = session.connection()
        prepared = connection.execute(
            text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%@@%'")
        )
        assert prepared.scalar() == 0
        driver = connection.connection.driver_connection
    # Back in the pool, the connection prepares what it runs often again.
    assert driver.prepare_threshold == PREPARE_THRESHOLD


def test_a_search_by_relevance_runs_without_parallel_workers(app, client, claims, database_url):
    """A parallel plan starts its workers even for the part of a bounded search that is
    skipped (service.engine.serial_plans): the ranking statements are planned without them. The
    connection goes back to the pool as it was, so that other statements are not."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no parallel plans")
    with app.app_context():
        engine = db.database().read_engine
    seen = []

    def setting(connection) -> str:
        driver = connection.connection.driver_connection
        return driver.execute("SHOW max_parallel_workers_per_gather").fetchone()[0]

    def spy(connection, _cursor, statement, _parameters, _context, _many):
        if "ts_rank" in statement:
            seen.append(setting(connection))

    with engine.connect() as connection:
        default = setting(connection)
    event.listen(engine, "before_cursor_execute", spy)
    try:
        assert client.get("/api/v1/claims?q=moon").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", spy)

    assert seen and set(seen) == {"0"}
    assert default != "0"  # the server's own, which the test can tell from the search's
    with engine.connect() as connection:  # the pool holds one connection here: the same
        assert setting(connection) == default


def test_serial_plans_leave_a_failed_statements_error_as_it_was(app, database_url):
    """A statement that fails in the block raises its own error. In a transaction, the
    rollback puts the setting back; outside one, the block does."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no parallel plans; serial_plans does nothing there")

    def setting(connection) -> str:
        return connection.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar()

    with app.app_context():
        for engine in (db.database().engine, db.database().read_engine):
            with engine.connect() as connection:
                default = setting(connection)
                with pytest.raises(DBAPIError, match="division by zero"):
                    with serial_plans(connection):
                        assert setting(connection) == "0"
                        connection.exec_driver_sql("SELECT 1 / 0")
                connection.rollback()
                assert setting(connection) == default


@pytest.fixture
def way(monkeypatch, database_url):
    """Searches find their newest matches the way given (search.Way), not the one chosen."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's FTS5 has one way to find matches; PostgreSQL's planner two")

    def take(chosen: search.Way) -> None:
        monkeypatch.setattr(search.Relevance, "way", lambda relevance, _session: chosen)

    return take


@pytest.mark.parametrize(
    ("status", "newest"),
    [(None, "walk"), *((status, n) for status in (None, "unverified") for n in (0, 1, 2, 4, 6))],
)
def test_every_way_finds_what_the_index_finds(client, claims, ranked, way, status, newest):
    """Walking the newest claims, or looking first among the `newest` n claims (above the
    id of the one before them), where there may be too few matches, so that the search must
    look at them all: the same pages as the planner's way, 3 or 10 ranked, pages of 1 to 100."""
    filters = {"status": status} if status else {}
    cases = [(count, limit) for count in (3, 10) for limit in (1, 2, 4, 100)]
    found = {}
    for count, limit in cases:
        ranked(count)
        found[count, limit] = listed(client, limit=limit, **filters)
    ids = sorted(claims.values())
    if newest == "walk":
        way(search.WALK)
    else:
        way(search.Way(above=ids[-newest] - 1 if newest else ids[-1]))

    for count, limit in cases:
        ranked(count)
        assert listed(client, limit=limit, **filters) == found[count, limit], (count, limit)


@pytest.mark.parametrize(
    ("url", "sampled"),
    [
        ("/api/v1/claims?q=moon", (True, 4, 3)),  # 3 of the 4 newest claims match
        ("/api/v1/claims?q=inflation", (True, 4, 1)),
        ("/api/v1/claims?q=moon&status=unverified", (False, 4, 3)),  # never walked
        ("/api/v1/claims?q=moon&tag=space", None),  # a filter outside claim_search
    ],
)
def test_a_search_samples_its_newest_claims_to_choose_its_way(
    app, client, claims, monkeypatch, database_url, url, sampled
):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's FTS5 has one way to find matches")
    monkeypatch.setattr(search, "SAMPLE", 4)
    chosen = []

    def choose(sample, ranked, walkable):
        chosen.append((walkable, sample.rows, sample.matches))
        return search.PLANNERS

    monkeypatch.setattr(search, "choose", choose)

    assert client.get(url).status_code == 200
    assert chosen == ([sampled] if sampled else [])


@pytest.mark.parametrize(
    ("matches", "span", "walkable", "way"),
    [
        # At a million claims, 1,000 ranked, the newest 2,000 spanning 2,000 ids:
        (0, 2_000, True, "planner's"),  # none: too rare to bound
        (3, 2_000, True, "planner's"),  # the bound would be below every id
        (10, 2_000, True, "above"),  # 0.5%: look at the newest 300,000 ids' matches
        (80, 2_000, True, "above"),
        (120, 2_000, True, "walk"),  # 6%: walk some 17,000 claims
        (618, 2_000, True, "walk"),  # "ministry finance": 31%
        (618, 2_000, False, "above"),  # a status's claims are never walked
        (37, 16_000, False, "above"),  # a status with one claim in 8
        (10, 16_000, False, "planner's"),  # ... and rare matches in it
        (3, 4, True, "planner's"),  # fewer claims than are sampled
    ],
)
def test_the_way_read_least_is_chosen_from_the_sample(matches, span, walkable, way):
    rows = search.SAMPLE if span > 4 else 3
    sample = search.Sample(rows, matches, 1_000_000 - span + 1, 1_000_000)

    chosen = search.choose(sample, ranked=1_000, walkable=walkable)

    assert chosen.walk == (way == "walk")
    assert (chosen.above is not None) == (way == "above")
    if chosen.above is not None:  # BOUND_MARGIN times as many matches above it as are ranked
        expected = (1_000_000 - chosen.above) * matches / span
        assert expected == pytest.approx(search.BOUND_MARGIN * 1_000, rel=0.01)
