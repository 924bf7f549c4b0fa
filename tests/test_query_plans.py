"""The main lists are served from indexes: the plan of each query the API runs says so.

The tables here are tiny, where a full scan is cheapest; PostgreSQL is told to avoid one
(enable_seqscan off) so that the plan shows whether an index *can* serve the query.
"""

import re

import factories
import pytest
import statements
from conftest import database_for
from sqlalchemy import text

from service.claims.statuses import Status
from service.db import database
from service.models import Base


@pytest.fixture(autouse=True)
def fresh_tables(app):
    """Tables as a new database has them, whose plans these tests read: emptied by TRUNCATE,
    not by the DELETE of conftest, which leaves the tables' pages behind for the planner to
    weigh (it then walked every partition rather than read their indexes)."""
    engine = database_for(app).engine
    if engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def claims(client):
    made = [factories.claim(client, text=f"Consulate number {n} opened.") for n in range(3)]
    return made


def executed_select(app, client, url: str) -> tuple[str, dict]:
    """The main SELECT that answering `url` ran, as sent to the driver, with its parameters."""
    # Not a search's sample of its newest rows (a count: search.sample).
    return next(
        (s, p)
        for s, p in statements.sent(app, client, url)
        if s.lstrip().startswith("SELECT")
        and not s.lstrip().startswith("SELECT count(")
        and "LIMIT" in s
        and "FROM claim" in s
    )


def explain(app, statement: str, parameters) -> str:
    """The plan of `statement`.

    PostgreSQL plans it with sequential scans off (in a transaction that is rolled back): a
    tiny table is cheapest to read whole, so this shows which indexes *can* serve the query.
    """
    with app.app_context():
        engine = database().engine  # transactional: the setting rolls back
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
            connection.rollback()
            return "\n".join(row[0] for row in rows)
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        return "\n".join(row[-1] for row in rows)


def plan_of(app, client, url: str) -> str:
    """The plan of the main SELECT that answering `url` ran."""
    return explain(app, *executed_select(app, client, url))


def assert_no_full_scan_of_claim(plan: str) -> None:
    assert "Seq Scan on claim " not in plan + " ", plan
    assert not any(line.strip() == "SCAN claim" for line in plan.splitlines()), plan


@pytest.mark.parametrize(
    "query",
    [
        "q=consulate",
        "q=consulate&status=unverified",
        "q=consulate&sort=-created_at",
        "q=consulate&status=unverified&sort=review_due",
        "status=unverified",
        "status=unverified&sort=review_due",
        "kind=factual",
        "sort=-status_changed_at",
        "review_due_before=2030-01-01",
    ],
)
def test_lists_are_served_from_indexes(app, client, claims, query):
    assert_no_full_scan_of_claim(plan_of(app, client, f"/api/v1/claims?{query}"))


def test_a_deep_page_is_served_from_an_index(app, client, claims):
    cursor = client.get("/api/v1/claims?limit=1").get_json()["next_cursor"]

    assert_no_full_scan_of_claim(plan_of(app, client, f"/api/v1/claims?limit=1&cursor={cursor}"))


def test_search_uses_the_full_text_index(app, client, claims):
    plan = plan_of(app, client, "/api/v1/claims?q=consulate")

    # PostgreSQL: the GIN index of each partition of claim_search; SQLite: the FTS5 table.
    assert re.search(r"Bitmap Index Scan on claim_search_\w+_search_vector_idx", plan) or (
        "claim_fts VIRTUAL TABLE" in plan
    ), plan


def test_the_search_query_is_bound_as_a_tsquery_not_cast_from_text(app, client, claims):
    """A cast from text would be run again for every matching row in a generic plan."""
    statement, _ = executed_select(app, client, "/api/v1/claims?q=consulate")
    if "claim_fts" in statement:
        pytest.skip("SQLite matches FTS5 text: there is no tsquery to bind")

    assert "::TSQUERY" in statement and "AS TSQUERY" not in statement, statement


def reads_claim(plan: str) -> bool:
    """Whether a PostgreSQL plan reads the `claim` table for the rows it finds.

    Lists leave merged claims out by their ids (service/claims/service.py MERGED_IDS): a
    subplan hashed once per query from the partial index ix_claim_merged_into_id, which
    holds the merged claims alone. That reads no claim of the page, and is not counted.
    """
    return bool(re.search(r" on claim(?: |$)", _without_merged_ids(plan), re.MULTILINE))


def _without_merged_ids(plan: str) -> str:
    lines, kept, index = plan.splitlines(), [], 0
    while index < len(lines):
        line = lines[index]
        depth = len(line) - len(line.lstrip())
        end = index + 1
        while end < len(lines) and len(lines[end]) - len(lines[end].lstrip()) > depth:
            end += 1
        block = lines[index:end]
        if line.strip().startswith("SubPlan") and "ix_claim_merged_into_id" in "\n".join(block):
            index = end
            continue
        kept.append(line)
        index += 1
    return "\n".join(kept)


@pytest.mark.parametrize(
    "statuses",
    [[status] for status in Status] + [["pending", "in_progress"]],
    ids=lambda statuses: "+".join(statuses),
)
def test_a_search_within_statuses_reads_only_their_partitions(
    app, client, claims, statuses, database_url
):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one FTS5 table for every status: no partitions to leave out")
    filters = "".join(f"&status={status}" for status in statuses)
    statement, parameters = executed_select(app, client, f"/api/v1/claims?q=consulate{filters}")
    plan = explain(app, statement, parameters)

    # PostgreSQL: the statuses are in the SQL itself, not bound, so that a prepared
    # statement's generic plan, made without parameter values, still leaves out the other
    # statuses' partitions. It reads nothing of `claim` itself.
    for status in statuses:
        assert f"claim_search.status = '{status}'" in statement, statement
    read = set(re.findall(r"Bitmap Index Scan on claim_search_(\w+)_search_vector_idx", plan))
    assert read == set(statuses), plan
    assert not reads_claim(plan), plan
