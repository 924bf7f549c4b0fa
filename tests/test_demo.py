import pytest

from service.demo.loader import demo_data, load_demo

DATA = demo_data()
SOURCE_URLS = {article["key"]: article["url"] for article in DATA["sources"]}


@pytest.fixture
def demo(app, session):
    assert load_demo(session) is True
    session.commit()


def claims(client, query=""):
    return client.get(f"/api/v1/claims?limit=100&{query}").get_json()["items"]


def sources_by_id(client):
    return {s["id"]: s for s in client.get("/api/v1/sources?limit=100").get_json()["items"]}


def test_the_demo_promises_include_the_dakhla_consulate(client, demo):
    promises = claims(client, "kind=promise")

    assert len(promises) == 4
    assert any("consulate in Dakhla" in claim["text"] for claim in promises)


def test_the_demo_has_every_claim_evidence_item_and_status(client, demo):
    stored = claims(client)

    assert len(stored) == len(DATA["claims"]) == 14
    assert sum(claim["evidence_count"] for claim in stored) == 56
    expected = {record["text"]: record["status"] for record in DATA["claims"]}
    assert {claim["text"]: claim["status"] for claim in stored} == expected


def test_the_demo_sources_keep_the_languages_the_data_gives(client, demo):
    stored = {s["url"]: s for s in sources_by_id(client).values()}

    assert len(stored) == len(DATA["sources"]) == 3
    assert {s["language"] for s in stored.values()} == {"en", "fr", "ar"}
    for article in DATA["sources"]:
        source = stored[article["url"]]
        assert (source["language"], source["language_detected"]) == (article["language"], False)
        assert source["published_on"] == article["published_on"]


def test_every_demo_quote_is_anchored_at_its_recorded_offsets(client, demo):
    by_id = sources_by_id(client)
    recorded = {
        (record["text"], SOURCE_URLS[quote["source"]]): quote
        for record in DATA["claims"]
        for quote in record["appearances"]
    }

    placed = 0
    for claim in claims(client):
        for appearance in claim["appearances"]:
            source = by_id[appearance["source_id"]]
            expected = recorded[(claim["text"], source["url"])]
            assert appearance["anchor_state"] == "anchored"
            assert (appearance["start"], appearance["end"]) == (expected["start"], expected["end"])
            assert source["text"][appearance["start"] : appearance["end"]] == expected["quote"]
            placed += 1
    assert placed == len(recorded) == 16


def test_the_dakhla_promise_appears_in_english_french_and_arabic(client, demo):
    by_id = sources_by_id(client)
    (dakhla,) = [c for c in claims(client) if "consulate in Dakhla" in c["text"]]

    languages = []
    for appearance in dakhla["appearances"]:
        source = by_id[appearance["source_id"]]
        assert appearance["anchor_state"] == "anchored"
        assert source["text"][appearance["start"] : appearance["end"]] == appearance["quote"]
        languages.append(source["language"])
    assert sorted(languages) == ["ar", "en", "fr"]
    assert dakhla["language"] == "en"


def test_the_french_and_arabic_texts_say_they_are_excerpts():
    excerpts = [article for article in DATA["sources"] if article.get("text_is_excerpt")]

    assert [article["language"] for article in excerpts] == ["fr", "ar"]
    assert all("excerpt" in article["note"] for article in excerpts)


def test_a_publication_date_left_empty_says_it_was_not_verified():
    undated = [article for article in DATA["sources"] if article["published_on"] is None]

    assert [article["language"] for article in undated] == ["ar"]
    assert all("date not verified" in article["note"] for article in undated)


def test_the_dakhla_timeline_is_replayed_in_order(client, demo, session):
    from service.claims.models import Claim
    from service.status_changes.models import StatusChange

    dakhla = next(c for c in claims(client) if "consulate in Dakhla" in c["text"])
    timeline = (
        session.query(StatusChange).filter_by(claim_id=dakhla["id"]).order_by(StatusChange.id).all()
    )

    assert [(c.from_status, c.to_status) for c in timeline] == [
        (None, "pending"),
        ("pending", "in_progress"),
        ("in_progress", "stalled"),
        ("stalled", "in_progress"),
    ]
    assert [c.created_at.year for c in timeline] == [2020, 2020, 2021, 2025]
    claim = session.get(Claim, dakhla["id"])
    assert claim.status_changed_at == timeline[-1].created_at
    assert dakhla["review_due"] == "2026-06-30"


def test_loading_twice_adds_nothing(client, demo, session, row_counts):
    before = row_counts()

    assert load_demo(session) is False

    assert row_counts() == before


def test_a_database_holding_one_of_the_demo_articles_gets_no_half_demo(client, session, row_counts):
    assert client.post("/api/v1/sources", json={"url": SOURCE_URLS["S02"]}).status_code == 201
    before = row_counts()

    assert load_demo(session) is False

    assert row_counts() == before
