"""Every record says who made it and who changed it last, from the key's owner."""

import json

import pytest
from conftest import key_for


@pytest.fixture
def as_role(app):
    def client_for(role: str, name: str):
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key_for(app, role, name=name)}"
        return client

    return client_for


def test_created_by_and_updated_by_follow_the_keys(as_role):
    alice = as_role("researcher", "alice")
    bob = as_role("editor", "bob")
    source = alice.post("/api/v1/sources", json={"url": "https://a.example/1"}).get_json()
    claim = alice.post("/api/v1/claims", json={"text": "x", "kind": "factual"}).get_json()
    evidence = alice.post(
        f"/api/v1/claims/{claim['id']}/evidence",
        json={"url": "https://e.example/1", "stance": "supports"},
    ).get_json()

    assert (claim["created_by"], claim["updated_by"]) == ("alice", "alice")
    edited = bob.patch(f"/api/v1/claims/{claim['id']}", json={"summary": "Checked."}).get_json()
    assert (edited["created_by"], edited["updated_by"]) == ("alice", "bob")
    assert source["created_by"] == evidence["created_by"] == "alice"


def test_reads_can_require_a_key(database_url):
    from service.app import create_app

    closed = create_app(
        {"database_url": database_url, "secret_key": "s", "read_requires_key": True}
    )
    anonymous = closed.test_client()
    key = key_for(closed, "researcher")

    assert anonymous.get("/api/v1/claims").status_code == 401
    assert (
        anonymous.get("/api/v1/claims", headers={"Authorization": f"Bearer {key}"}).status_code
        == 200
    )
    for open_path in ("/health", "/openapi.json", "/docs"):
        assert anonymous.get(open_path).status_code == 200, open_path


FORGED = {"created_by": "chief-admin", "created_at": "2019-01-01T00:00:00Z"}


def forged_record() -> dict:
    source = {"url": "https://forged.example/article", "text": "The minister said X.", **FORGED}
    return {
        "text": "The minister said X.",
        "kind": "factual",
        **FORGED,
        "appearances": [{"source": source, "quote": "The minister said X.", **FORGED}],
        "evidence": [{"id": 1, "url": "https://forged.example/e", "stance": "refutes", **FORGED}],
        "timeline": [
            {"to_status": "unverified", "rationale": "Recorded.", **FORGED},
            {
                "from_status": "unverified",
                "to_status": "false",
                "rationale": "Refuted.",
                "evidence_ids": [1],
                **FORGED,
            },
        ],
    }


def authors_shown(client, claim_id: int) -> set[str]:
    """Every author field that a reader of the claim and its parts can see."""
    claim = client.get(f"/api/v1/claims/{claim_id}").get_json()
    parts = [claim, *claim["appearances"]]
    for path in ("evidence", "status-changes", "appearances"):
        parts += client.get(f"/api/v1/claims/{claim_id}/{path}").get_json()["items"]
    for entry in client.get(f"/api/v1/claims/{claim_id}/timeline").get_json()["entries"]:
        parts.append(entry.get("status_change") or entry["evidence"])
    parts += [
        client.get(f"/api/v1/sources/{a['source_id']}").get_json() for a in claim["appearances"]
    ]
    return {part[name] for part in parts for name in ("created_by", "updated_by") if name in part}


def test_an_import_cannot_make_a_record_name_another_author(as_role):
    mallory = as_role("researcher", "mallory")
    body = json.dumps(forged_record()) + "\n"

    report = mallory.post(
        "/api/v1/import/claims", data=body, headers={"Content-Type": "application/x-ndjson"}
    )
    (claim,) = mallory.get("/api/v1/claims").get_json()["items"]

    assert report.status_code == 200, report.get_json()
    assert authors_shown(mallory, claim["id"]) == {"mallory"}
    assert claim["original_author"] == "chief-admin"
    assert claim["original_created_at"] == "2019-01-01T00:00:00+00:00"
    assert not claim["created_at"].startswith("2019")


@pytest.mark.parametrize("path", ["/api/v1/claims", "/api/v1/sources"])
def test_a_write_that_names_its_own_author_is_refused(as_role, path, row_counts):
    mallory = as_role("researcher", "mallory")
    body = (
        {"text": "x", "kind": "factual"}
        if path.endswith("claims")
        else {"url": "https://a.example/"}
    )
    before = row_counts()

    for forged in (
        {"created_by": "chief-admin"},
        {"original_author": "chief-admin"},
        {"uid": "0" * 32},
    ):
        response = mallory.post(path, json={**body, **forged})
        assert response.status_code == 422
        assert set(forged) <= set(response.get_json()["errors"])
    assert row_counts() == before
