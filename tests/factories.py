"""Build records through the API, the way a client would, with sensible defaults."""

from __future__ import annotations

import itertools
from typing import Any

_serial = itertools.count(1)

ARTICLE_TEXT = (
    "The US is set to open a consulate in the city of Dakhla and encourage investment "
    "and economic development in the region. The consulate would be the first in Dakhla."
)


def created(response) -> dict[str, Any]:
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def source(client, **fields) -> dict[str, Any]:
    body = {"url": f"https://news.example/articles/{next(_serial)}", "title": "An article"}
    return created(client.post("/api/v1/sources", json={**body, **fields}))


def claim(client, **fields) -> dict[str, Any]:
    body = {"text": f"Claim number {next(_serial)}", "kind": "factual"}
    return created(client.post("/api/v1/claims", json={**body, **fields}))


def appearance(client, claim_id: int, **fields) -> dict[str, Any]:
    return created(client.post(f"/api/v1/claims/{claim_id}/appearances", json=fields))


def evidence(client, claim_id: int, **fields) -> dict[str, Any]:
    body = {"url": f"https://evidence.example/{next(_serial)}", "stance": "supports"}
    return created(client.post(f"/api/v1/claims/{claim_id}/evidence", json={**body, **fields}))


def publisher(client, **fields) -> dict[str, Any]:
    number = next(_serial)
    body = {"name": f"Checker {number}", "url": f"https://checker{number}.example/"}
    return created(client.post("/api/v1/publishers", json={**body, **fields}))


def review(client, claim_id: int, **fields) -> dict[str, Any]:
    number = next(_serial)
    body = {
        "publisher": {"name": f"Checker {number}", "url": f"https://checker{number}.example/"},
        "url": f"https://checker{number}.example/fact-check/{number}",
        "rating": {"label": "False"},
    }
    return created(client.post(f"/api/v1/claims/{claim_id}/reviews", json={**body, **fields}))


def claim_with_records(client, **fields) -> dict[str, Any]:
    """A claim with an anchored appearance, evidence, a review, and a move citing the evidence."""
    made = claim(client, **fields)
    article = source(client, text=ARTICLE_TEXT)
    appearance(client, made["id"], source_id=article["id"], quote="open a consulate")
    cited = evidence(client, made["id"])
    review(client, made["id"], rating={"label": "Unrated thing"})
    moved = client.post(
        f"/api/v1/claims/{made['id']}/status-changes",
        json={"status": "in_review", "rationale": "Looking", "evidence_ids": [cited["id"]]},
    )
    assert moved.status_code == 201, moved.get_json()
    return made
