"""Moving a claim through its statuses: the timeline, its rules, and concurrent writers."""

import threading

import factories
import pytest
from conftest import key_for


@pytest.fixture
def promise(client):
    return factories.claim(client, kind="promise", text="The US will open a consulate in Dakhla.")


def move(client, claim_id, **body):
    body.setdefault("rationale", "Because the evidence says so.")
    return client.post(f"/api/v1/claims/{claim_id}/status-changes", json=body)


def timeline(client, claim_id):
    return client.get(f"/api/v1/claims/{claim_id}/status-changes").get_json()["items"]


def test_a_move_is_appended_and_the_claim_follows(client, promise):
    evidence = factories.evidence(client, promise["id"], published_on="2020-12-24")

    response = move(
        client,
        promise["id"],
        status="in_progress",
        evidence_ids=[evidence["id"]],
        review_due="2026-06-30",
        rationale="A virtual presence post opened.",
    )

    assert response.status_code == 201
    change = response.get_json()
    assert (change["from_status"], change["to_status"]) == ("pending", "in_progress")
    assert change["evidence_ids"] == [evidence["id"]]
    assert change["created_by"] == "test-admin"
    assert response.headers["Location"] == f"/api/v1/status-changes/{change['id']}"
    claim = client.get(f"/api/v1/claims/{promise['id']}").get_json()
    assert (claim["status"], claim["review_due"]) == ("in_progress", "2026-06-30")
    assert claim["status_changed_at"] == change["created_at"]


def test_the_timeline_lists_the_creation_then_each_move_oldest_first(client, promise):
    factories.evidence(client, promise["id"])
    move(client, promise["id"], status="in_progress")
    move(client, promise["id"], status="stalled")
    move(client, promise["id"], status="fulfilled")

    moves = [(c["from_status"], c["to_status"]) for c in timeline(client, promise["id"])]

    assert moves == [
        (None, "pending"),
        ("pending", "in_progress"),
        ("in_progress", "stalled"),
        ("stalled", "fulfilled"),
    ]


def test_an_outcome_is_not_final_for_a_promise(client, promise):
    factories.evidence(client, promise["id"])
    move(client, promise["id"], status="fulfilled")

    response = move(client, promise["id"], status="in_progress")

    assert response.status_code == 201


def test_a_verdict_sets_the_rating(client):
    claim = factories.claim(client, kind="factual")
    factories.evidence(client, claim["id"], stance="refutes")

    move(client, claim["id"], status="mostly_false")

    rating = client.get(f"/api/v1/claims/{claim['id']}").get_json()["rating"]
    assert rating == {"label": "Mostly false", "value": 2, "best": 5, "worst": 1}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "true"}, "status"),  # a factual status on a promise
        ({"status": "pending"}, "status"),  # the status it has now
        ({"status": "fulfilled"}, "status"),  # an outcome, with no evidence on the claim
        ({"status": "in_progress", "rationale": ""}, "rationale"),
        ({"status": "in_progress", "rationale": "   "}, "rationale"),
        ({"status": "in_progress", "evidence_ids": [999999]}, "evidence_ids"),
        ({"status": "on_hold"}, "status"),
        ({"status": "in_progress", "review_due": "someday"}, "review_due"),
    ],
)
def test_each_rule_is_a_422_that_writes_nothing(client, promise, row_counts, body, field):
    before = row_counts()

    response = move(client, promise["id"], **body)

    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert row_counts() == before
    assert client.get(f"/api/v1/claims/{promise['id']}").get_json()["status"] == "pending"


def test_evidence_of_another_claim_cannot_be_cited(client, promise, row_counts):
    other = factories.claim(client, kind="promise")
    theirs = factories.evidence(client, other["id"])
    factories.evidence(client, promise["id"])
    before = row_counts()

    response = move(client, promise["id"], status="fulfilled", evidence_ids=[theirs["id"]])

    assert response.status_code == 422
    assert str(theirs["id"]) in response.get_json()["errors"]["evidence_ids"][0]
    assert row_counts() == before


def test_a_stale_if_match_is_412_and_writes_nothing(client, promise, row_counts):
    stale = client.get(f"/api/v1/claims/{promise['id']}").headers["ETag"]
    move(client, promise["id"], status="in_progress")
    before = row_counts()

    response = client.post(
        f"/api/v1/claims/{promise['id']}/status-changes",
        json={"status": "stalled", "rationale": "No news."},
        headers={"If-Match": stale},
    )

    assert response.status_code == 412
    assert row_counts() == before


def test_of_twenty_concurrent_moves_with_one_etag_exactly_one_lands(app, promise):
    url = f"/api/v1/claims/{promise['id']}"
    key = key_for(app, "researcher")
    etag = app.test_client().get(url).headers["ETag"]
    start = threading.Barrier(20)
    statuses = []

    def post(rationale: str) -> None:
        client = app.test_client()
        start.wait()
        response = client.post(
            f"{url}/status-changes",
            json={"status": "in_progress", "rationale": rationale},
            headers={"If-Match": etag, "Authorization": f"Bearer {key}"},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(f"writer {n}",)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201] + [412] * 19
    assert len(timeline(app.test_client(), promise["id"])) == 2


def test_no_route_edits_or_deletes_a_status_change(client, promise):
    change = timeline(client, promise["id"])[0]
    url = f"/api/v1/status-changes/{change['id']}"

    assert client.get(url).get_json() == change
    assert client.patch(url, json={"rationale": "rewritten"}).status_code == 405
    assert client.delete(url).status_code == 405


def test_a_claim_with_history_is_deleted_only_by_force(client, promise, row_counts):
    factories.evidence(client, promise["id"])
    move(client, promise["id"], status="in_progress")
    before = row_counts()

    refused = client.delete(f"/api/v1/claims/{promise['id']}")

    assert refused.status_code == 409
    assert row_counts() == before
    assert client.delete(f"/api/v1/claims/{promise['id']}?force=true").status_code == 204
    audit = client.get(f"/api/v1/audit?resource=claim&resource_id={promise['id']}").get_json()
    assert audit["items"][0]["action"] == "delete"


def test_a_claim_with_only_its_creation_is_deleted_plainly(client, promise):
    assert client.delete(f"/api/v1/claims/{promise['id']}").status_code == 204
