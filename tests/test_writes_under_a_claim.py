"""Writes under one claim: a stale If-Match refuses them, and concurrent ones queue, never fail."""

from __future__ import annotations

import threading

import factories
import pytest

THREADS, POSTS = 8, 6


@pytest.fixture
def claim(client):
    return factories.claim(client)


@pytest.fixture
def source(client):
    return factories.source(client, text=factories.ARTICLE_TEXT)


def stale_tag(client, claim_id: int) -> str:
    tag = client.get(f"/api/v1/claims/{claim_id}").headers["ETag"]
    client.patch(f"/api/v1/claims/{claim_id}", json={"summary": "Changed meanwhile."})
    return tag


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("evidence", {"url": "https://evidence.example/x", "stance": "supports"}),
        ("appearances", {"source_id": None, "quote": "a consulate in the city of Dakhla"}),
        ("status-changes", {"status": "in_review", "rationale": "Looking into it."}),
    ],
)
def test_a_create_under_a_claim_with_a_stale_if_match_is_412_and_writes_nothing(
    client, claim, source, row_counts, path, body
):
    body = {**body, "source_id": source["id"]} if "source_id" in body else body
    tag = stale_tag(client, claim["id"])
    before = row_counts()

    response = client.post(
        f"/api/v1/claims/{claim['id']}/{path}", json=body, headers={"If-Match": tag}
    )

    assert response.status_code == 412, response.get_json()
    assert response.get_json()["type"] == "urn:claimtrack:problem:stale-etag"
    assert row_counts() == before


@pytest.mark.parametrize("path", ["evidence", "appearances"])
def test_a_create_under_a_claim_with_its_current_if_match_succeeds(client, claim, source, path):
    tag = client.get(f"/api/v1/claims/{claim['id']}").headers["ETag"]
    body = (
        {"url": "https://evidence.example/y", "stance": "refutes"}
        if path == "evidence"
        else {"source_id": source["id"], "quote": "The consulate would be the first in Dakhla."}
    )

    response = client.post(
        f"/api/v1/claims/{claim['id']}/{path}", json=body, headers={"If-Match": tag}
    )

    assert response.status_code == 201, response.get_json()
    assert client.get(f"/api/v1/claims/{claim['id']}").headers["ETag"] != tag


def together(app, client, work, arguments) -> list[int]:
    """Run `work(own_client, argument)` in a thread per argument, all started at once, each
    with a client of its own holding `client`'s key; the statuses they answered."""
    authorization = client.environ_base["HTTP_AUTHORIZATION"]
    statuses: list[int] = []
    start = threading.Barrier(len(arguments))

    def run(argument) -> None:
        own = app.test_client()
        own.environ_base["HTTP_AUTHORIZATION"] = authorization
        start.wait()
        statuses.extend(work(own, argument))

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_concurrent_evidence_posts_to_one_claim_all_succeed(app, client, claim):
    """8 writers, 6 posts each, no If-Match: each waits for the claim, none gets a 412."""

    def post_evidence(own, number: int) -> list[int]:
        return [
            own.post(
                f"/api/v1/claims/{claim['id']}/evidence",
                json={"url": f"https://evidence.example/{number}/{post}", "stance": "context"},
            ).status_code
            for post in range(POSTS)
        ]

    statuses = together(app, client, post_evidence, range(THREADS))

    assert statuses == [201] * THREADS * POSTS
    stored = client.get(f"/api/v1/claims/{claim['id']}").get_json()
    assert stored["evidence_count"] == THREADS * POSTS


def test_concurrent_evidence_edits_under_one_claim_all_succeed(app, client, claim):
    """Edits of different evidence of one claim each move the claim's version: they queue."""
    items = [factories.evidence(client, claim["id"]) for _ in range(THREADS)]

    def edit(own, item: dict) -> list[int]:
        return [
            own.patch(f"/api/v1/evidence/{item['id']}", json={"note": f"Edit {n}."}).status_code
            for n in range(3)
        ]

    assert together(app, client, edit, items) == [200] * THREADS * 3
