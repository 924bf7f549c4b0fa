"""Cache-Control: credentials and admin answers are never stored; public reads revalidate."""

import factories
import pytest
from conftest import key_for


def test_a_public_read_may_be_cached_but_revalidates_with_its_etag(client, anonymous):
    claim = factories.claim(client)

    response = anonymous.get(f"/api/v1/claims/{claim['id']}")
    revalidated = anonymous.get(
        f"/api/v1/claims/{claim['id']}", headers={"If-None-Match": response.headers["ETag"]}
    )

    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["ETag"]
    assert revalidated.status_code == 304
    assert revalidated.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/api/v1/claims", "/api/v1/nothing", "/openapi.json", "/docs"])
def test_anonymous_gets_are_no_cache(anonymous, path):
    assert anonymous.get(path).headers["Cache-Control"] == "no-cache"


def test_swagger_ui_assets_keep_flask_s_static_file_policy(anonymous):
    response = anonymous.get("/static/swagger-ui/swagger-ui.css")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["ETag"]


@pytest.mark.parametrize("path", ["/api/v1/claims", "/api/v1/nothing", "/openapi.json"])
def test_answers_to_a_request_with_a_key_are_no_store(client, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_answers_to_any_authorization_header_are_no_store(anonymous):
    response = anonymous.get("/api/v1/claims", headers={"Authorization": "Bearer not-a-key"})

    assert response.status_code == 401
    assert response.headers["Cache-Control"] == "no-store"


def test_a_conditional_read_with_a_key_stays_no_store(client):
    claim = factories.claim(client)
    etag = client.get(f"/api/v1/claims/{claim['id']}").headers["ETag"]

    revalidated = client.get(f"/api/v1/claims/{claim['id']}", headers={"If-None-Match": etag})

    assert revalidated.status_code == 304
    assert revalidated.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/v1/keys", "/api/v1/audit"])
def test_admin_routes_are_no_store_even_when_refused(anonymous, path):
    response = anonymous.get(path)

    assert response.status_code == 401
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/v1/keys", "/api/v1/audit"])
def test_admin_routes_are_no_store(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_writes_are_no_store(app, anonymous):
    key = key_for(app, "researcher")

    created = anonymous.post(
        "/api/v1/sources",
        json={"url": "https://example.org/a"},
        headers={"Authorization": f"Bearer {key}"},
    )
    refused = anonymous.post("/api/v1/sources", json={"url": "https://example.org/b"})

    assert created.status_code == 201, created.get_json()
    assert created.headers["Cache-Control"] == "no-store"
    assert refused.status_code == 401
    assert refused.headers["Cache-Control"] == "no-store"
