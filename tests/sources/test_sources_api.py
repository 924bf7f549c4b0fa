import hashlib

import factories
import pytest

DAKHLA_URL = "https://www.moroccoworldnews.com/2020/12/329160/morocco-dgsn-dgst/"


def test_create_returns_the_stored_source_with_location_and_etag(client):
    response = client.post("/api/v1/sources", json={"url": DAKHLA_URL, "text": "Some text."})

    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/sources/{body['id']}"
    assert response.headers["ETag"]
    assert (body["language"], body["language_detected"], body["kind"]) == ("und", True, "article")
    assert body["text_sha256"] == hashlib.sha256(b"Some text.").hexdigest()
    assert client.get(response.headers["Location"]).get_json() == body


@pytest.mark.parametrize(
    "variant",
    [
        "HTTPS://WWW.MoroccoWorldNews.com/2020/12/329160/morocco-dgsn-dgst/",
        DAKHLA_URL + "#comments",
        DAKHLA_URL + "?utm_source=twitter&utm_medium=social",
        DAKHLA_URL + "?fbclid=abc",
        "https://www.moroccoworldnews.com:443/2020/12/329160/morocco-dgsn-dgst/",
    ],
)
def test_a_url_known_after_normalisation_is_a_conflict_naming_the_existing_source(
    client, row_counts, variant
):
    existing = factories.source(client, url=DAKHLA_URL)
    before = row_counts()

    response = client.post("/api/v1/sources", json={"url": variant})

    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["existing_id"] == existing["id"]
    assert problem["type"].endswith("duplicate-url")
    assert row_counts() == before


def test_query_parameters_that_name_the_document_are_kept(client):
    first = factories.source(client, url="https://example.org/article?id=1")
    second = factories.source(client, url="https://example.org/article?id=2")

    assert first["url"] != second["url"]


def test_patch_changes_only_the_given_fields_and_clears_nulls(client):
    source = factories.source(client, title="Old", publisher="Paper")
    url = f"/api/v1/sources/{source['id']}"
    old_etag = client.get(url).headers["ETag"]

    response = client.patch(url, json={"title": "New", "publisher": None})

    assert response.status_code == 200
    body = response.get_json()
    assert (body["title"], body["publisher"], body["url"]) == ("New", None, source["url"])
    assert response.headers["ETag"] not in (old_etag, None)
    assert client.get(url).headers["ETag"] == response.headers["ETag"]


def test_patch_to_another_sources_url_is_a_conflict(client):
    first = factories.source(client)
    second = factories.source(client)

    response = client.patch(f"/api/v1/sources/{second['id']}", json={"url": first["url"]})

    assert response.status_code == 409
    assert client.get(f"/api/v1/sources/{second['id']}").get_json()["url"] == second["url"]


def test_delete_removes_a_source_no_claim_appears_in(client):
    source = factories.source(client)

    assert client.delete(f"/api/v1/sources/{source['id']}").status_code == 204
    assert client.get(f"/api/v1/sources/{source['id']}").status_code == 404


def test_delete_is_refused_while_a_claim_appears_in_the_source(client, row_counts):
    source = factories.source(client, text=factories.ARTICLE_TEXT)
    claim = factories.claim(client)
    factories.appearance(client, claim["id"], source_id=source["id"], quote="city of Dakhla")
    before = row_counts()

    response = client.delete(f"/api/v1/sources/{source['id']}")

    assert response.status_code == 409
    assert row_counts() == before


def test_source_claims_lists_the_claims_that_appear_in_it(client):
    source = factories.source(client, text=factories.ARTICLE_TEXT)
    other = factories.source(client, text=factories.ARTICLE_TEXT)
    inside = factories.claim(client)
    factories.claim(client)
    factories.appearance(client, inside["id"], source_id=source["id"], quote="city of Dakhla")
    outside = factories.claim(client)
    factories.appearance(client, outside["id"], source_id=other["id"], quote="city of Dakhla")

    response = client.get(f"/api/v1/sources/{source['id']}/claims")

    assert [item["id"] for item in response.get_json()["items"]] == [inside["id"]]


def test_claims_of_a_missing_source_is_404(client):
    assert client.get("/api/v1/sources/999/claims").status_code == 404


def test_list_pages_through_every_source_once(client):
    made = [factories.source(client)["id"] for _ in range(5)]
    seen, url = [], "/api/v1/sources?limit=2"
    while url:
        response = client.get(url)
        page = response.get_json()
        seen += [item["id"] for item in page["items"]]
        url = page["next_cursor"] and f"/api/v1/sources?limit=2&cursor={page['next_cursor']}"

    assert seen == list(reversed(made))


def test_a_port_out_of_range_is_422_on_url(client, row_counts):
    before = row_counts()

    response = client.post("/api/v1/sources", json={"url": "https://x.example:99999/a"})

    assert response.status_code == 422
    assert "url" in response.get_json()["errors"]
    assert row_counts() == before


def test_a_url_that_grows_when_normalised_is_stored_and_still_unique(client):
    url = "https://x.example/" + "<" * 2000  # each < becomes %3C: 6,000 characters stored

    first = client.post("/api/v1/sources", json={"url": url})
    second = client.post("/api/v1/sources", json={"url": url})

    assert first.status_code == 201 and len(first.get_json()["url"]) > 6000
    assert second.status_code == 409
