from urllib.parse import parse_qs, urlsplit

import factories
import pytest
from conftest import key_for
from itsdangerous import URLSafeSerializer


def test_pages_are_stable_when_claims_are_added_meanwhile(client):
    made = [factories.claim(client)["id"] for _ in range(5)]

    first = client.get("/api/v1/claims?limit=2").get_json()
    factories.claim(client)  # newest first: lands before the first page, not in the next one
    second = client.get(f"/api/v1/claims?limit=2&cursor={first['next_cursor']}").get_json()

    assert [c["id"] for c in first["items"]] == made[:-3:-1]
    assert [c["id"] for c in second["items"]] == made[-3:-5:-1]


def test_the_link_header_leads_to_the_next_page_with_the_same_filters(client):
    for _ in range(3):
        factories.claim(client, kind="promise")

    response = client.get("/api/v1/claims?limit=2&kind=promise")

    link = response.headers["Link"]
    assert link.endswith('rel="next"')
    query = parse_qs(urlsplit(link[1 : link.index(">")]).query)
    assert query["kind"] == ["promise"] and query["limit"] == ["2"]
    assert query["cursor"] == [response.get_json()["next_cursor"]]


def test_the_last_page_has_no_cursor_and_no_link(client):
    factories.claim(client)

    response = client.get("/api/v1/claims")

    assert response.get_json()["next_cursor"] is None
    assert "Link" not in response.headers


def test_total_only_when_asked(client):
    for _ in range(3):
        factories.claim(client)

    plain = client.get("/api/v1/claims?limit=1").get_json()
    counted = client.get("/api/v1/claims?limit=1&with_total=true").get_json()

    assert "total" not in plain
    assert counted["total"] == 3


def test_limit_defaults_to_20(client):
    for _ in range(21):
        factories.claim(client)

    assert len(client.get("/api/v1/claims").get_json()["items"]) == 20


def test_a_cursor_from_another_list_is_refused(client):
    for _ in range(3):
        factories.source(client)
        factories.claim(client)
    claim = factories.claim(client)
    for _ in range(3):
        factories.evidence(client, claim["id"])
    evidence_cursor = client.get(f"/api/v1/claims/{claim['id']}/evidence?limit=1").get_json()[
        "next_cursor"
    ]

    response = client.get(f"/api/v1/claims?cursor={evidence_cursor}")

    assert response.status_code == 400


def test_a_cursor_is_good_for_its_own_list_only(client):
    claim = factories.claim(client)
    other = factories.claim(client)
    for _ in range(3):
        factories.evidence(client, claim["id"])
        factories.evidence(client, other["id"])
    page = client.get(f"/api/v1/claims/{claim['id']}/evidence?limit=1").get_json()

    response = client.get(f"/api/v1/claims/{other['id']}/evidence?cursor={page['next_cursor']}")

    assert response.status_code == 400


def test_behind_a_proxy_the_link_header_uses_the_forwarded_address(database_url):
    from service.app import create_app

    proxied = create_app(
        {
            "database_url": database_url,
            "secret_key": "s",
            "proxy_hops": 1,
            "trusted_hosts": ("claims.example.org",),  # the forwarded host is the one checked
        }
    )
    client = proxied.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key_for(proxied, 'researcher')}"
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "claims.example.org"}
    for number in range(2):
        factories.created(
            client.post(
                "/api/v1/claims",
                json={"text": f"Claim {number}", "kind": "factual"},
                headers=forwarded,
            )
        )

    response = client.get("/api/v1/claims?limit=1", headers=forwarded)

    assert response.headers["Link"].startswith("<https://claims.example.org/api/v1/claims?")


@pytest.mark.parametrize(
    "payload",
    [
        ["not", "a", "mapping"],
        {"list": "/api/v1/claims", "sort": "-created_at", "after": "2024-01-01T00:00:00+00:00"},
        {"list": "/api/v1/claims", "sort": "-created_at", "after": ["2024-01-01T00:00:00+00:00"]},
        {"list": "/api/v1/claims", "sort": "-created_at", "after": ["yesterday", 7]},
        {"list": "/api/v1/claims", "sort": "-created_at", "after": [{"a": 1}, 7]},
    ],
    ids=["not a mapping", "not a list", "too few values", "not a time", "not a value"],
)
def test_a_signed_cursor_whose_payload_is_malformed_is_a_400_naming_it(app, client, payload):
    """A cursor signed with the server's key but not of this list's shape (one written by
    an older release, or by someone holding the key) is refused like a forged one."""
    factories.claim(client)
    serializer = URLSafeSerializer(app.config["SECRET_KEY"], salt="claimtrack.cursor")

    response = client.get("/api/v1/claims", query_string={"cursor": serializer.dumps(payload)})

    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert "cursor" in response.get_json()["errors"]
