"""Matching at scale: PostgreSQL's statistics of the index stand for counting common terms, and
a text of no detected language is matched in its likely language.

The statistics path is exercised on a small archive by lowering DF_CAP to 3, so that a term in
6 claims (STATISTICS_MARGIN × DF_CAP) is common; ANALYZE makes the statistics. It runs in a
schema of its own: statistics outlive TRUNCATE, and the suite's query plans follow them."""

import os

import factories
import pytest
from sqlalchemy import create_engine, text

from service import migrate
from service.app import create_app
from service.claims import matching
from service.db import database
from service.models import Base

SCHEMA = "claimtrack_matching_statistics_test"
CONSULATE = [
    "The US will open a consulate in Dakhla.",
    "A consulate is going to open in Laayoune.",
    "France plans a consulate in Dakhla by 2026.",
    "The consulate in Rabat moved to a new building.",
    "Senegal opened a consulate in Dakhla last year.",
    "A new consulate opened near the port.",
    "The consulate will issue visas to students.",
    "Gabon has a consulate in Laayoune since 2020.",
]
OTHERS = ["The moon landing was staged.", "Inflation rose to 7% in 2022."]


@pytest.fixture(scope="module")
def own_app():
    """The app on a schema of its own, migrated."""
    postgres = os.environ.get("TEST_DATABASE_URL")
    if not postgres:
        pytest.skip("PostgreSQL's statistics (pg_stats); SQLite counts every term")
    from conftest import reset_postgres

    reset_postgres(postgres, SCHEMA)
    separator = "&" if "?" in postgres else "?"
    url = f"{postgres}{separator}options=-csearch_path%3D{SCHEMA}"
    migrate.upgrade(url)
    yield create_app({"database_url": url, "secret_key": "test-secret"})
    engine = create_engine(postgres)
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')
    engine.dispose()


@pytest.fixture
def analysed(own_app, monkeypatch):
    """The archive above, analysed, with DF_CAP 3: 'consulate' is common by the statistics."""
    from conftest import key_for

    monkeypatch.setattr(matching, "DF_CAP", 3)
    client = own_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key_for(own_app, 'admin')}"
    for each in CONSULATE + OTHERS:
        factories.claim(client, text=each, language="en")
    with own_app.app_context():
        engine = database().engine
    with engine.begin() as connection:
        connection.execute(text("ANALYZE claim_search"))
    matching.forget_statistics()
    yield engine
    matching.forget_statistics()
    with engine.begin() as connection:
        names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def test_a_term_common_by_the_statistics_is_not_counted_and_gets_what_counting_gives(
    analysed, monkeypatch
):
    terms = ["en0consul", "en0dakhla", "en0laayoun", "en0moon", "en0nowher"]
    looked_up = []
    lookup = matching._lookup

    def spy(connection, statement, parameters):
        looked_up.extend(parameters["terms"])
        return lookup(connection, statement, parameters)

    with analysed.connect() as connection:
        assert "en0consul" in matching.term_statistics(connection).common
        monkeypatch.setattr(matching, "_lookup", spy)
        from_statistics = matching._document_frequencies(connection, terms)
        monkeypatch.setattr(matching, "_lookup", lookup)
        monkeypatch.setattr(matching, "term_statistics", lambda _: matching.NO_STATISTICS)
        counted = matching._document_frequencies(connection, terms)

    assert (
        from_statistics
        == counted
        == {
            "en0consul": 3,
            "en0dakhla": 3,
            "en0laayoun": 2,
            "en0moon": 1,
            "en0nowher": 0,
        }
    )
    assert looked_up == ["'en0dakhla'", "'en0laayoun'", "'en0moon'", "'en0nowher'"]


def test_scores_with_the_statistics_are_those_of_counting(analysed, monkeypatch):
    text_ = "Will Gabon open a consulate in Laayoune?"

    with analysed.connect() as connection:
        with_statistics = matching.match(connection, text_, language="en")
        monkeypatch.setattr(matching, "term_statistics", lambda _: matching.NO_STATISTICS)
        counted = matching.match(connection, text_, language="en")

    assert with_statistics == counted
    assert with_statistics[0].claim_id == 8  # Gabon's


def test_a_text_of_common_terms_only_finds_the_claims_holding_all_of_them(analysed):
    with analysed.connect() as connection:
        found = matching.match(connection, "consulate in Dakhla", language="en")

    assert {each.claim_id for each in found} == {1, 3, 5}


# Detection's best guess for this text is English at 0.57, under the 0.7 that names a
# language; for the control, English at 0.42.
LIKELY_ENGLISH = "US consulate Dakhla opening ceremony today pic.twitter.com/a"
UNSURE = "the consulate in Dakhla pic.twitter.com/a"


def test_a_text_of_no_detected_language_is_matched_in_its_likely_language(client, anonymous):
    english = factories.claim(client, text="The US will open a consulate in Dakhla.", language="en")
    factories.claim(client, text="Les États-Unis ouvrent un consulat à Dakhla.", language="fr")

    response = anonymous.post("/api/v1/claims/match", json={"text": LIKELY_ENGLISH})

    assert [item["claim"]["id"] for item in response.get_json()["items"]] == [english["id"]]


def test_a_text_no_language_is_likely_for_is_matched_in_every_language(client, anonymous):
    factories.claim(client, text="The US will open a consulate in Dakhla.", language="en")
    factories.claim(client, text="Les États-Unis ouvrent un consulat à Dakhla.", language="fr")

    response = anonymous.post("/api/v1/claims/match", json={"text": UNSURE})

    assert len(response.get_json()["items"]) == 2
