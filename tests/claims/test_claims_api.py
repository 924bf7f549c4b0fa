import factories
import pytest
from sqlalchemy import select

from service.evidence.models import Evidence
from service.status_changes.models import StatusChange


@pytest.mark.parametrize(("kind", "initial"), [("factual", "unverified"), ("promise", "pending")])
def test_a_new_claim_starts_in_its_kinds_initial_status(client, kind, initial):
    response = client.post(
        "/api/v1/claims", json={"text": "The US will open a consulate.", "kind": kind}
    )

    assert response.status_code == 201
    claim = response.get_json()
    assert claim["status"] == initial
    assert claim["rating"] == {"label": initial.capitalize(), "value": None, "best": 5, "worst": 1}
    assert claim["status_changed_at"] == claim["created_at"]
    assert claim["appearances"] == [] and claim["evidence_count"] == 0
    assert response.headers["Location"] == f"/api/v1/claims/{claim['id']}"


def test_a_new_claims_timeline_records_its_creation(session, client):
    claim = factories.claim(client, kind="promise")

    changes = session.scalars(select(StatusChange).where(StatusChange.claim_id == claim["id"]))
    assert [(c.from_status, c.to_status) for c in changes] == [(None, "pending")]
    assert claim["updated_at"] == claim["created_at"]


def test_tags_are_a_sorted_set(client):
    claim = factories.claim(client, tags=["western-sahara", "morocco", "morocco"])

    assert claim["tags"] == ["morocco", "western-sahara"]


def test_patch_replaces_tags_and_keeps_the_rest(client):
    claim = factories.claim(client, tags=["a", "b"], claimant="Someone")

    response = client.patch(f"/api/v1/claims/{claim['id']}", json={"tags": ["b", "c"]})

    assert response.status_code == 200
    assert response.get_json()["tags"] == ["b", "c"]
    assert response.get_json()["claimant"] == "Someone"
    assert client.get(f"/api/v1/claims/{claim['id']}").get_json()["tags"] == ["b", "c"]


def test_a_patch_that_changes_nothing_keeps_the_etag(client):
    claim = factories.claim(client, tags=["a"])
    url = f"/api/v1/claims/{claim['id']}"
    etag = client.get(url).headers["ETag"]

    response = client.patch(url, json={"tags": ["a"], "text": claim["text"]})

    assert response.headers["ETag"] == etag


@pytest.mark.parametrize("field", ["status", "kind"])
def test_patch_refuses_status_and_kind(client, row_counts, field):
    claim = factories.claim(client)
    before = row_counts()

    response = client.patch(f"/api/v1/claims/{claim['id']}", json={field: "true"})

    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert row_counts() == before
    assert client.get(f"/api/v1/claims/{claim['id']}").get_json()["status"] == "unverified"


def test_status_error_points_to_status_changes(client):
    claim = factories.claim(client)

    response = client.patch(f"/api/v1/claims/{claim['id']}", json={"status": "true"})

    assert "status-changes" in response.get_json()["errors"]["status"][0]


def test_delete_removes_the_claim_with_everything_it_owns(client, row_counts):
    source = factories.source(client, text=factories.ARTICLE_TEXT)
    claim = factories.claim(client, tags=["x"])
    factories.appearance(client, claim["id"], source_id=source["id"], quote="city of Dakhla")
    factories.evidence(client, claim["id"])

    assert client.delete(f"/api/v1/claims/{claim['id']}").status_code == 204

    assert client.get(f"/api/v1/claims/{claim['id']}").status_code == 404
    counts = row_counts()
    assert counts["source"] == 1
    assert all(
        counts[t] == 0 for t in ("claim", "claim_tag", "appearance", "evidence", "status_change")
    )


def test_list_filters_combine(client):
    wanted = factories.claim(client, kind="promise", tags=["morocco", "dakhla"])
    factories.claim(client, kind="promise", tags=["morocco"])
    factories.claim(client, kind="factual", tags=["morocco", "dakhla"])

    response = client.get("/api/v1/claims?kind=promise&tag=morocco&tag=dakhla&status=pending")

    assert [c["id"] for c in response.get_json()["items"]] == [wanted["id"]]


def test_status_filter_takes_any_of_several(client):
    factual = factories.claim(client, kind="factual")
    promise = factories.claim(client, kind="promise")

    response = client.get("/api/v1/claims?status=unverified&status=pending")

    assert {c["id"] for c in response.get_json()["items"]} == {factual["id"], promise["id"]}


def test_an_unknown_status_filter_is_422_naming_the_parameter(client):
    response = client.get("/api/v1/claims?status=bogus")

    assert response.status_code == 422
    assert "status.0" in response.get_json()["errors"] or "status" in response.get_json()["errors"]


def test_patched_tags_come_back_sorted_under_the_etag_a_read_gives(client):
    claim = factories.claim(client, tags=["b"])
    url = f"/api/v1/claims/{claim['id']}"

    patched = client.patch(url, json={"tags": ["c", "a", "b"]})
    read = client.get(url)

    assert patched.get_json()["tags"] == ["a", "b", "c"]
    assert patched.get_json() == read.get_json()
    assert patched.headers["ETag"] == read.headers["ETag"]


def test_a_claim_whose_timeline_cites_evidence_can_be_force_deleted(client, session, row_counts):
    claim = factories.claim(client)
    evidence = factories.evidence(client, claim["id"])
    change = StatusChange(
        claim_id=claim["id"], from_status="unverified", to_status="true", rationale="Confirmed."
    )
    change.evidence = [session.get(Evidence, evidence["id"])]
    session.add(change)
    session.commit()

    response = client.delete(f"/api/v1/claims/{claim['id']}?force=true")

    assert response.status_code == 204
    counts = row_counts()
    assert all(
        counts[t] == 0 for t in ("claim", "evidence", "status_change", "status_change_evidence")
    )
