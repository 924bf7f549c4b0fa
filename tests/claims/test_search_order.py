"""A search listed in another order than relevance: the same pages, whichever way PostgreSQL
is asked to find them (search.Listed)."""

from datetime import UTC, datetime, timedelta

import factories
import pages
import pytest
from sqlalchemy import update

from service import search
from service.claims.models import Claim
from service.db import database

# Imported in this order (so by id), each created at its hour: the order by creation time
# is another than by id.
HOURS = {"a": 5, "b": 1, "c": 7, "d": 3, "e": 0, "f": 6, "g": 2, "h": 4}
SEARCHED = {"a", "c", "d", "e", "g", "h"}  # the rest say nothing of the moon


@pytest.fixture
def claims(app, client):
    """The claims, made in HOURS' order, then each dated at its hour."""
    made = {
        name: factories.claim(
            client, text=f"{'The moon' if name in SEARCHED else 'A river'} report {name}."
        )["id"]
        for name in HOURS
    }
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with app.app_context(), database().engine.begin() as connection:
        for name, hour in HOURS.items():
            connection.execute(
                update(Claim)
                .where(Claim.id == made[name])
                .values(created_at=start + timedelta(hours=hour))
            )
    return made


def listed(client, sort: str, limit: int) -> list[int]:
    """Every claim the search for "moon" lists in `sort`, page after page."""
    return pages.every_id(client, q="moon", sort=sort, limit=limit)


def test_a_search_lists_its_matches_in_the_order_asked_for(client, claims):
    by_id = {claim_id: name for name, claim_id in claims.items()}

    newest = [by_id[claim_id] for claim_id in listed(client, "-created_at", limit=2)]

    assert newest == ["c", "a", "h", "d", "g", "e"]


@pytest.mark.parametrize("sort", ["-created_at", "created_at", "-status_changed_at"])
def test_looking_first_among_the_first_claims_finds_the_same_pages(
    client, claims, monkeypatch, database_url, sort
):
    """Each page looked for first among the `first` claims in order after the cursor: too
    few to hold a page (so the search looks at them all), or enough; pages of 1 to 100."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's FTS5 has one way to find matches; PostgreSQL's planner two")
    limits = (1, 2, 4, 100)
    found = {limit: listed(client, sort, limit) for limit in limits}
    first, asked = [0], []

    def first_rows(_listed, _session, count):
        asked.append(count)
        return first[0]

    monkeypatch.setattr(search.Listed, "_first_rows", first_rows)

    for first[0] in (1, 2, 3, 5, 8, 50):
        for limit in limits:
            asked.clear()
            assert listed(client, sort, limit) == found[limit], (first[0], limit)
            assert asked  # every page was looked for so


@pytest.mark.parametrize(
    ("query", "looks_first"),
    [
        ({"q": "moon"}, True),  # 6 of the 8 newest claims match
        ({"q": "saturn"}, False),  # none of them
        ({"q": "moon", "status": "unverified"}, False),  # a filter: the planner's way
        ({"q": "moon", "sort": "review_due"}, False),  # an order with nulls last
    ],
)
def test_a_search_looks_first_where_its_newest_claims_match_densely(
    app, client, claims, monkeypatch, database_url, query, looks_first
):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's FTS5 has one way to find matches")
    # A tiny archive: a page of one, looked for first among the first two claims.
    monkeypatch.setattr(search, "SAMPLE", 8)
    monkeypatch.setattr(search, "BOUND_MARGIN", 0.5)
    bounds = []
    monkeypatch.setattr(search, "through", lambda order, values: bounds.append(values) or True)

    response = client.get(
        "/api/v1/claims", query_string={"sort": "-created_at", "limit": 1, **query}
    )

    assert response.status_code == 200
    assert bool(bounds) == looks_first
