"""Claim matching: POST /claims/match, GET /claims/{id}/similar, and duplicates on create."""

import factories
import pytest

from service.demo.loader import load_demo

DAKHLA = "The United States will open a consulate in Dakhla (Western Sahara)."


@pytest.fixture
def demo(app, session):
    assert load_demo(session) is True
    session.commit()


def match(client, text, **fields):
    response = client.post("/api/v1/claims/match", json={"text": text, **fields})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def similar(client, claim_id, **params):
    response = client.get(f"/api/v1/claims/{claim_id}/similar", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


@pytest.mark.parametrize(
    "paraphrase",
    [
        "Washington is going to set up a diplomatic mission in Dakhla, in Western Sahara",
        "BREAKING: US to open consulate in #Dakhla!! https://t.co/abc #WesternSahara",
        "Will America really open a consulate in the Western Sahara?",
    ],
)
def test_a_paraphrase_of_the_dakhla_promise_finds_it_in_the_top_3(anonymous, demo, paraphrase):
    items = match(anonymous, paraphrase, limit=3)

    assert DAKHLA in [item["claim"]["text"] for item in items]


def test_matches_come_best_first_with_scores_between_0_and_1(anonymous, demo):
    items = match(anonymous, "US consulate in Dakhla", limit=10)
    scores = [item["score"] for item in items]

    assert items and scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)


def test_a_match_is_a_whole_claim_document(client, anonymous):
    made = factories.claim(client, text="The moon landing was staged in a studio.")

    (item,) = match(anonymous, "moon landing staged")

    assert item["claim"] == client.get(f"/api/v1/claims/{made['id']}").get_json()


def test_the_same_text_scores_1(client, anonymous):
    factories.claim(client, text="Inflation rose to 7% in 2022.", language="en")

    (item,) = match(anonymous, "Inflation rose to 7% in 2022.", language="en")

    assert item["score"] == 1.0


def test_a_text_sharing_no_word_matches_nothing(client, anonymous):
    factories.claim(client, text="The moon landing was staged.")

    assert match(anonymous, "Inflation rose sharply in 2022") == []


def test_stop_words_alone_match_nothing(client, anonymous):
    factories.claim(client, text="It was what it is.", language="en")

    assert match(anonymous, "it is what it was", language="en") == []


def test_limit_caps_the_matches(client, anonymous):
    for number in range(5):
        factories.claim(client, text=f"The moon landing was staged, says witness {number}.")

    assert len(match(anonymous, "moon landing staged", limit=2)) == 2


def test_matching_works_in_the_claims_language(client, anonymous):
    factories.claim(client, text="Les États-Unis vont ouvrir un consulat à Dakhla.", language="fr")
    factories.claim(client, text="The moon landing was staged.", language="en")

    (item,) = match(anonymous, "Un consulat américain ouvrira à Dakhla", language="fr")

    assert item["claim"]["language"] == "fr"


def test_matching_in_arabic_reads_past_articles_and_clitics(client, anonymous):
    factories.claim(client, text="افتتاح قنصلية أمريكية في الداخلة", language="ar")

    assert len(match(anonymous, "الولايات المتحدة تفتح القنصلية في داخلة", language="ar")) == 1


def test_summary_and_evidence_titles_count(client, anonymous):
    made = factories.claim(client, text="A trade deal was signed.")
    factories.evidence(client, made["id"], title="Phosphate exports agreement explained")

    (item,) = match(anonymous, "phosphate exports")

    assert item["claim"]["id"] == made["id"]


def test_similar_excludes_the_claim_itself(anonymous, demo, client):
    dakhla = next(
        c
        for c in client.get("/api/v1/claims?q=Dakhla&limit=100").get_json()["items"]
        if c["text"] == DAKHLA
    )

    items = similar(anonymous, dakhla["id"], limit=50)

    assert items and dakhla["id"] not in [item["claim"]["id"] for item in items]


def test_similar_finds_a_reworded_claim(client, anonymous):
    first = factories.claim(client, text="The US will open a consulate in Dakhla.")
    second = factories.claim(client, text="A US consulate is going to open in Dakhla soon.")
    factories.claim(client, text="The moon landing was staged.")

    assert [item["claim"]["id"] for item in similar(anonymous, first["id"])] == [second["id"]]


def test_similar_of_a_missing_claim_is_404(anonymous):
    response = anonymous.get("/api/v1/claims/999999/similar")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n\t"}, "text"),
        ({}, "text"),
        ({"text": "consulate", "limit": 0}, "limit"),
        ({"text": "consulate", "limit": 51}, "limit"),
        ({"text": "consulate", "language": "xx"}, "language"),
    ],
)
def test_bad_input_is_422_naming_the_field(anonymous, body, field):
    response = anonymous.post("/api/v1/claims/match", json=body)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


@pytest.mark.parametrize("limit", [0, 51])
def test_similar_limit_out_of_range_is_422(client, anonymous, limit):
    made = factories.claim(client)

    response = anonymous.get(f"/api/v1/claims/{made['id']}/similar?limit={limit}")

    assert response.status_code == 422
    assert "limit" in response.get_json()["errors"]


def test_matching_writes_nothing(anonymous, demo, row_counts):
    before = row_counts()

    match(anonymous, "US consulate in Dakhla")

    assert row_counts() == before


def test_a_near_identical_claim_is_stored_with_a_duplicate_link(client):
    first = factories.claim(client, text=DAKHLA, kind="promise", language="en")

    response = client.post(
        "/api/v1/claims",
        json={
            "text": "The United States will open a consulate in Dakhla, Western Sahara.",
            "kind": "promise",
            "language": "en",
        },
    )

    assert response.status_code == 201
    assert response.headers.getlist("Link") == [f'</api/v1/claims/{first["id"]}>; rel="duplicate"']


def test_an_unrelated_claim_gets_no_duplicate_link(client):
    factories.claim(client, text=DAKHLA, kind="promise", language="en")

    response = client.post(
        "/api/v1/claims",
        json={"text": "Morocco agreed to re-establish relations with Israel.", "kind": "promise"},
    )

    assert response.status_code == 201
    assert "Link" not in response.headers


def test_the_duplicate_threshold_is_a_setting(app, client, monkeypatch):
    factories.claim(client, text=DAKHLA, kind="promise", language="en")
    settings = app.config["SETTINGS"].with_overrides({"duplicate_threshold": 0.1})
    monkeypatch.setitem(app.config, "SETTINGS", settings)

    response = client.post(
        "/api/v1/claims",
        json={"text": "A consulate opened in Rabat.", "kind": "factual", "language": "en"},
    )

    assert response.status_code == 201 and "Link" in response.headers


def test_matching_needs_a_key_where_reads_do(app, anonymous, monkeypatch):
    settings = app.config["SETTINGS"].with_overrides({"read_requires_key": True})
    monkeypatch.setitem(app.config, "SETTINGS", settings)

    response = anonymous.post("/api/v1/claims/match", json={"text": "consulate"})

    assert response.status_code == 401


def test_a_long_text_is_matched_by_its_first_64_words_per_language(client, anonymous):
    made = factories.claim(client, text="The moon landing was staged.", language="en")
    filler = " ".join(f"word{number}x" for number in range(200))

    (item,) = match(anonymous, f"moon landing staged {filler}", language="en")

    assert item["claim"]["id"] == made["id"] and item["score"] > 0


def test_a_claim_merged_into_another_is_not_matched_but_its_target_is(client, anonymous):
    kept = factories.claim(client, text="The mayor promised a new bridge over the river by 2030.")
    merged = factories.claim(client, text="Mayor pledges new river bridge by 2030")
    text = "mayor promises a new bridge over the river by 2030"
    assert {item["claim"]["id"] for item in match(anonymous, text)} == {kept["id"], merged["id"]}

    answer = client.post(f"/api/v1/claims/{merged['id']}/merge", json={"into": kept["id"]})

    assert answer.status_code == 200, answer.get_json()
    assert [item["claim"]["id"] for item in match(anonymous, text)] == [kept["id"]]
    assert [item["claim"]["id"] for item in similar(anonymous, kept["id"])] == []


# Reviews' headlines: a ClaimReview import puts a fact-check's title there, not in the claim.
def test_a_review_headline_counts_in_matching_and_search(client, anonymous):
    made = factories.claim(client, text="A trade deal was signed.")
    factories.review(client, made["id"], headline="Is Morocco selling phosphate to Israel?")

    (item,) = match(anonymous, "phosphate exports to Israel")
    found = anonymous.get("/api/v1/claims", query_string={"q": "phosphate"}).get_json()

    assert item["claim"]["id"] == made["id"]
    assert [claim["id"] for claim in found["items"]] == [made["id"]]


def test_an_edited_review_headline_counts_and_the_old_one_no_longer(client, anonymous):
    made = factories.claim(client, text="A trade deal was signed.")
    review = factories.review(client, made["id"], headline="Phosphate exports explained")

    edited = client.patch(f"/api/v1/reviews/{review['id']}", json={"headline": "Sardine quotas"})

    assert edited.status_code == 200, edited.get_json()
    assert match(anonymous, "phosphate exports") == []
    assert [item["claim"]["id"] for item in match(anonymous, "sardine quotas")] == [made["id"]]


def test_a_deleted_review_headline_no_longer_counts(client, anonymous):
    made = factories.claim(client, text="A trade deal was signed.")
    # A rating no vocabulary maps: the review settles nothing, so nothing cites it.
    review = factories.review(
        client, made["id"], headline="Phosphate exports explained", rating={"label": "Meh"}
    )

    deleted = client.delete(f"/api/v1/reviews/{review['id']}")

    assert deleted.status_code == 204, deleted.get_json()
    assert match(anonymous, "phosphate exports") == []


def test_claimreview_imports_headlines_count_for_new_and_known_claims(client, anonymous):
    document = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checker.example/moon",
        "claimReviewed": "The footage was filmed in a studio.",
        "headline": "No, the moon landing was not staged in Nevada",
        "author": {"@type": "Organization", "name": "Checker", "url": "https://checker.example"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }
    second = {
        **document,
        "url": "https://other.example/apollo",
        "headline": "Apollo retroreflectors are still used",
        "author": {"@type": "Organization", "name": "Other", "url": "https://other.example"},
    }
    for each in (document, second):
        response = client.post("/api/v1/import/claimreview", json=each)
        assert response.status_code == 200, response.get_json()

    (first_match,) = match(anonymous, "Was the moon landing staged in Nevada?")
    (second_match,) = match(anonymous, "apollo retroreflectors")

    assert first_match["claim"]["id"] == second_match["claim"]["id"]
    assert first_match["claim"]["text"] == document["claimReviewed"]


def test_a_long_text_of_no_detected_language_matches_in_an_archive_of_many_languages(
    client, anonymous
):
    # Looked up under each of eleven analysers, 64 words each: more lookups than SQLite
    # takes in one compound statement (it answered 500 before).
    languages = ["en", "fr", "de", "es", "pt", "it", "nl", "sv", "da", "fi"]
    for language in languages:
        factories.claim(client, text=f"k7 k8 k9 {language}", language=language)
    text = " ".join(f"k{number}" for number in range(70))

    items = match(anonymous, text)

    assert len(items) == len(languages)
