"""Exports: whole claims as NDJSON, flat rows as CSV, a ClaimReview DataFeed; the list's filters."""

from __future__ import annotations

import csv
import io
import json

import factories
import pytest
from exchange_helpers import export_lines, load_demo_data

from service.exchange.export import CSV_COLUMNS


@pytest.fixture
def demo(app):
    load_demo_data(app)


def test_ndjson_has_one_whole_claim_a_line(client, demo):
    response = client.get("/api/v1/export/claims")
    body = response.get_data(as_text=True)
    records = [json.loads(line) for line in body.splitlines()]
    dakhla = next(r for r in records if "Dakhla (Western Sahara)" in r["text"])

    assert response.content_type == "application/x-ndjson"
    assert body.endswith("\n") and len(records) == 14
    assert [r["created_at"] for r in records] == sorted(r["created_at"] for r in records)
    assert dakhla["status"] == "in_progress"
    appearance = dakhla["appearances"][0]
    text = appearance["source"]["text"]  # the whole article, so the quote re-anchors
    assert text[appearance["start"] : appearance["end"]] == appearance["quote"]
    assert [c["to_status"] for c in dakhla["timeline"]][0] == "pending"
    assert dakhla["timeline"][-1]["created_by"] == "demo"
    cited = {i for change in dakhla["timeline"] for i in change["evidence_ids"]}
    assert cited <= {item["id"] for item in dakhla["evidence"]}


def test_csv_has_a_header_and_one_quoted_utf8_row_per_claim(client):
    factories.claim(
        client,
        text='He said, "déjà vu",\nthen left.',
        claimant="Zoë; the mayor",
        tags=["two words", "ünï"],
    )

    response = client.get("/api/v1/export/claims", headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8"))))

    assert response.content_type == "text/csv; charset=utf-8"
    assert rows[0] == list(CSV_COLUMNS)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2
    assert (row["text"], row["claimant"], row["tags"]) == (
        'He said, "déjà vu",\nthen left.',
        "Zoë; the mayor",
        "two words;ünï",
    )
    assert (row["status"], row["rating_label"], row["evidence_count"]) == (
        "unverified",
        "Unverified",
        "0",
    )


@pytest.mark.parametrize(
    ("params", "headers", "content_type"),
    [
        ({}, {}, "application/x-ndjson"),
        ({}, {"Accept": "text/csv"}, "text/csv; charset=utf-8"),
        ({}, {"Accept": "application/x-ndjson, text/csv;q=0.5"}, "application/x-ndjson"),
        ({"format": "ndjson"}, {"Accept": "text/csv"}, "application/x-ndjson"),
        ({"format": "csv"}, {}, "text/csv; charset=utf-8"),
    ],
)
def test_the_format_comes_from_the_query_then_accept(client, params, headers, content_type):
    response = client.get("/api/v1/export/claims", query_string=params, headers=headers)

    assert (response.status_code, response.content_type) == (200, content_type)


FILTERS = [
    {"status": "false"},
    {"status": ["true", "mostly_true"]},
    {"kind": "promise"},
    {"tag": "morocco"},
    {"tag": ["morocco", "security"]},
    {"claimant": "Morocco World News (reporting a DGSN/DGST statement)"},
    {"source_id": 1},
    {"language": "en"},
    {"q": "consulate Dakhla"},
    {"q": "security", "kind": "factual"},
    {"review_due_before": "2030-01-01"},
    {"created_after": "2020-12-17T09:00:00Z"},
    {"created_before": "2020-12-18T00:00:00Z", "sort": "-status_changed_at"},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_the_export_holds_what_the_list_holds_in_its_order(client, demo, filters):
    listed = client.get("/api/v1/claims", query_string={**filters, "limit": 100}).get_json()
    sort = (
        {}
        if "q" in filters or "review_due_before" in filters or "sort" in filters
        else {"sort": "-created_at"}
    )

    exported = export_lines(client, **filters, **sort)

    assert [r["id"] for r in exported] == [c["id"] for c in listed["items"]]
    assert listed["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "relevance"}, "sort"),
        ({"stauts": "false"}, "stauts"),
        ({"format": "xml"}, "format"),
    ],
)
def test_a_bad_filter_is_a_422_before_anything_is_sent(client, params, field):
    response = client.get("/api/v1/export/claims", query_string=params)

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_the_claimreview_feed_holds_each_claim_with_a_verdict_or_outcome(client, demo):
    response = client.get("/api/v1/export/claimreview")
    feed = json.loads(response.get_data())
    reviews = [element["item"][0] for element in feed["dataFeedElement"]]

    assert response.content_type == "application/ld+json"
    assert (feed["@context"], feed["@type"]) == ("https://schema.org", "DataFeed")
    assert {element["@type"] for element in feed["dataFeedElement"]} == {"DataFeedItem"}
    assert len(reviews) == 11  # the demo's 14 claims but 3 promises still in progress
    assert all(r["@type"] == "ClaimReview" and r["reviewRating"]["ratingValue"] for r in reviews)
    assert all(r["url"].startswith("http://localhost/api/v1/claims/") for r in reviews)
    promises = json.loads(client.get("/api/v1/export/claimreview?kind=promise").get_data())
    assert len(promises["dataFeedElement"]) == 1


def test_an_empty_feed_is_still_a_datafeed(client):
    feed = json.loads(client.get("/api/v1/export/claimreview").get_data())

    assert feed == {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": []}
