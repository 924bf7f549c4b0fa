"""Publishers: one per site, and the rating vocabulary each may carry."""

import factories
import pytest
from conftest import key_for


def test_a_publisher_is_unique_by_its_normalised_host(client, row_counts):
    first = factories.publisher(client, name="Snopes", url="https://www.snopes.com/")
    before = row_counts()

    again = client.post(
        "/api/v1/publishers", json={"name": "snopes", "url": "HTTPS://Snopes.com/author/dan/"}
    )

    assert first["host"] == "snopes.com"
    assert again.status_code == 409
    assert again.get_json()["existing_id"] == first["id"]
    assert row_counts() == before


def test_a_publisher_is_read_listed_and_renamed_with_its_etag(client):
    publisher = factories.publisher(client, name="Full Fact", url="https://fullfact.org/")
    etag = client.get(f"/api/v1/publishers/{publisher['id']}").headers["ETag"]

    stale = client.patch(
        f"/api/v1/publishers/{publisher['id']}", json={"name": "x"}, headers={"If-Match": '"1-9"'}
    )
    renamed = client.patch(
        f"/api/v1/publishers/{publisher['id']}",
        json={"name": "Full Fact UK"},
        headers={"If-Match": etag},
    )
    listed = client.get("/api/v1/publishers").get_json()["items"]

    assert stale.status_code == 412
    assert renamed.status_code == 200
    assert renamed.get_json()["name"] == "Full Fact UK"
    assert renamed.headers["ETag"] != etag
    assert [p["name"] for p in listed] == ["Full Fact UK"]
    assert publisher["uid"] and publisher["created_by"] == "test-admin"


def test_moving_a_publisher_onto_another_ones_site_is_409(client):
    factories.publisher(client, url="https://africacheck.org/")
    other = factories.publisher(client, url="https://pesacheck.org/")

    response = client.patch(
        f"/api/v1/publishers/{other['id']}", json={"url": "https://www.africacheck.org/"}
    )

    assert response.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X"}, "url"),
        ({"url": "https://x.example/"}, "name"),
        ({"name": "X", "url": "x.example"}, "url"),
        ({"name": " ", "url": "https://x.example/"}, "name"),
    ],
)
def test_a_bad_publisher_is_422_naming_the_field(client, row_counts, body, field):
    before = row_counts()

    response = client.post("/api/v1/publishers", json=body)

    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert row_counts() == before


def test_a_missing_publisher_is_404(client):
    assert client.get("/api/v1/publishers/999").status_code == 404
    assert client.get("/api/v1/publishers/999/ratings").status_code == 404
    assert (
        client.put("/api/v1/publishers/999/ratings/Faux", json={"status": "false"}).status_code
        == 404
    )


def test_a_publishers_own_label_beats_the_builtin_one_and_remaps_its_reviews(client):
    claim = factories.claim(client)
    review = factories.review(
        client,
        claim["id"],
        publisher={"name": "Misbar", "url": "https://misbar.com/"},
        rating={"label": "Wildly  Off"},
    )
    publisher_id = review["publisher"]["id"]
    assert review["rating"]["status"] is None

    response = client.put(
        f"/api/v1/publishers/{publisher_id}/ratings/wildly off",
        json={"status": "false"},
    )

    remapped = client.get(f"/api/v1/reviews/{review['id']}").get_json()
    assert response.status_code == 200
    assert response.get_json() == {"label": "wildly off", "status": "false"}
    assert remapped["rating"] == {**review["rating"], "status": "false", "mapped_by": "publisher"}
    assert remapped["rating"]["label"] == "Wildly  Off"  # as the publisher wrote it
    assert client.get(f"/api/v1/claims/{claim['id']}").get_json()["status"] == "false"


def test_a_null_status_keeps_a_label_from_mapping_and_delete_gives_it_back(client):
    publisher = factories.publisher(client, url="https://satire-checker.example/")
    claim = factories.claim(client)
    client.put(f"/api/v1/publishers/{publisher['id']}/ratings/False", json={"status": None})

    review = factories.review(client, claim["id"], publisher_id=publisher["id"], publisher=None)
    status_before = client.get(f"/api/v1/claims/{claim['id']}").get_json()["status"]
    deleted = client.delete(f"/api/v1/publishers/{publisher['id']}/ratings/FALSE")

    assert review["rating"]["status"] is None
    assert status_before == "unverified"
    assert deleted.status_code == 204
    assert client.get(f"/api/v1/reviews/{review['id']}").get_json()["rating"]["mapped_by"] == (
        "builtin"
    )
    assert client.get(f"/api/v1/claims/{claim['id']}").get_json()["status"] == "false"
    assert client.get(f"/api/v1/publishers/{publisher['id']}/ratings").get_json()["items"] == []


def test_a_label_with_a_slash_and_a_second_put_replaces_the_first(client):
    publisher = factories.publisher(client)
    url = f"/api/v1/publishers/{publisher['id']}/ratings/Altered%20Photo%2FVideo"

    client.put(url, json={"status": "mostly_false"})
    client.put(url, json={"status": "false"})

    assert client.get(f"/api/v1/publishers/{publisher['id']}/ratings").get_json()["items"] == [
        {"label": "Altered Photo/Video", "status": "false"}
    ]


@pytest.mark.parametrize(
    ("label", "body", "field"),
    [
        ("Faux", {"status": "wrong"}, "status"),
        ("Faux", {}, "status"),
        ("!!!", {"status": "false"}, "label"),
        ("x" * 501, {"status": "false"}, "label"),
    ],
)
def test_a_bad_vocabulary_entry_is_422(client, row_counts, label, body, field):
    publisher = factories.publisher(client)
    before = row_counts()

    response = client.put(f"/api/v1/publishers/{publisher['id']}/ratings/{label}", json=body)

    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert row_counts() == before


def test_deleting_a_label_the_vocabulary_lacks_is_404(client):
    publisher = factories.publisher(client)

    assert client.delete(f"/api/v1/publishers/{publisher['id']}/ratings/Faux").status_code == 404


def test_only_editors_edit_a_vocabulary(app, client):
    publisher = factories.publisher(client)
    researcher = {"Authorization": f"Bearer {key_for(app, 'researcher', 'r2')}"}

    response = client.put(
        f"/api/v1/publishers/{publisher['id']}/ratings/Faux",
        json={"status": "false"},
        headers=researcher,
    )

    assert response.status_code == 403


def test_the_builtin_vocabulary_is_listed_with_its_sources(anonymous):
    everything = anonymous.get("/api/v1/ratings").get_json()
    arabic = anonymous.get("/api/v1/ratings", query_string={"lang": "ar"}).get_json()["items"]

    assert len(everything["items"]) >= 400
    assert {entry["source"] for entry in everything["items"]} <= set(everything["sources"])
    assert {"label": "زائف", "status": "false"}.items() <= next(
        e for e in arabic if e["label"] == "زائف"
    ).items()
    assert {entry["lang"] for entry in arabic} == {"ar"}
