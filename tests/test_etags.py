import factories
import pytest
from sqlalchemy import text

from service.claims import service as claims_service


@pytest.fixture
def claim_url(client):
    return f"/api/v1/claims/{factories.claim(client)['id']}"


def test_every_single_resource_has_an_etag(client):
    source = factories.source(client, text=factories.ARTICLE_TEXT)
    claim = factories.claim(client)
    appearance = factories.appearance(
        client, claim["id"], source_id=source["id"], quote="city of Dakhla"
    )
    evidence = factories.evidence(client, claim["id"])

    for url in (
        f"/api/v1/sources/{source['id']}",
        f"/api/v1/claims/{claim['id']}",
        f"/api/v1/appearances/{appearance['id']}",
        f"/api/v1/evidence/{evidence['id']}",
    ):
        assert client.get(url).headers.get("ETag", "").startswith('"'), url


def test_if_none_match_with_the_current_tag_is_304(client, claim_url):
    etag = client.get(claim_url).headers["ETag"]

    assert client.get(claim_url, headers={"If-None-Match": etag}).status_code == 304


def test_a_patch_with_the_current_tag_succeeds(client, claim_url):
    etag = client.get(claim_url).headers["ETag"]

    response = client.patch(claim_url, json={"summary": "Checked."}, headers={"If-Match": etag})

    assert response.status_code == 200
    assert response.headers["ETag"] != etag


def test_a_patch_with_a_stale_tag_is_412_and_changes_nothing(client, claim_url):
    stale = client.get(claim_url).headers["ETag"]
    client.patch(claim_url, json={"summary": "First edit."})

    response = client.patch(
        claim_url, json={"summary": "Lost update."}, headers={"If-Match": stale}
    )

    assert response.status_code == 412
    assert response.content_type == "application/problem+json"
    assert client.get(claim_url).get_json()["summary"] == "First edit."


def test_a_delete_with_a_stale_tag_is_412_and_deletes_nothing(client, claim_url):
    stale = client.get(claim_url).headers["ETag"]
    client.patch(claim_url, json={"summary": "Edited."})

    response = client.delete(claim_url, headers={"If-Match": stale})

    assert response.status_code == 412
    assert client.get(claim_url).status_code == 200


def test_if_match_star_accepts_any_version(client, claim_url):
    response = client.patch(claim_url, json={"summary": "x"}, headers={"If-Match": "*"})

    assert response.status_code == 200


@pytest.mark.parametrize("if_match", [",", 'W/"1-1"', '"nope"'])
def test_an_if_match_that_names_no_current_tag_is_412(client, claim_url, if_match):
    response = client.patch(claim_url, json={"summary": "x"}, headers={"If-Match": if_match})

    assert response.status_code == 412
    assert client.get(claim_url).get_json()["summary"] is None


def test_a_row_changed_under_a_write_is_a_412_that_writes_nothing(client, monkeypatch):
    """The row version is checked by the UPDATE itself: where another writer got there
    first (here, the same transaction bumps it behind the ORM's back, which is how it looks
    to the flush), SQLAlchemy's StaleDataError is a 412 to fetch again, never a 500."""
    claim = factories.claim(client)
    update_claim = claims_service.update_claim

    def overtaken(session, row, changes):
        session.execute(
            text("UPDATE claim SET version = version + 1 WHERE id = :id"), {"id": row.id}
        )
        return update_claim(session, row, changes)

    monkeypatch.setattr(claims_service, "update_claim", overtaken)
    response = client.patch(f"/api/v1/claims/{claim['id']}", json={"claimant": "Someone"})

    assert response.status_code == 412
    assert response.content_type == "application/problem+json"
    assert response.get_json()["type"].endswith("stale-etag")
    monkeypatch.undo()
    after = client.get(f"/api/v1/claims/{claim['id']}").get_json()
    assert after["claimant"] == claim["claimant"]
