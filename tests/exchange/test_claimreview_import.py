"""ClaimReview in: fact-checkers' markup, as Google's documentation and Data Commons show it."""

from __future__ import annotations

import json

import pytest
from exchange_helpers import FILES, empty_claims, import_claimreview, load_demo_data

from service.claims.statuses import Status
from service.exchange.ratings import status_for

URL = "https://review.example/"


def imported(client, name: str, **params) -> dict:
    response = import_claimreview(client, (FILES / name).read_bytes(), **params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def claims_by_text(client) -> dict[str, dict]:
    items = client.get("/api/v1/claims", query_string={"limit": 100}).get_json()["items"]
    return {claim["text"]: claim for claim in items}


def reviews_of(client, claim_id: int) -> list[dict]:
    return client.get(f"/api/v1/claims/{claim_id}/reviews").get_json()["items"]


def test_a_politifact_pants_on_fire_review_is_a_review_that_settles_its_claim(client):
    report = imported(client, "politifact_pants_on_fire.json")
    (claim,) = claims_by_text(client).values()
    (review,) = reviews_of(client, claim["id"])
    timeline = client.get(f"/api/v1/claims/{claim['id']}/status-changes").get_json()["items"]
    evidence = client.get(f"/api/v1/claims/{claim['id']}/evidence").get_json()["items"]

    assert (report["created"], report["sources_created"]) == (1, 1)
    assert (report["reviews_created"], report["publishers_created"]) == (1, 1)
    assert (claim["kind"], claim["status"]) == ("factual", "false")
    assert claim["claimant"] == "Viral Facebook post"
    assert claim["claim_date"] == "2024-05-10"
    assert review["url"] == (
        "https://factcheck.example.org/factchecks/2024/may/14/facebook-posts/"
        "no-the-moon-landing-footage-was-not-filmed-in-nevada/"
    )
    assert review["publisher"]["name"] == "PolitiFact-like Checks"
    assert review["rating"]["label"] == "Pants on Fire!"
    assert (review["rating"]["status"], review["rating"]["mapped_by"]) == ("false", "builtin")
    assert "retroreflectors" in review["body"]
    assert review["published_at"].startswith("2024-05-14")
    assert evidence == []  # the review is the review, not evidence
    assert [c["to_status"] for c in timeline] == ["unverified", "false"]
    assert timeline[1]["rationale"].startswith("Rated “Pants on Fire!” by PolitiFact-like Checks")
    assert timeline[1]["review_ids"] == [review["id"]]
    assert timeline[1]["original_created_at"].startswith("2024-05-14")  # the review's date


def test_a_second_publishers_review_of_a_known_claim_is_added_to_it(client):
    imported(client, "politifact_pants_on_fire.json")
    document = json.loads((FILES / "politifact_pants_on_fire.json").read_text())
    document["url"] = "https://other-checker.example/moon"
    document["author"] = {
        "@type": "Organization",
        "name": "Other",
        "url": "https://other-checker.example",
    }

    report = import_claimreview(client, json.dumps(document)).get_json()

    (claim,) = claims_by_text(client).values()
    assert (report["created"], report["existing"], report["reviews_created"]) == (0, 1, 1)
    assert [r["publisher"]["name"] for r in reviews_of(client, claim["id"])] == [
        "PolitiFact-like Checks",
        "Other",
    ]


def test_the_appearance_list_becomes_one_unanchored_appearance_per_normalised_url(client):
    imported(client, "appearance_list.json")
    (claim,) = claims_by_text(client).values()
    sources = client.get("/api/v1/sources", query_string={"limit": 100}).get_json()["items"]
    by_id = {source["id"]: source for source in sources}

    appearances = claim["appearances"]
    urls = sorted(by_id[a["source_id"]]["url"] for a in appearances)
    assert claim["status"] == "mostly_false"  # "Misleading", whatever its ratingValue says
    assert urls == [
        "https://alliance.example/press/2023-10-28-whales",
        "https://news.example.com/opinion/whales-and-wind",  # three spellings, one source
        "https://social.example/@alliance/111222333",
        "https://video.example/watch?v=abc123",
    ]
    assert {a["anchor_state"] for a in appearances} == {"unanchored"}
    quotes = {by_id[a["source_id"]]["url"]: a["quote"] for a in appearances}
    assert quotes["https://social.example/@alliance/111222333"] == (
        "Turbines are killing whales. Wake up."
    )
    assert quotes["https://video.example/watch?v=abc123"] == claim["text"]
    news = next(s for s in sources if s["url"].startswith("https://news.example.com"))
    assert (news["title"], news["publisher"], news["author"], news["published_on"]) == (
        "The whales are telling us something",
        "Example News",
        "C. Columnist",
        "2023-10-30",
    )


def test_a_numeric_rating_without_a_name_is_placed_on_its_scale(client):
    imported(client, "numeric_rating.json")
    (claim,) = claims_by_text(client).values()

    (review,) = reviews_of(client, claim["id"])
    assert claim["status"] == "mostly_false"  # 2 on 1..5
    assert review["rating"] == {
        "label": None,
        "value": 2.0,
        "best": 5.0,
        "worst": 1.0,
        "status": "mostly_false",
        "mapped_by": "number",
    }


def test_a_datafeed_yields_each_review_with_its_status_and_kind(client):
    report = imported(client, "datafeed.json")
    claims = claims_by_text(client)

    assert report["created"] == 4
    assert {text: (c["kind"], c["status"]) for text, c in claims.items()} == {
        "Unemployment is at its lowest in fifty years.": ("factual", "mixed"),
        "We will rebuild the Elm Street bridge by 2024.": ("promise", "fulfilled"),
        "Vaccines contain tracking microchips.": ("factual", "false"),
        # "Needs Context" names none of our statuses: the claim is left as it is.
        "This video shows a riot in the city centre last week.": ("factual", "unverified"),
    }
    assert report["unmapped_labels"] == {"Needs Context": 1}
    riot = claims["This video shows a riot in the city centre last week."]
    (review,) = reviews_of(client, riot["id"])
    assert review["rating"]["status"] is None


@pytest.mark.parametrize(
    "name",
    [
        "politifact_pants_on_fire.json",
        "appearance_list.json",
        "numeric_rating.json",
        "datafeed.json",
    ],
)
def test_importing_the_same_file_twice_creates_nothing_new(client, row_counts, name):
    first = imported(client, name)
    before = row_counts()

    second = imported(client, name)

    assert (second["created"], second["existing"], second["sources_created"]) == (
        0,
        first["created"],
        0,
    )
    assert row_counts() == before


def test_our_own_feed_imports_back_with_the_same_statuses(app, client):
    load_demo_data(app)
    statuses = {c["text"]: c["status"] for c in claims_by_text(client).values()}
    feed = client.get("/api/v1/export/claimreview").get_data()
    empty_claims(app)

    report = import_claimreview(client, feed).get_json()

    reviewed = {text: s for text, s in statuses.items() if Status(s) != Status.IN_PROGRESS}
    assert report["created"] == len(json.loads(feed)["dataFeedElement"]) == 11
    assert {c["text"]: c["status"] for c in claims_by_text(client).values()} == reviewed


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        ({"alternateName": "True"}, Status.TRUE),
        ({"alternateName": "MOSTLY TRUE"}, Status.MOSTLY_TRUE),
        ({"alternateName": "Half-True"}, Status.MIXED),
        ({"alternateName": "Mixture"}, Status.MIXED),
        ({"alternateName": "Mixed"}, Status.MIXED),
        ({"alternateName": "Mostly False"}, Status.MOSTLY_FALSE),
        ({"alternateName": "Misleading"}, Status.MOSTLY_FALSE),
        ({"alternateName": "False"}, Status.FALSE),
        ({"alternateName": "Pants on Fire!"}, Status.FALSE),
        ({"alternateName": "Incorrect"}, Status.FALSE),
        ({"alternateName": "Correct"}, Status.TRUE),
        ({"alternateName": "Unproven"}, Status.UNPROVEN),
        ({"alternateName": "Promise Broken"}, Status.UNFULFILLED),
        ({"alternateName": "Compromise"}, Status.PARTIALLY_FULFILLED),
        # The name wins over the number when it maps ...
        ({"alternateName": "False", "ratingValue": 5}, Status.FALSE),
        # ... an unknown name is unmapped whatever the number says (issue 14) ...
        ({"alternateName": "Sort of", "ratingValue": 4}, None),
        # ... and the number decides only when there is no name at all.
        ({"ratingValue": 1, "bestRating": 1, "worstRating": 5}, Status.TRUE),  # reversed scale
        ({"ratingValue": "7", "bestRating": "10", "worstRating": "0"}, Status.MOSTLY_TRUE),
        ({"ratingValue": 5}, Status.TRUE),
        ({"ratingValue": 3}, Status.MIXED),
        ({"ratingValue": 1}, Status.FALSE),
        ({"ratingValue": 9}, None),  # off its own scale
        ({"ratingValue": "high"}, None),
        ({"ratingValue": 1, "bestRating": 1, "worstRating": 1}, None),
        ({"alternateName": "Needs context"}, None),
        ("False", None),  # not a Rating object
    ],
)
def test_ratings_map_by_name_then_by_value(rating, expected):
    assert status_for(rating) == expected


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (
            {"@type": "ClaimReview", "url": URL, "reviewRating": {}},
            "claimReviewed",
        ),
        ({"@type": "ClaimReview", "claimReviewed": "x", "reviewRating": {}}, "url"),
        (
            {"@type": "ClaimReview", "claimReviewed": "x", "url": URL},
            "reviewRating",
        ),
        ({"@type": "Article", "url": URL}, "@type"),
        (
            {
                "@type": "ClaimReview",
                "claimReviewed": "x",
                "url": "not a url",
                "reviewRating": {"alternateName": "False"},
            },
            "url",  # the review's own property, not the record's evidence.0.url
        ),
        (
            {
                "@type": "ClaimReview",
                "claimReviewed": "x",
                "url": URL,
                "datePublished": "last Tuesday",
                "reviewRating": {"alternateName": "False"},
            },
            "datePublished",
        ),
    ],
)
def test_a_bad_review_is_refused_naming_its_item_and_field(client, row_counts, document, field):
    before = row_counts()

    response = import_claimreview(client, json.dumps([{**document}]))

    problem = response.get_json()
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert problem["invalid_records"][0]["item"] == 1
    assert problem["invalid_records"][0]["field"] == field
    assert f"item 1: {field}" in problem["errors"]
    assert row_counts() == before


def test_two_publishers_reviews_of_one_claim_in_one_file_make_one_claim(client):
    """The second review meets the claim the first made, within one batch of the import."""
    document = json.loads((FILES / "politifact_pants_on_fire.json").read_text())
    other = {
        **document,
        "url": "https://other-checker.example/moon",
        "author": {
            "@type": "Organization",
            "name": "Other",
            "url": "https://other-checker.example",
        },
        "reviewRating": {"@type": "Rating", "alternateName": "True"},
    }
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [document, other],
    }

    report = import_claimreview(client, json.dumps(feed)).get_json()

    (claim,) = claims_by_text(client).values()
    timeline = client.get(f"/api/v1/claims/{claim['id']}/status-changes").get_json()["items"]
    reviews = reviews_of(client, claim["id"])
    assert (report["created"], report["existing"], report["reviews_created"]) == (1, 1, 2)
    assert [r["publisher"]["name"] for r in reviews] == ["PolitiFact-like Checks", "Other"]
    # The first verdict stands: a later review never overturns one.
    assert claim["status"] == "false"
    assert [c["to_status"] for c in timeline] == ["unverified", "false"]
    assert timeline[1]["review_ids"] == [reviews[0]["id"]]


def test_every_row_an_import_creates_is_in_the_audit_log_and_found_by_search(client):
    imported(client, "datafeed.json")
    claims = claims_by_text(client).values()
    logged = {}
    for resource in ("claim", "source", "appearance", "review", "publisher", "status_change"):
        items = client.get(
            "/api/v1/audit", query_string={"resource": resource, "limit": 100}
        ).get_json()["items"]
        assert {event["action"] for event in items} == {"create"}, resource
        logged[resource] = {event["resource_id"] for event in items}

    assert logged["claim"] == {claim["id"] for claim in claims}
    assert logged["review"] == {
        review["id"] for claim in claims for review in reviews_of(client, claim["id"])
    }
    assert logged["appearance"] == {a["id"] for claim in claims for a in claim["appearances"]}
    found = client.get("/api/v1/claims", query_string={"q": "microchips"}).get_json()["items"]
    assert [claim["text"] for claim in found] == ["Vaccines contain tracking microchips."]
