"""Bad import files: a clear problem naming each bad line, and nothing written unless partial."""

from __future__ import annotations

import json
import time

import pytest
from conftest import key_for
from exchange_helpers import CSV, FILES, NDJSON, import_claimreview, import_claims, ndjson

from service.app import create_app

GOOD = {"text": "A fine claim.", "kind": "factual"}
CREATION = {"to_status": "unverified", "rationale": "r", "created_at": "2024-01-01T00:00Z"}


def refused(response, status: int = 422) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    return response.get_json()


def listed(problem: dict) -> list[tuple]:
    return [(e["line"], e["field"]) for e in problem["invalid_records"]]


@pytest.mark.parametrize(
    ("name", "content_type", "line", "field", "message"),
    [
        ("truncated.ndjson", NDJSON, 2, "record", "not JSON"),
        ("latin1.ndjson", NDJSON, 2, "record", "not UTF-8: byte 30 of the line is 0xab"),
        ("missing_column.csv", CSV, 1, "kind", "missing column"),
        ("unknown_status.ndjson", NDJSON, 2, "status", "Must be one of"),
    ],
)
def test_a_bad_file_is_refused_whole_naming_the_line(
    client, row_counts, name, content_type, line, field, message
):
    before = row_counts()

    problem = refused(import_claims(client, (FILES / name).read_bytes(), content_type))

    assert listed(problem) == [(line, field)]
    assert problem["invalid_records"][0]["message"].startswith(message)
    assert problem["errors"] == {
        f"line {line}: {field}": [problem["invalid_records"][0]["message"]]
    }
    assert problem["type"] == "urn:claimtrack:problem:import-refused"
    assert row_counts() == before


def test_one_bad_line_at_the_end_of_100k_refuses_them_all_quickly(app, client, row_counts):
    lines = [json.dumps({"text": f"Claim {n}", "kind": "factual"}) for n in range(99_999)]
    body = "\n".join([*lines, '{"text": "The last one", "kind": "rumour"}']) + "\n"
    assert len(body) > app.config["SETTINGS"].max_body_bytes  # imports have their own limit
    before = row_counts()
    started = time.monotonic()

    problem = refused(import_claims(client, body))

    assert listed(problem) == [(100_000, "kind")]
    assert (problem["records"], problem["failed"]) == (100_000, 1)
    assert row_counts() == before
    assert time.monotonic() - started < 60


def test_a_dry_run_reports_and_writes_nothing(client, row_counts):
    before = row_counts()

    report = import_claims(client, ndjson(GOOD, {**GOOD, "text": "Another."}), dry_run="true")

    assert report.status_code == 200
    assert (report.get_json()["created"], report.get_json()["dry_run"]) == (2, True)
    assert row_counts() == before


def test_partial_mode_stores_the_good_records_and_reports_the_bad(client):
    body = ndjson(GOOD, {"text": "", "kind": "factual"}, {**GOOD, "text": "Third."})
    body += "{not json\n"

    report = import_claims(client, body, mode="partial").get_json()

    assert (report["created"], report["failed"]) == (2, 2)
    assert sorted({(e["line"], e["field"]) for e in report["errors"]}) == [
        (2, "text"),
        (4, "record"),
    ]
    texts = {c["text"] for c in client.get("/api/v1/claims").get_json()["items"]}
    assert texts == {"A fine claim.", "Third."}


def test_the_error_list_stops_at_max_errors_but_counts_every_bad_record(client):
    body = ndjson(*[{"kind": "factual"} for _ in range(5)])

    problem = refused(import_claims(client, body, max_errors=2))

    assert listed(problem) == [(1, "text"), (2, "text")]
    assert (problem["failed"], problem["errors_truncated"]) == (5, True)


def test_an_import_over_its_size_limit_is_a_413(database_url):
    app = create_app(
        {"database_url": database_url, "secret_key": "test-secret", "max_import_bytes": 1024}
    )
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key_for(app, 'researcher')}"

    problem = refused(import_claims(client, ndjson(*[GOOD] * 40)), 413)

    assert problem["status"] == 413


def test_a_body_of_another_type_is_a_415_saying_what_is_accepted(client):
    response = import_claims(client, ndjson(GOOD), content_type="text/plain")

    refused(response, 415)
    assert response.headers["Accept-Post"] == "application/x-ndjson, text/csv"


def test_format_wins_over_the_content_type_for_a_client_that_sends_one_type(client):
    # A generated client sends text/csv for every file: `format` says what the body is.
    body = ndjson(GOOD)
    imported = import_claims(client, body, content_type=CSV, format="ndjson")

    assert imported.status_code == 200, imported.get_data(as_text=True)
    assert imported.get_json()["format"] == "ndjson"
    assert imported.get_json()["created"] == 1
    as_csv = import_claims(client, body, content_type=CSV)  # read as CSV, it has no columns
    assert as_csv.status_code == 422


def test_an_unknown_format_is_a_422_naming_it_and_stores_nothing(client, row_counts):
    before = row_counts()
    problem = refused(import_claims(client, ndjson(GOOD), format="xml"))

    assert "format" in problem["errors"]
    assert row_counts() == before


def test_an_empty_file_is_refused(client):
    assert listed(refused(import_claims(client, "\n\n"))) == [(1, "record")]


@pytest.mark.parametrize(
    ("record", "field", "message"),
    [
        (
            {**GOOD, "status": "false"},
            "status",
            "false is not a new factual claim's status",
        ),
        (
            {
                **GOOD,
                "timeline": [
                    {
                        "to_status": "unverified",
                        "rationale": "r",
                        "created_at": "2024-01-01T00:00Z",
                    },
                    {
                        "from_status": "unverified",
                        "to_status": "false",
                        "rationale": "r",
                        "created_at": "2024-01-02T00:00Z",
                    },
                ],
            },
            "timeline.1.to_status",
            "To reach false, a conclusion, the claim needs evidence or a review.",
        ),
        (
            {
                **GOOD,
                "timeline": [
                    {
                        "to_status": "unverified",
                        "rationale": "r",
                        "created_at": "2024-01-01T00:00Z",
                    },
                    {
                        "from_status": "in_review",
                        "to_status": "unproven",
                        "rationale": "r",
                        "evidence_ids": [9],
                        "created_at": "2024-01-02T00:00Z",
                    },
                ],
                "evidence": [{"id": 1, "url": "https://e.example/", "stance": "context"}],
            },
            "timeline.1.evidence_ids",
            "Not the id of an evidence item",
        ),
        (
            {**GOOD, "kind": "promise", "status": "fulfilled"},
            "status",
            "fulfilled is not a new promise claim's status",
        ),
        ({**GOOD, "created_at": "2024-01-01T00:00:00"}, "created_at", "Not a valid aware"),
        ({**GOOD, "colour": "red"}, "colour", "Unknown field."),
    ],
)
def test_the_status_rules_hold_for_imported_timelines(client, row_counts, record, field, message):
    before = row_counts()

    problem = refused(import_claims(client, ndjson(GOOD | {"text": "ok"}, record)))

    assert (2, field) in listed(problem)
    messages = [e["message"] for e in problem["invalid_records"] if e["field"] == field]
    assert messages[0].startswith(message)
    assert row_counts() == before


def test_a_quote_that_is_not_in_a_known_source_refuses_the_file(client, row_counts):
    client.post("/api/v1/sources", json={"url": "https://known.example/a", "text": "Some words."})
    quoted = {
        **GOOD,
        "text": "Quoted.",
        "appearances": [
            {"source": {"url": "https://KNOWN.example/a#top"}, "quote": "other words", "start": 0}
        ],
    }
    before = row_counts()

    problem = refused(import_claims(client, ndjson(GOOD, quoted)))

    assert listed(problem) == [(2, "appearances.0.start")]
    assert row_counts() == before


@pytest.mark.parametrize(
    "second",
    [{"quote": "Some words", "start": 0}, {"quote": "Some words"}],
    ids=["given", "found from the quote"],
)
def test_a_claim_that_appears_twice_at_one_place_refuses_the_file(client, row_counts, second):
    """A claim appears once at a place in a source (the API refuses the second with a 422):
    an import that repeats one is refused, naming the repeat, and stores nothing."""
    source = {"url": "https://twice.example/a", "text": "Some words. More words."}
    record = {
        **GOOD,
        "text": "Said twice.",
        "appearances": [
            {"source": source, "quote": "Some words", "start": 0},
            {"source": source, **second},
        ],
    }
    before = row_counts()

    problem = refused(import_claims(client, ndjson(GOOD, record)))

    assert listed(problem) == [(2, "appearances.1")]
    assert row_counts() == before


def test_in_partial_mode_a_record_that_fails_while_stored_leaves_no_trace(client, row_counts):
    new_source = {"url": "https://new.example/b", "text": "Text."}
    failing = {
        **GOOD,
        "text": "Quoted.",
        "appearances": [{"source": new_source, "quote": "absent", "start": 0}],
    }
    before = row_counts()

    report = import_claims(client, ndjson(failing, GOOD), mode="partial").get_json()

    assert (report["created"], report["failed"], report["sources_created"]) == (1, 1, 0)
    after = row_counts()
    assert (after["claim"], after["source"]) == (before["claim"] + 1, before["source"])


def test_csv_rows_import_with_quoting_tags_and_a_status_move(client):
    body = (
        "text,kind,claimant,claim_date,tags,status\r\n"
        '"A claim, with a comma and ""quotes""\nover two lines",factual,"Zoë, the mayor",'
        "2024-02-29,housing;two words,in_review\r\n"
        "A promise.,promise,,,,\r\n"
    )

    report = import_claims(client, body.encode(), CSV).get_json()
    claims = client.get("/api/v1/claims", query_string={"sort": "created_at"}).get_json()["items"]

    assert report["created"] == 2
    first = next(c for c in claims if c["kind"] == "factual")
    assert first["text"] == 'A claim, with a comma and "quotes"\nover two lines'
    assert (first["claimant"], first["tags"], first["status"]) == (
        "Zoë, the mayor",
        ["housing", "two words"],
        "in_review",
    )
    assert next(c for c in claims if c["kind"] == "promise")["status"] == "pending"


def test_a_csv_row_with_a_verdict_is_refused_for_want_of_evidence(client):
    body = "text,kind,status\r\nA claim.,factual,false\r\n"

    problem = refused(import_claims(client, body, CSV))

    assert listed(problem) == [(2, "timeline.1.to_status")]


def test_a_csv_row_that_is_not_utf8_is_named(client):
    body = b"text,kind\r\nGood one,factual\r\n" + "Déjà vu,factual\r\n".encode("latin-1")

    problem = refused(import_claims(client, body, CSV))

    assert listed(problem) == [(3, "record")]
    assert "not UTF-8" in problem["invalid_records"][0]["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"@type": "ClaimReview",\n "claimReviewed": ', "not JSON"),
        ('{"claimReviewed": "déjà"}'.encode("latin-1"), "not UTF-8"),
        (b"[]", "no ClaimReview in the document"),
    ],
)
def test_a_claimreview_document_that_cannot_be_read_is_refused(client, body, message):
    problem = refused(import_claimreview(client, body))

    assert problem["invalid_records"][0]["message"].startswith(message)


def test_an_ndjson_line_holding_an_unpaired_surrogate_is_named_and_a_pair_is_read(client):
    # json.dumps escapes every character outside ASCII: 😀 is written as a pair of halves.
    lines = [
        json.dumps({**GOOD, "text": "Smile 😀 said the minister."}),
        json.dumps({**GOOD, "summary": "a half \ud83d alone"}),
        json.dumps({**GOOD, "text": "Low \udc00 half."}),
        # An escaped backslash, then what reads as a pair but leaves the low half alone.
        '{"text": "A \\\\ud83d\\udc00 trap.", "kind": "factual"}',
    ]

    report = import_claims(client, "\n".join(lines) + "\n", mode="partial").get_json()

    assert (report["created"], report["failed"]) == (1, 3)
    assert [(e["line"], e["field"]) for e in report["errors"]] == [
        (2, "summary"),
        (3, "text"),
        (4, "text"),
    ]
    assert {e["message"] for e in report["errors"]} == {
        "holds an unpaired surrogate: not valid Unicode"
    }
    texts = {c["text"] for c in client.get("/api/v1/claims").get_json()["items"]}
    assert texts == {"Smile 😀 said the minister."}
