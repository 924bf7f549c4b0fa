"""Web URLs: any http(s) URL with a host, IP addresses and ports included; nothing else."""

from __future__ import annotations

import factories
import pytest
from exchange_helpers import empty_claims, import_claimreview, researcher

ACCEPTED = [
    "http://127.0.0.1:8000/x",
    "http://[::1]:8000/",
    "https://[2001:db8::7]/report",
    "http://10.0.0.255/",
    "http://localhost:5000/",
    "https://news.example.org/2020/12/dakhla",
]
REFUSED = [
    "javascript:alert(1)",
    "/api/v1/claims/1",
    "//news.example.org/x",
    "http://",
    "http:///path",
    "http://256.1.1.1/",
    "http://[::1/",
    "http://[12345::1]/",
    "ftp://news.example.org/file",
    "http://news.example.org:65536/",
]


@pytest.mark.parametrize("url", ACCEPTED)
def test_a_url_with_a_host_is_a_source_url(client, url):
    response = client.post("/api/v1/sources", json={"url": url})

    assert response.status_code == 201, response.get_json()
    assert client.get(f"/api/v1/sources/{response.get_json()['id']}").status_code == 200


@pytest.mark.parametrize("url", REFUSED)
def test_anything_else_is_422_naming_the_field(client, url, row_counts):
    claim = factories.claim(client)
    before = row_counts()

    source = client.post("/api/v1/sources", json={"url": url})
    evidence = client.post(
        f"/api/v1/claims/{claim['id']}/evidence", json={"url": url, "stance": "supports"}
    )

    assert source.status_code == evidence.status_code == 422
    assert "url" in source.get_json()["errors"] and "url" in evidence.get_json()["errors"]
    assert row_counts() == before


def test_an_ipv6_source_is_one_source_however_its_address_is_written(client):
    first = client.post("/api/v1/sources", json={"url": "http://[2001:DB8:0:0::7]:8000/a"})
    again = client.post("/api/v1/sources", json={"url": "http://[2001:db8::7]:8000/a#top"})

    assert first.get_json()["url"] == "http://[2001:db8::7]:8000/a"
    assert again.status_code == 409


def test_a_server_on_an_ip_address_reimports_its_own_claimreview_export(app, client):
    claim = factories.claim(client)
    cited = factories.evidence(client, claim["id"], stance="refutes")
    client.post(
        f"/api/v1/claims/{claim['id']}/status-changes",
        json={"status": "false", "rationale": "Refuted.", "evidence_ids": [cited["id"]]},
    )
    feed = client.get("/api/v1/export/claimreview", base_url="http://127.0.0.1:8000").get_data()
    empty_claims(app)

    report = import_claimreview(researcher(app), feed)

    assert report.status_code == 200, report.get_json()
    assert report.get_json()["created"] == 1
    (imported,) = client.get("/api/v1/claims").get_json()["items"]
    assert imported["status"] == "false"
