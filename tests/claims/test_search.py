"""Full-text search: one table of queries and the claims they find, on both databases."""

import factories
import pytest

from service.db import database

CORPUS = {
    "dakhla": {"text": "The US will open a consulate in Dakhla.", "kind": "promise"},
    "embassy": {"text": "Morocco opened an embassy in Washington."},
    "staged": {"text": "The moon landing was staged."},
    "rocks": {"text": "Moon rocks were returned to NASA."},
    "french": {"text": "Le consulat de France à Dakhla a ouvert ses portes."},
    "inflation": {"text": "Inflation rose to 7% in 2022."},
    "summary": {
        "text": "A trade deal was signed.",
        "summary": "The agreement covers phosphate exports.",
    },
    "quoted": {"text": "Security cooperation deepened."},
    "arabic": {"text": "افتتاح قنصلية في الداخلة", "language": "ar"},
}

SEARCHES = [
    # A query matches a document under the document's language: read as French,
    # "consulate" is the French "consulat".
    ("consulate", {"dakhla", "french"}),
    ("opened", {"dakhla", "embassy"}),  # stemmed: "will open" and "opened"
    ('"open a consulate"', {"dakhla"}),
    ('"consulate open"', set()),  # a phrase keeps its order
    ("moon -landing", {"rocks"}),
    ("moon or inflation", {"staged", "rocks", "inflation"}),
    ("MOON", {"staged", "rocks"}),
    ("rock", {"rocks"}),
    ("Dakhla", {"dakhla", "french"}),
    ("consulat", {"french"}),
    ("قنصلية", {"arabic"}),
    ("phosphate", {"summary"}),  # in the summary only
    ("counterterrorism", {"quoted"}),  # in a quote only
    ("7%", {"inflation"}),
    ("-moon", set()),
    ("!!! ???", set()),
    ('"', set()),
    ("'; DROP TABLE claim; --", set()),
    ("%' OR 1=1 --", set()),
    ("moon AND", {"staged", "rocks"}),
    ("NEAR(moon rocks)", set()),
    ("embassy*", {"embassy"}),
]


@pytest.fixture
def corpus(client):
    source = factories.source(
        client, text="They praised the counterterrorism partnership between the two."
    )
    made = {
        name: factories.claim(client, **{"kind": "factual", **fields})["id"]
        for name, fields in CORPUS.items()
    }
    factories.appearance(
        client, made["quoted"], source_id=source["id"], quote="counterterrorism partnership"
    )
    return made


def found(client, query: str, **params) -> list[int]:
    response = client.get("/api/v1/claims", query_string={"q": query, "limit": 100, **params})
    assert response.status_code == 200, response.get_json()
    return [claim["id"] for claim in response.get_json()["items"]]


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_search_finds_what_the_table_says(client, corpus, query, expected):
    assert set(found(client, query)) == {corpus[name] for name in expected}


def test_the_tables_survive_sql_looking_input(client, corpus):
    found(client, "'; DROP TABLE claim; --")

    assert len(client.get("/api/v1/claims?limit=100").get_json()["items"]) == len(CORPUS)


def test_search_combines_with_filters(client, corpus):
    assert found(client, "consulate", kind="promise") == [corpus["dakhla"]]
    assert found(client, "consulate", kind="factual") == [corpus["french"]]
    assert found(client, "consulate", language="en") == [corpus["dakhla"]]
    assert found(client, "moon", status="unverified", language="en") != []


def test_a_search_in_another_order_finds_the_same_claims_in_that_order(client, corpus):
    by_relevance = found(client, "moon or consulate")
    oldest_first = found(client, "moon or consulate", sort="created_at")

    assert sorted(oldest_first) == sorted(by_relevance)
    assert oldest_first == sorted(oldest_first)  # made one after another
    newest_first = found(client, "moon", sort="-created_at", status="unverified")
    assert newest_first == [corpus["rocks"], corpus["staged"]]
    assert found(client, "moon", sort="-created_at", status="in_review") == []


def test_results_page_by_relevance_with_cursors(client, corpus):
    seen, cursor = [], None
    while True:
        params = {"q": "moon or inflation or consulate", "limit": 1}
        page = client.get(
            "/api/v1/claims", query_string={**params, **({"cursor": cursor} if cursor else {})}
        ).get_json()
        seen += [claim["id"] for claim in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert sorted(seen) == sorted(
        corpus[name] for name in ("staged", "rocks", "inflation", "dakhla", "french")
    )


def test_a_claim_found_twice_as_often_ranks_higher(client, corpus):
    twice = factories.claim(client, text="Inflation, inflation everywhere.")

    assert found(client, "inflation")[0] == twice["id"]


def test_relevance_needs_a_query(client):
    response = client.get("/api/v1/claims?sort=relevance")

    assert response.status_code == 422
    assert "sort" in response.get_json()["errors"]


def test_total_counts_the_matches(client, corpus):
    page = client.get("/api/v1/claims?q=moon&limit=1&with_total=true").get_json()

    assert page["total"] == 2 and len(page["items"]) == 1


def test_edits_reach_the_index(client, corpus):
    claim_id = corpus["embassy"]
    client.patch(f"/api/v1/claims/{claim_id}", json={"summary": "Also about saffron."})

    assert found(client, "saffron") == [claim_id]
    client.delete(f"/api/v1/claims/{claim_id}")
    assert found(client, "saffron") == []


def test_new_text_replaces_the_old_in_the_index(client, corpus):
    claim_id = corpus["embassy"]
    client.patch(f"/api/v1/claims/{claim_id}", json={"text": "Morocco opened a saffron market."})

    assert found(client, "saffron") == [claim_id]
    assert found(client, "embassy") == []


def test_a_change_of_status_moves_the_claim_between_filtered_searches(client, corpus):
    response = client.post(
        f"/api/v1/claims/{corpus['staged']}/status-changes",
        json={"status": "in_review", "rationale": "Checking the footage."},
    )
    assert response.status_code == 201, response.get_json()

    assert found(client, "moon", status="in_review") == [corpus["staged"]]
    assert found(client, "moon", status="unverified") == [corpus["rocks"]]
    both = found(client, "moon", status=["unverified", "in_review"])
    assert sorted(both) == sorted([corpus["staged"], corpus["rocks"]])


def test_a_claim_missing_from_the_search_table_is_put_back_by_its_next_change(app, client, corpus):
    with app.app_context():
        engine = database().engine
    if engine.dialect.name != "postgresql":
        pytest.skip("claim_search, kept by triggers, is PostgreSQL's (SQLite has claim_fts)")
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DELETE FROM claim_search WHERE claim_id = {corpus['staged']}")
    assert found(client, "moon") == [corpus["rocks"]]

    client.post(
        f"/api/v1/claims/{corpus['staged']}/status-changes",
        json={"status": "in_review", "rationale": "Checking the footage."},
    )

    assert found(client, "moon", status="in_review") == [corpus["staged"]]


def test_claims_inserted_in_one_statement_are_indexed_by_one_run_of_the_trigger(
    app, client, corpus
):
    """An import COPYs its claims 500 at a time; claim_search's trigger runs once for the
    statement and writes each new claim's row from its transition table."""
    with app.app_context():
        engine = database().engine
    if engine.dialect.name != "postgresql":
        pytest.skip("claim_search, kept by triggers, is PostgreSQL's (SQLite has claim_fts)")
    with engine.begin() as connection:
        row_level = connection.exec_driver_sql(
            "SELECT tgtype & 1 = 1 FROM pg_trigger WHERE tgname = 'claim_search_insert'"
        ).scalar()
        connection.exec_driver_sql(
            "INSERT INTO claim (text, kind, language, status, status_changed_at, created_at, "
            "updated_at, version, search_text, uid, language_detected) "
            "SELECT text, kind, language, status, status_changed_at, created_at, updated_at, "
            "version, search_text, gen_random_uuid(), language_detected FROM claim "
            f"WHERE id IN ({corpus['staged']}, {corpus['rocks']})"
        )
        indexed = connection.exec_driver_sql(
            "SELECT count(*) FROM claim JOIN claim_search ON claim_id = claim.id "
            "AND claim_search.status = claim.status "
            "AND search_vector = claimtrack_terms_vector(search_text)"
        ).scalar()

    assert (row_level, indexed) == (False, len(CORPUS) + 2)
    assert len(found(client, "moon")) == 4


def test_a_removed_quote_leaves_the_index(client, corpus):
    appearance = client.get(f"/api/v1/claims/{corpus['quoted']}/appearances").get_json()["items"][0]

    client.delete(f"/api/v1/appearances/{appearance['id']}")

    assert found(client, "counterterrorism") == []


@pytest.mark.parametrize("path", ["/api/v1/claims", "/api/v1/export/claims"])
def test_q_of_500_characters_is_searched_and_longer_is_a_422_naming_q(client, corpus, path):
    words = ("dakhla " * 72)[:500]

    searched = client.get(path, query_string={"q": words})
    refused = client.get(path, query_string={"q": words + "x"})

    assert searched.status_code == 200
    assert refused.status_code == 422
    assert refused.content_type == "application/problem+json"
    assert list(refused.get_json()["errors"]) == ["q"]


def test_the_spec_states_q_s_maximum_length(app):
    spec = app.test_client().get("/openapi.json").get_json()
    parameters = spec["paths"]["/api/v1/claims"]["get"]["parameters"]
    q = next(parameter for parameter in parameters if parameter["name"] == "q")

    assert q["schema"]["maxLength"] == 500 and "500 characters" in q["description"]
