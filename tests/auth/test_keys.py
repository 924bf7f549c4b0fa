"""API keys: shown once, stored only as a hash, and honoured until revoked or expired."""

import logging
from datetime import timedelta

import factories
import pytest
from sqlalchemy import text

from service.db import database
from service.models import Base
from service.orm import utcnow


@pytest.fixture
def issued(client):
    response = client.post("/api/v1/keys", json={"name": "Fatima Zahra", "role": "researcher"})
    assert response.status_code == 201
    return response


def as_bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_new_key_is_shown_once_and_works(anonymous, issued):
    body = issued.get_json()

    assert body["key"].startswith(f"ct_{body['prefix']}_")
    assert issued.headers["Cache-Control"] == "no-store"
    response = anonymous.post(
        "/api/v1/claims", json={"text": "x", "kind": "factual"}, headers=as_bearer(body["key"])
    )
    assert response.status_code == 201
    assert response.get_json()["created_by"] == "Fatima Zahra"


def test_listing_shows_prefixes_never_keys(client, issued):
    listed = client.get("/api/v1/keys").get_data(as_text=True)

    assert issued.get_json()["prefix"] in listed
    assert issued.get_json()["key"] not in listed
    assert '"key"' not in listed


def test_a_revoked_key_stops_working_at_once(client, anonymous, issued):
    key = issued.get_json()

    assert client.delete(f"/api/v1/keys/{key['id']}").status_code == 204

    refused = anonymous.post(
        "/api/v1/claims", json={"text": "x", "kind": "factual"}, headers=as_bearer(key["key"])
    )
    assert refused.status_code == 401
    assert "revoked" in refused.get_json()["detail"]
    listed = client.get("/api/v1/keys").get_json()["items"]
    assert next(k for k in listed if k["id"] == key["id"])["state"] == "revoked"


def test_an_expiry_in_the_past_is_422(client, row_counts):
    before = row_counts()

    response = client.post(
        "/api/v1/keys",
        json={"name": "x", "role": "editor", "expires_at": "2020-01-01T00:00:00Z"},
    )

    assert response.status_code == 422
    assert "expires_at" in response.get_json()["errors"]
    assert row_counts() == before


def test_a_key_expires_when_it_says(app, client, anonymous):
    soon = (utcnow() + timedelta(hours=1)).isoformat()
    key = client.post(
        "/api/v1/keys", json={"name": "temp", "role": "researcher", "expires_at": soon}
    ).get_json()
    with app.app_context():
        with database().engine.begin() as connection:
            connection.execute(
                text("UPDATE api_key SET expires_at = :past WHERE id = :id"),
                {"past": utcnow() - timedelta(seconds=1), "id": key["id"]},
            )

    response = anonymous.post(
        "/api/v1/claims", json={"text": "x", "kind": "factual"}, headers=as_bearer(key["key"])
    )

    assert response.status_code == 401
    assert "expired" in response.get_json()["detail"]


def test_keys_are_never_stored_or_logged_in_clear(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    key = client.post("/api/v1/keys", json={"name": "secret", "role": "editor"}).get_json()["key"]
    secret_part = key.split("_", 2)[2]
    factories.claim(client)
    anonymous = app.test_client()
    anonymous.post("/api/v1/claims", json={"text": "x", "kind": "factual"}, headers=as_bearer(key))
    anonymous.post("/api/v1/claims", json={}, headers=as_bearer(key[:-1] + "x"))

    with app.app_context(), database().engine.connect() as connection:
        stored = " ".join(
            str(row)
            for table in Base.metadata.sorted_tables
            for row in connection.execute(table.select())
        )
    assert secret_part not in stored
    assert secret_part not in caplog.text
    assert secret_part not in client.get("/api/v1/audit?limit=100").get_data(as_text=True)


def test_a_missing_key_is_404_to_revoke(client):
    assert client.delete("/api/v1/keys/999").status_code == 404


def test_the_last_active_admin_key_cannot_be_revoked(client, row_counts):
    (admin,) = [k for k in client.get("/api/v1/keys").get_json()["items"] if k["role"] == "admin"]
    before = row_counts()

    refused = client.delete(f"/api/v1/keys/{admin['id']}")

    assert refused.status_code == 409
    assert refused.get_json()["type"] == "urn:claimtrack:problem:last-admin-key"
    assert row_counts() == before
    assert client.get("/api/v1/keys").status_code == 200  # the key still works


def test_an_admin_key_can_go_once_another_admin_key_is_active(app, client, anonymous):
    first = client.get("/api/v1/keys").get_json()["items"][0]
    second = client.post("/api/v1/keys", json={"name": "Deputy", "role": "admin"}).get_json()

    assert client.delete(f"/api/v1/keys/{first['id']}").status_code == 204
    deputy = as_bearer(second["key"])
    assert anonymous.delete(f"/api/v1/keys/{second['id']}", headers=deputy).status_code == 409


def test_an_expired_admin_key_does_not_count_as_another_admin(app, client):
    (admin,) = client.get("/api/v1/keys").get_json()["items"]
    with app.app_context(), database().engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO api_key (name, role, prefix, key_hash, expires_at, created_at, "
                "version) VALUES ('old', 'admin', 'oldkey', 'h', :past, :past, 1)"
            ),
            {"past": utcnow() - timedelta(days=1)},
        )

    assert client.delete(f"/api/v1/keys/{admin['id']}").status_code == 409
