import factories

from service.evidence.models import Evidence
from service.status_changes.models import StatusChange


def test_evidence_is_added_listed_and_counted(client):
    claim = factories.claim(client)
    first = factories.evidence(client, claim["id"], stance="supports", published_on="2020-12-24")
    second = factories.evidence(client, claim["id"], stance="refutes")

    listed = client.get(f"/api/v1/claims/{claim['id']}/evidence").get_json()["items"]

    assert [e["id"] for e in listed] == [first["id"], second["id"]]
    assert client.get(f"/api/v1/claims/{claim['id']}").get_json()["evidence_count"] == 2


def test_an_unknown_stance_is_422(client, row_counts):
    claim = factories.claim(client)
    before = row_counts()

    response = client.post(
        f"/api/v1/claims/{claim['id']}/evidence",
        json={"url": "https://e.example/1", "stance": "agrees"},
    )

    assert response.status_code == 422
    assert "stance" in response.get_json()["errors"]
    assert row_counts() == before


def test_evidence_may_point_to_a_stored_source_that_exists(client):
    claim = factories.claim(client)
    source = factories.source(client)

    linked = factories.evidence(client, claim["id"], source_id=source["id"])
    response = client.post(
        f"/api/v1/claims/{claim['id']}/evidence",
        json={"url": "https://e.example/2", "stance": "context", "source_id": 9999},
    )

    assert linked["source_id"] == source["id"]
    assert response.status_code == 422 and "source_id" in response.get_json()["errors"]


def test_patch_and_delete(client):
    claim = factories.claim(client)
    evidence = factories.evidence(client, claim["id"])

    patched = client.patch(f"/api/v1/evidence/{evidence['id']}", json={"stance": "mixed"})
    deleted = client.delete(f"/api/v1/evidence/{evidence['id']}")

    assert patched.get_json()["stance"] == "mixed"
    assert deleted.status_code == 204
    assert client.get(f"/api/v1/evidence/{evidence['id']}").status_code == 404


def test_evidence_cited_by_the_timeline_cannot_be_deleted(client, session, row_counts):
    claim = factories.claim(client)
    evidence = factories.evidence(client, claim["id"])
    change = StatusChange(
        claim_id=claim["id"], from_status="unverified", to_status="true", rationale="Confirmed."
    )
    change.evidence = [session.get(Evidence, evidence["id"])]
    session.add(change)
    session.commit()
    before = row_counts()

    response = client.delete(f"/api/v1/evidence/{evidence['id']}")

    assert response.status_code == 409
    assert response.get_json()["status_change_ids"] == [change.id]
    assert row_counts() == before


def test_a_patch_that_changes_nothing_keeps_the_claims_etag(client):
    claim = factories.claim(client)
    evidence = factories.evidence(client, claim["id"], stance="refutes")
    claim_etag = client.get(f"/api/v1/claims/{claim['id']}").headers["ETag"]

    client.patch(f"/api/v1/evidence/{evidence['id']}", json={"stance": "refutes"})

    assert client.get(f"/api/v1/claims/{claim['id']}").headers["ETag"] == claim_etag


def test_deleting_its_source_unlinks_the_evidence_and_changes_its_etag(client):
    claim = factories.claim(client)
    source = factories.source(client)
    evidence = factories.evidence(client, claim["id"], source_id=source["id"])
    url = f"/api/v1/evidence/{evidence['id']}"
    etag = client.get(url).headers["ETag"]

    assert client.delete(f"/api/v1/sources/{source['id']}").status_code == 204

    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.get_json()["source_id"] is None
