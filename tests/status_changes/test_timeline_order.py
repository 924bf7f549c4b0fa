"""A claim's story reads in the order it happened: by date, then as things were recorded."""

from __future__ import annotations

import json

import factories

from service.orm import utcnow


def entries(client, claim_id: int) -> list[tuple[str, str]]:
    story = client.get(f"/api/v1/claims/{claim_id}/timeline").get_json()["entries"]
    return [(entry["kind"], entry["headline"]) for entry in story]


def test_evidence_recorded_after_the_claim_on_its_day_follows_the_creation(client):
    claim = factories.claim(client)
    factories.evidence(client, claim["id"], published_on=utcnow().date().isoformat())

    story = entries(client, claim["id"])

    assert [kind for kind, _ in story] == ["status_change", "evidence"]
    assert story[0][1] == "Recorded as unverified."


def test_evidence_published_before_the_claim_was_recorded_comes_first(client):
    claim = factories.claim(client)
    factories.evidence(client, claim["id"], published_on="2020-12-24")

    assert [kind for kind, _ in entries(client, claim["id"])] == ["evidence", "status_change"]


def test_a_move_that_day_comes_after_the_evidence_recorded_before_it(client):
    claim = factories.claim(client)
    cited = factories.evidence(client, claim["id"], published_on=utcnow().date().isoformat())
    client.post(
        f"/api/v1/claims/{claim['id']}/status-changes",
        json={"status": "true", "rationale": "Confirmed.", "evidence_ids": [cited["id"]]},
    )

    kinds = [kind for kind, _ in entries(client, claim["id"])]

    assert kinds == ["status_change", "evidence", "status_change"]


def test_an_imported_history_is_ordered_by_when_its_file_says_it_happened(client):
    record = {
        "text": "The port will reopen in March.",
        "kind": "promise",
        "evidence": [
            {
                "id": 7,
                "url": "https://news.example/port",
                "stance": "supports",
                "published_on": "2021-03-02",
                "created_at": "2021-03-02T08:00:00+00:00",
            }
        ],
        "timeline": [
            {
                "to_status": "pending",
                "rationale": "Recorded.",
                "created_at": "2021-03-01T09:00:00Z",
            },
            {
                "from_status": "pending",
                "to_status": "fulfilled",
                "rationale": "Reopened.",
                "evidence_ids": [7],
                "created_at": "2021-03-02T12:00:00Z",
            },
        ],
    }
    imported = client.post(
        "/api/v1/import/claims",
        data=json.dumps(record) + "\n",
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert imported.status_code == 200, imported.get_json()
    (claim,) = client.get("/api/v1/claims").get_json()["items"]

    story = client.get(f"/api/v1/claims/{claim['id']}/timeline").get_json()["entries"]

    assert [(e["date"], e["kind"]) for e in story] == [
        ("2021-03-01", "status_change"),
        ("2021-03-02", "evidence"),
        ("2021-03-02", "status_change"),
    ]
