"""Every record says who made it and who changed it last, from the key's owner."""

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
