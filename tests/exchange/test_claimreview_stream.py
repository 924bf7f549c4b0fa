"""ClaimReview read as a stream: a depth limit, review by review, errors in the file's terms."""

from __future__ import annotations

import io
import json
import logging
import tracemalloc
from pathlib import Path

import pytest
from exchange_helpers import import_claimreview

from service.exchange.claimreview_in import claimreview_entries
from service.exchange.claimreview_stream import MAX_DEPTH

# Real published fact-checks (see its MANIFEST.md), read where they are, never copied here.
REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "data" / "realworld"
# The top-level properties of a ClaimReview: what every error must name.
REVIEW_PROPERTIES = {
    "@type",
    "claimReviewed",
    "url",
    "reviewRating",
    "datePublished",
    "headline",
    "name",
    "author",
    "reviewBody",
    "inLanguage",
    "itemReviewed",
}


def review(number: int, **properties) -> dict:
    return {
        "@type": "ClaimReview",
        "claimReviewed": f"Claim number {number} is false.",
        "url": f"https://check.example/{number}",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        **properties,
    }


def nested(levels: int) -> dict | str:
    """`levels` objects, each holding the next."""
    value: dict | str = "bottom"
    for _ in range(levels):
        value = {"a": value}
    return value


def feed(*elements: dict) -> str:
    return json.dumps({"@type": "DataFeed", "dataFeedElement": list(elements)})


def realworld(name: str) -> bytes:
    path = REALWORLD / name
    if not path.exists():
        pytest.skip(f"{path} is absent: the real-world ClaimReview files are not mounted here")
    return path.read_bytes()


def partial(client, body: bytes | str) -> dict:
    response = import_claimreview(client, body, mode="partial", max_errors=1000)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def refused(response) -> dict:
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    return response.get_json()


def errors_of(report: dict) -> list[tuple[int, str]]:
    return [(error["item"], error["field"]) for error in report["errors"]]


def claim_texts(client) -> set[str]:
    items = client.get("/api/v1/claims", query_string={"limit": 100}).get_json()["items"]
    return {claim["text"] for claim in items}


@pytest.mark.parametrize(
    ("body", "where", "item"),
    [
        # The document: 1.2 KB of brackets was a RecursionError and a 500.
        ("[" * 600 + "]" * 600, "0.0.0.0", 1),
        (
            feed(
                review(1),
                {
                    "@type": "DataFeedItem",
                    "item": [review(2, itemReviewed={"author": nested(40)})],
                },
            ),
            "dataFeedElement.1.item.0.itemReviewed.author.a.a",
            2,
        ),
    ],
)
def test_a_document_nested_too_deep_is_refused_naming_where_and_nothing_is_stored(
    client, row_counts, caplog, body, where, item
):
    before = row_counts()

    with caplog.at_level(logging.INFO):
        problem = refused(import_claimreview(client, body, mode="partial"))

    (error,) = problem["invalid_records"]
    assert error["field"].startswith(where)
    assert len(error["field"].split(".")) == MAX_DEPTH  # the first level too many
    assert (error["line"], error["item"]) == (1, item)
    assert f"nested more than {MAX_DEPTH} levels deep" in problem["detail"]
    assert row_counts() == before  # partial mode stores nothing of a document it cannot read
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


@pytest.mark.parametrize(("levels", "status"), [(MAX_DEPTH - 2, 200), (MAX_DEPTH - 1, 422)])
def test_a_review_may_nest_exactly_max_depth_levels(client, levels, status):
    # The list is level 1, the review level 2, its property's objects the levels below.
    body = json.dumps([review(1, extra=nested(levels))])

    assert import_claimreview(client, body).status_code == status


def test_a_feed_yields_its_first_review_before_the_rest_is_read():
    body = io.BytesIO(feed(*(review(number) for number in range(10_000))).encode())

    entries = claimreview_entries(body)
    first = next(entries)

    assert (first.item, first.data["text"]) == (1, "Claim number 0 is false.")
    assert body.tell() < len(body.getvalue()) / 10  # a one-line feed, read 64 KiB at a time
    assert sum(1 for _ in entries) == 9999


def test_reading_a_feed_holds_one_review_at_a_time_not_the_document():
    reviews = (review(number, reviewBody="Why. " * 200) for number in range(4000))
    body = io.BytesIO(feed(*reviews).encode())

    tracemalloc.start()
    try:
        read = sum(1 for _ in claimreview_entries(body))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert read == 4000
    assert peak < len(body.getvalue()) / 8, f"{peak:,} bytes for a {len(body.getvalue()):,} feed"


def test_a_broken_review_mid_feed_refuses_the_file_even_in_partial_mode(client, row_counts):
    lines = [json.dumps(review(number)) for number in range(5)]
    lines[3] = lines[3].replace('"url":', '"url"')  # the fourth review, on line 5
    body = '{"@type": "DataFeed", "dataFeedElement": [\n' + ",\n".join(lines) + "\n]}\n"
    before = row_counts()

    problem = refused(import_claimreview(client, body, mode="partial"))

    assert [(e["line"], e["field"]) for e in problem["invalid_records"]] == [(5, "record")]
    assert problem["invalid_records"][0]["message"].startswith("not JSON")
    assert row_counts() == before


@pytest.mark.parametrize(
    ("document", "texts"),
    [
        (review(1), {1}),
        ([review(1), review(2)], {1, 2}),
        ({"@type": "DataFeed", "dataFeedElement": [review(1), review(2)]}, {1, 2}),
        (
            {
                "@type": "DataFeed",
                "dataFeedElement": [
                    {"@type": "DataFeedItem", "item": review(1)},
                    {"@type": "DataFeedItem", "item": [review(2), review(3)]},
                    review(4),
                ],
            },
            {1, 2, 3, 4},
        ),
        ({"dataFeedElement": [review(1)], "@type": "DataFeed"}, {1}),  # @type comes last
        ({"@type": "DataFeed", "dataFeedElement": review(1)}, {1}),  # one element, no list
    ],
    ids=["one", "list", "feed", "feed-items", "type-last", "feed-of-one"],
)
def test_every_shape_of_document_imports_its_reviews(client, document, texts):
    report = partial(client, json.dumps(document))

    assert (report["created"], report["failed"]) == (len(texts), 0)
    assert claim_texts(client) == {f"Claim number {number} is false." for number in texts}


@pytest.mark.parametrize(
    ("properties", "field"),
    [
        ({"claimReviewed": ""}, "claimReviewed"),
        ({"claimReviewed": "   "}, "claimReviewed"),
        # Too long for the claim and for the quote that repeats it: one fault, one error.
        (
            {"claimReviewed": "x" * 12_000, "itemReviewed": {"appearance": ["https://a.example/"]}},
            "claimReviewed",
        ),
        ({"url": "not a url"}, "url"),
        ({"headline": "h" * 1200}, "headline"),
        ({"name": "n" * 1200}, "name"),
        ({"author": {"@type": "Organization", "name": "o" * 300}}, "author.name"),
        ({"author": [{"name": "o" * 300}]}, "author.0.name"),
        ({"reviewBody": "b" * 21_000}, "reviewBody"),
        ({"datePublished": "last Tuesday"}, "datePublished"),
        ({"itemReviewed": {"author": {"name": "c" * 400}}}, "itemReviewed.author.name"),
        (
            {"itemReviewed": {"appearance": [{"url": "https://a.example/", "name": "t" * 600}]}},
            "itemReviewed.appearance.0.name",
        ),
    ],
)
def test_each_fault_is_named_once_by_its_claimreview_property(client, properties, field):
    report = partial(client, json.dumps([review(1), review(2, **properties)]))

    assert report["created"] == 1
    assert errors_of(report) == [(2, field)]


@pytest.mark.parametrize(
    ("properties", "warned"),
    [
        ({"datePublished": "2021-7-20"}, ("datePublished", "read '2021-7-20' as 2021-07-20")),
        (
            {"datePublished": "2021-07-20 10:00:00"},
            (
                "datePublished",
                "read '2021-07-20 10:00:00' as 2021-07-20T10:00:00+00:00 "
                "(no time zone given: taken as UTC)",
            ),
        ),
        (
            {"itemReviewed": {"datePublished": "2021-7-9"}},
            ("itemReviewed.datePublished", "read '2021-7-9' as 2021-07-09"),
        ),
        (
            {"inLanguage": "not a language"},
            ("inLanguage", "'not a language' is not a language code: the language is detected"),
        ),
        ({"inLanguage": "en-US"}, ("inLanguage", "read 'en-US' as 'en'")),
        (
            {"itemReviewed": {"appearance": [{"url": "https://a.example/", "text": " "}]}},
            (
                "itemReviewed.appearance.0.text",
                "blank: the appearance quotes claimReviewed instead",
            ),
        ),
        (
            {"itemReviewed": {"appearance": [{"url": "https://a.example/", "datePublished": "?"}]}},
            (
                "itemReviewed.appearance.0.datePublished",
                "not a date (YYYY-MM-DD) or an RFC 3339 date-time: left out",
            ),
        ),
        # firstAppearance comes first in the claim, but is not in the appearance list ...
        (
            {
                "itemReviewed": {
                    "firstAppearance": "https://first.example/",
                    "appearance": ["https://b.example/", "nope"],
                }
            },
            (
                "itemReviewed.appearance.1",
                "'nope' is not usable URL: the appearance is dropped",
            ),
        ),
        # ... and a second spelling of a URL is no second appearance, but keeps its place.
        (
            {"itemReviewed": {"appearance": ["https://b.example/", "https://B.example", "1"]}},
            ("itemReviewed.appearance.2", "'1' is not usable URL: the appearance is dropped"),
        ),
        (
            {"itemReviewed": {"appearance": [{"name": "no url"}]}},
            ("itemReviewed.appearance.0.url", "no usable URL: the appearance is dropped"),
        ),
    ],
)
def test_what_can_be_repaired_is_and_the_report_says_where(client, properties, warned):
    report = partial(client, json.dumps([review(1), review(2, **properties)]))

    assert (report["created"], report["failed"]) == (2, 0)
    assert [(w["item"], w["property"], w["message"]) for w in report["warnings"]] == [(2, *warned)]


@pytest.mark.parametrize(
    ("review_text", "field"),
    [
        ('"claimReviewed": "Half a pair: \\ud800."', "claimReviewed"),
        ('"claimReviewed": "Fine.", "author": {"name": "\\udc00"}', "author.name"),
    ],
)
def test_an_unpaired_surrogate_refuses_only_its_review(client, review_text, field):
    bad = f'{{"@type": "ClaimReview", {review_text}, "url": "https://check.example/bad", '
    bad += '"reviewRating": {"alternateName": "False"}}'

    report = partial(client, f"[{bad}, {json.dumps(review(2))}]")

    assert report["created"] == 1
    assert errors_of(report) == [(1, field)]
    assert "unpaired surrogate" in report["errors"][0]["message"]


def test_an_escaped_surrogate_pair_is_read_as_its_character(client):
    body = json.dumps([review(1, claimReviewed="Wind turbines kill whales 🐋.")], ensure_ascii=True)
    assert "\\ud83d\\udc0b" in body

    partial(client, body)

    assert claim_texts(client) == {"Wind turbines kill whales 🐋."}


def test_the_mm_collector_reviews_name_each_fault_once_in_claimreview_terms(client):
    report = partial(client, realworld("mm_collector_claimreviews.json"))

    assert (report["records"], report["created"], report["failed"]) == (6, 5, 1)
    assert errors_of(report) == [
        (5, "claimReviewed"),  # Le Monde: an empty claimReviewed, once (was 16 lines)
    ]
    assert report["errors"][0]["message"] == "empty: the claim's words are required"
    # TjekDet's review stays; its two unusable appearance URLs go, each said once.
    assert [(w["item"], w["property"]) for w in report["warnings"] if w["item"] == 6] == [
        (6, "datePublished"),  # +0100: an offset without its colon
        (6, "itemReviewed.appearance.1"),  # "1"
        (6, "itemReviewed.appearance.2"),  # "glem-...-l.html"
    ]


def test_the_claimskg_samples_give_one_error_per_bad_review_naming_a_property(client):
    report = partial(client, realworld("claimskg_samples_claimreviews.json"))

    items = [item for item, _ in errors_of(report)]
    fields = [field for _, field in errors_of(report)]
    assert report["records"] == 510
    assert report["created"] + report["existing"] + report["failed"] == 510
    assert len(items) == len(set(items)) == report["failed"]
    assert {field.split(".")[0] for field in fields} <= REVIEW_PROPERTIES
    assert fields.count("claimReviewed") >= 100  # AAP's claims are all empty
