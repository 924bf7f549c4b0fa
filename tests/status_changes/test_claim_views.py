"""The views of a claim: ClaimReview JSON-LD and the timeline, on the demo's Dakhla promise."""

import pytest

from service.demo.loader import load_demo

# schema.org's vocabulary for what we emit (https://schema.org/ClaimReview and neighbours).
CLAIM_REVIEW_PROPERTIES = {
    "@context",
    "@type",
    "url",
    "claimReviewed",
    "datePublished",
    "dateModified",
    "author",
    "itemReviewed",
    "reviewRating",
    "reviewBody",
    "inLanguage",
}
CLAIM_PROPERTIES = {"@type", "author", "datePublished", "appearance", "firstAppearance"}
CREATIVE_WORK_PROPERTIES = {
    "@type",
    "url",
    "headline",
    "datePublished",
    "publisher",
    "author",
    "text",
}
RATING_PROPERTIES = {"@type", "ratingValue", "bestRating", "worstRating", "alternateName"}


@pytest.fixture
def dakhla(client, session):
    load_demo(session)
    session.commit()
    promises = client.get("/api/v1/claims?kind=promise&tag=dakhla").get_json()["items"]
    (claim,) = [c for c in promises if "consulate in Dakhla" in c["text"]]
    return claim


def test_the_dakhla_claim_reads_in_progress_with_a_four_entry_timeline(client, dakhla):
    changes = client.get(f"/api/v1/claims/{dakhla['id']}/status-changes").get_json()["items"]

    assert dakhla["status"] == "in_progress"
    assert [(c["from_status"], c["to_status"]) for c in changes] == [
        (None, "pending"),
        ("pending", "in_progress"),
        ("in_progress", "stalled"),
        ("stalled", "in_progress"),
    ]


def test_claimreview_is_json_ld_in_schema_org_terms(client, dakhla):
    response = client.get(f"/api/v1/claims/{dakhla['id']}/claimreview")

    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    review = response.get_json(force=True)
    assert (review["@context"], review["@type"]) == ("https://schema.org", "ClaimReview")
    assert set(review) <= CLAIM_REVIEW_PROPERTIES
    assert set(review["itemReviewed"]) <= CLAIM_PROPERTIES
    assert set(review["reviewRating"]) <= RATING_PROPERTIES
    for work in [*review["itemReviewed"]["appearance"], review["itemReviewed"]["firstAppearance"]]:
        assert set(work) <= CREATIVE_WORK_PROPERTIES and work["@type"] == "CreativeWork"


def test_the_dakhla_claimreview_names_the_article_as_first_appearance(client, dakhla):
    review = client.get(f"/api/v1/claims/{dakhla['id']}/claimreview").get_json(force=True)

    first = review["itemReviewed"]["firstAppearance"]
    assert first["url"].startswith("https://www.moroccoworldnews.com/2020/12/329160/")
    assert first["datePublished"] == "2020-12-17"
    assert first["text"] == "The US is set to open a consulate in the city of Dakhla"
    assert review["claimReviewed"] == dakhla["text"]
    assert review["itemReviewed"]["author"]["name"] == dakhla["claimant"]
    assert review["dateModified"].startswith("2025-10-29")
    assert review["reviewRating"] == {
        "@type": "Rating",
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "In progress",
    }


def test_a_verdict_carries_its_rating_value(client):
    claim = client.post("/api/v1/claims", json={"text": "x", "kind": "factual"}).get_json()
    client.post(
        f"/api/v1/claims/{claim['id']}/evidence",
        json={"url": "https://e.example/1", "stance": "refutes"},
    )
    client.post(
        f"/api/v1/claims/{claim['id']}/status-changes",
        json={"status": "false", "rationale": "Refuted."},
    )

    rating = client.get(f"/api/v1/claims/{claim['id']}/claimreview").get_json(force=True)[
        "reviewRating"
    ]

    assert (rating["ratingValue"], rating["alternateName"]) == (1, "False")


def test_the_timeline_tells_the_dakhla_story_from_2020_to_2025(client, dakhla):
    story = client.get(f"/api/v1/claims/{dakhla['id']}/timeline").get_json()

    dates = [entry["date"] for entry in story["entries"]]
    assert dates == sorted(dates)
    assert dates[0].startswith("2020") and dates[-1].startswith("2025")
    kinds = {entry["kind"] for entry in story["entries"]}
    assert kinds == {"status_change", "evidence"}
    assert sum(e["kind"] == "evidence" for e in story["entries"]) == dakhla["evidence_count"]
    moves = [
        e["status_change"]["to_status"] for e in story["entries"] if e["kind"] == "status_change"
    ]
    assert moves == ["pending", "in_progress", "stalled", "in_progress"]
    assert all(entry["headline"] for entry in story["entries"])
