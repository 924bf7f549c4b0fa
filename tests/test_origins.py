"""Absolute URLs name CLAIMTRACK_BASE_URL or a host of CLAIMTRACK_TRUSTED_HOSTS, never another."""

from __future__ import annotations

import factories
import pytest
from conftest import key_for

from service.app import create_app

EVIL = "evil.example"


def _verdict(client) -> dict:
    """A claim with a verdict, so that it has a ClaimReview."""
    claim = factories.claim(client)
    cited = factories.evidence(client, claim["id"], stance="refutes")
    changed = client.post(
        f"/api/v1/claims/{claim['id']}/status-changes",
        json={"status": "false", "rationale": "Refuted.", "evidence_ids": [cited["id"]]},
    )
    assert changed.status_code == 201, changed.get_json()
    return claim


def _nowhere_mentions(response, text: str) -> None:
    assert text not in response.get_data(as_text=True)
    for name, value in response.headers.items():
        assert text not in value, name


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/claims"),
        ("GET", "/api/v1/claims/1"),
        ("GET", "/api/v1/nothing"),
        ("GET", "/api/v1/export/claimreview"),
        ("GET", "/openapi.json"),
        ("GET", "/docs"),
        ("POST", "/api/v1/claims"),
    ],
)
@pytest.mark.parametrize("host", [EVIL, f"{EVIL}:8000", "localhost.evil.example", "localhost@evil"])
def test_an_untrusted_host_is_a_400_that_does_not_repeat_it(client, method, path, host):
    response = client.open(path, method=method, json={"text": "A claim"}, headers={"Host": host})

    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["type"] == "urn:claimtrack:problem:untrusted-host"
    assert "Host header" in problem["detail"]
    _nowhere_mentions(response, host)
    _nowhere_mentions(response, "evil")


def test_an_untrusted_host_writes_nothing(client, row_counts):
    before = row_counts()

    response = client.post("/api/v1/claims", json={"text": "A claim"}, headers={"Host": EVIL})

    assert response.status_code == 400
    assert row_counts() == before


@pytest.mark.parametrize(
    "host",
    ["localhost", "localhost:5000", "LocalHost:8000", "127.0.0.1:8000", "[::1]", "[::1]:8000"],
)
def test_the_default_trusted_hosts_answer_on_any_port(client, host):
    factories.claim(client)
    factories.claim(client)

    response = client.get("/api/v1/claims?limit=1", headers={"Host": host})

    assert response.status_code == 200
    assert response.headers["Link"].startswith(f"<http://{host.lower()}/api/v1/claims?")


@pytest.mark.parametrize("path", ["/health", "/ready"])
def test_probes_answer_whatever_the_host(anonymous, path):
    assert anonymous.get(path, headers={"Host": "10.0.0.7:8000"}).status_code == 200


def test_the_trusted_hosts_are_configurable(database_url):
    app = create_app(
        {"database_url": database_url, "secret_key": "s", "trusted_hosts": ("claims.example.org",)}
    )
    client = app.test_client()

    assert (
        client.get("/api/v1/claims", headers={"Host": "claims.example.org:8443"}).status_code == 200
    )
    assert client.get("/api/v1/claims", headers={"Host": "localhost"}).status_code == 400


@pytest.fixture
def based(database_url):
    """An app whose links name https://claims.example.org, and an admin's client of it."""
    app = create_app(
        {
            "database_url": database_url,
            "secret_key": "test-secret",
            "base_url": "https://claims.example.org",
        }
    )
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key_for(app, 'admin')}"
    return client


def test_with_a_base_url_any_host_is_answered_and_links_name_the_base_url(based):
    factories.claim(based)
    factories.claim(based)

    response = based.get("/api/v1/claims?limit=1", headers={"Host": EVIL})

    assert response.status_code == 200
    assert response.headers["Link"].startswith("<https://claims.example.org/api/v1/claims?")
    _nowhere_mentions(response, EVIL)


def test_with_a_base_url_claimreview_urls_name_it(based):
    claim = _verdict(based)

    single = based.get(f"/api/v1/claims/{claim['id']}/claimreview", headers={"Host": EVIL})
    feed = based.get("/api/v1/export/claimreview", headers={"Host": EVIL})

    assert single.status_code == feed.status_code == 200
    expected = f"https://claims.example.org/api/v1/claims/{claim['id']}"
    assert single.get_json()["url"] == expected
    assert expected in feed.get_data(as_text=True)
    _nowhere_mentions(single, EVIL)
    _nowhere_mentions(feed, EVIL)


def test_with_a_base_url_location_is_a_path_that_names_no_host(based):
    response = based.post(
        "/api/v1/claims", json={"text": "A claim", "kind": "factual"}, headers={"Host": EVIL}
    )

    assert response.status_code == 201, response.get_json()
    assert response.headers["Location"] == f"/api/v1/claims/{response.get_json()['id']}"
    _nowhere_mentions(response, EVIL)


def test_a_base_url_wins_over_forwarded_headers(database_url):
    app = create_app(
        {
            "database_url": database_url,
            "secret_key": "s",
            "proxy_hops": 1,
            "base_url": "https://claims.example.org",
        }
    )
    client = app.test_client()
    factories.claim(_admin(app))
    factories.claim(_admin(app))

    response = client.get(
        "/api/v1/claims?limit=1",
        headers={"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "http", "Host": EVIL},
    )

    assert response.status_code == 200
    assert response.headers["Link"].startswith("<https://claims.example.org/")


def test_behind_a_proxy_the_forwarded_host_is_the_one_checked(database_url):
    app = create_app({"database_url": database_url, "secret_key": "s", "proxy_hops": 1})
    client = app.test_client()

    refused = client.get("/api/v1/claims", headers={"X-Forwarded-Host": EVIL})
    answered = client.get("/api/v1/claims", headers={"Host": EVIL, "X-Forwarded-Host": "localhost"})

    assert refused.status_code == 400
    assert answered.status_code == 200


def _admin(app):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key_for(app, 'admin')}"
    return client
