"""The follow-up queue: claims whose review date has come, oldest due first."""

import factories
import pytest
from click.testing import CliRunner

from service.cli import main


def queue(client, value):
    response = client.get(f"/api/v1/claims?review_due_before={value}")
    assert response.status_code == 200, response.get_json()
    return [c["id"] for c in response.get_json()["items"]]


@pytest.fixture
def claims(client):
    late = factories.claim(client, kind="promise", review_due="2021-03-01")
    later = factories.claim(client, kind="promise", review_due="2024-01-01")
    future = factories.claim(client, kind="promise", review_due="2999-01-01")
    factories.claim(client, kind="promise")  # no follow-up date
    settled = factories.claim(client, kind="factual", review_due="2020-01-01")
    factories.evidence(client, settled["id"])
    client.post(
        f"/api/v1/claims/{settled['id']}/status-changes",
        json={"status": "true", "rationale": "Confirmed.", "review_due": "2020-01-01"},
    )
    return late, later, future


def test_the_queue_lists_due_claims_oldest_first_without_settled_ones(client, claims):
    late, later, _ = claims

    assert queue(client, "2025-01-01") == [late["id"], later["id"]]
    assert queue(client, "2024-01-01") == [late["id"], later["id"]]  # on or before
    assert queue(client, "2023-12-31") == [late["id"]]


def test_an_empty_date_means_today(client, claims):
    late, later, _ = claims

    assert queue(client, "") == [late["id"], later["id"]]


def test_the_queue_pages_by_due_date(client, claims):
    late, later, _ = claims

    first = client.get("/api/v1/claims?review_due_before=2025-01-01&limit=1").get_json()
    second = client.get(
        f"/api/v1/claims?review_due_before=2025-01-01&limit=1&cursor={first['next_cursor']}"
    ).get_json()

    assert [c["id"] for c in first["items"] + second["items"]] == [late["id"], later["id"]]


def test_claimtrack_due_prints_the_queue(app, client, claims, monkeypatch, database_url):
    late, later, future = claims
    monkeypatch.setenv("DATABASE_URL", database_url)

    result = CliRunner().invoke(main, ["due", "--on", "2025-01-01"])

    lines = result.output.strip().splitlines()
    assert result.exit_code == 0
    assert lines[0].split() == ["due", "id", "kind", "status", "claim"]
    assert [line.split()[1] for line in lines[1:]] == [str(late["id"]), str(later["id"])]
