"""Reviews: other publishers' verdicts on a claim, kept as written, settling claims without one."""

import factories
import pytest

AFP = {"name": "AFP Factual", "url": "https://factual.afp.com/"}


def post_review(client, claim_id, **fields):
    body = {
        "publisher": AFP,
        "url": "https://factual.afp.com/motociclistas",
        "rating": {"label": "Falso", "value": 5, "best": 1, "worst": 5},
        **fields,
    }
    return client.post(f"/api/v1/claims/{claim_id}/reviews", json=body)


def test_a_review_keeps_every_field_as_written(client):
    claim = factories.claim(client)

    response = post_review(
        client,
        claim["id"],
        headline="Los motociclistas pedían que cese la violencia",
        author="Ana Pérez",
        language="es",
        published_at="2020-10-07T20:05:00Z",
        claimant_type="Person",
        claimant_url="https://www.facebook.com/some/post",
    )

    review = response.get_json()
    assert response.status_code == 201
    assert response.headers["Location"].endswith(f"/api/v1/reviews/{review['id']}")
    assert response.headers["ETag"] == f'"{review["id"]}-1"'
    assert review["claim_id"] == claim["id"]
    assert review["publisher"]["name"] == "AFP Factual"
    assert review["publisher"]["url"] == "https://factual.afp.com/"
    assert review["url"] == "https://factual.afp.com/motociclistas"
    assert (review["headline"], review["author"]) == (
        "Los motociclistas pedían que cese la violencia",
        "Ana Pérez",
    )
    assert (review["language"], review["language_detected"]) == ("es", False)
    assert review["published_at"] == "2020-10-07T20:05:00+00:00"
    assert review["rating"] == {
        "label": "Falso",
        "value": 5.0,
        "best": 1.0,
        "worst": 5.0,
        "status": "false",
        "mapped_by": "builtin",
    }
    assert (review["claimant_type"], review["claimant_url"]) == (
        "Person",
        "https://www.facebook.com/some/post",
    )
    assert review["created_by"] == "test-admin"
    assert review["uid"] and review["original_author"] is None


def test_a_date_alone_stays_a_date(client):
    claim = factories.claim(client)

    review = post_review(client, claim["id"], published_at="2021-07-20").get_json()

    assert review["published_at"] == "2021-07-20"


def test_a_mapped_review_settles_a_claim_without_a_verdict_citing_the_review(client):
    claim = factories.claim(client)

    review = post_review(client, claim["id"]).get_json()

    timeline = client.get(f"/api/v1/claims/{claim['id']}/status-changes").get_json()["items"]
    assert client.get(f"/api/v1/claims/{claim['id']}").get_json()["status"] == "false"
    assert [c["to_status"] for c in timeline] == ["unverified", "false"]
    assert timeline[1]["review_ids"] == [review["id"]]
    assert timeline[1]["evidence_ids"] == []
    assert "“Falso” by AFP Factual" in timeline[1]["rationale"]


def test_a_claim_with_a_verdict_is_left_as_it_is(client):
    claim = factories.claim(client)
    evidence = factories.evidence(client, claim["id"])
    client.post(
        f"/api/v1/claims/{claim['id']}/status-changes",
        json={"status": "true", "rationale": "Checked.", "evidence_ids": [evidence["id"]]},
    )

    post_review(client, claim["id"])

    timeline = client.get(f"/api/v1/claims/{claim['id']}/status-changes").get_json()["items"]
    assert [c["to_status"] for c in timeline] == ["unverified", "true"]


def test_an_unknown_label_is_unmapped_whatever_its_number_and_the_claim_is_unchanged(client):
    claim = factories.claim(client)

    review = post_review(
        client, claim["id"], rating={"label": "Sort of", "value": 5, "best": 5, "worst": 1}
    ).get_json()

    assert (review["rating"]["status"], review["rating"]["mapped_by"]) == (None, None)
    assert client.get(f"/api/v1/claims/{claim['id']}").get_json()["status"] == "unverified"


def test_the_number_decides_only_without_a_label(client):
    claim = factories.claim(client)

    review = post_review(client, claim["id"], rating={"value": 2, "best": 5, "worst": 1}).get_json()

    assert (review["rating"]["status"], review["rating"]["mapped_by"]) == (
        "mostly_false",
        "number",
    )


def test_a_review_names_a_stored_publisher_by_id_and_reuses_one_by_host(client):
    publisher = factories.publisher(client, name="Le Monde", url="https://www.lemonde.fr/")
    first, second = factories.claim(client), factories.claim(client)

    by_id = post_review(client, first["id"], publisher_id=publisher["id"], publisher=None)
    by_host = post_review(
        client,
        second["id"],
        publisher={"name": "Les Décodeurs", "url": "https://lemonde.fr/les-decodeurs/"},
    )

    assert by_id.status_code == 201, by_id.get_json()
    assert by_id.get_json()["publisher"]["id"] == publisher["id"]
    assert by_host.get_json()["publisher"] == {
        "id": publisher["id"],
        "name": "Le Monde",
        "url": "https://www.lemonde.fr/",
    }
    assert len(client.get("/api/v1/publishers").get_json()["items"]) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"publisher": None}, "publisher_id"),
        ({"publisher_id": 1}, "publisher_id"),  # and publisher: both
        ({"url": "not a url"}, "url"),
        ({"rating": {}}, "rating.label"),
        ({"rating": {"label": "  "}}, "rating.label"),
        ({"rating": {"value": "high"}}, "rating.value"),
        ({"published_at": "2021-7-20"}, "published_at"),
        ({"published_at": "2021-07-20T10:00:00"}, "published_at"),  # no zone
        ({"published_at": "2021-02-30"}, "published_at"),
        ({"language": "xx"}, "language"),
        ({"claimant_type": "Robot"}, "claimant_type"),
        ({"publisher": {"name": "X", "url": "ftp://x.example/"}}, "publisher.url"),
        ({"publisher": {"url": "https://x.example/"}}, "publisher.name"),
        ({"headline": ""}, "headline"),
    ],
)
def test_a_bad_review_is_422_naming_the_field_and_writes_nothing(client, row_counts, fields, field):
    claim = factories.claim(client)
    before = row_counts()

    response = post_review(client, claim["id"], **fields)

    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    assert field in response.get_json()["errors"]
    assert row_counts() == before


def test_an_unknown_publisher_id_is_422(client, row_counts):
    claim = factories.claim(client)
    before = row_counts()

    response = post_review(client, claim["id"], publisher=None, publisher_id=999)

    assert response.status_code == 422
    assert "publisher_id" in response.get_json()["errors"]
    assert row_counts() == before


def test_a_second_review_at_the_same_url_is_409_with_the_first(client, row_counts):
    claim = factories.claim(client)
    first = post_review(client, claim["id"]).get_json()
    before = row_counts()

    again = post_review(client, claim["id"], url="https://FACTUAL.afp.com/motociclistas#top")

    assert again.status_code == 409
    assert again.get_json()["existing_id"] == first["id"]
    assert row_counts() == before


def test_a_review_of_a_missing_claim_is_404(client):
    assert post_review(client, 999).status_code == 404
    assert client.get("/api/v1/claims/999/reviews").status_code == 404
    assert client.get("/api/v1/reviews/999").status_code == 404


def test_a_stale_if_match_is_412_and_writes_nothing(client, row_counts):
    claim = factories.claim(client)
    before = row_counts()

    response = client.post(
        f"/api/v1/claims/{claim['id']}/reviews",
        json={"publisher": AFP, "url": "https://factual.afp.com/x", "rating": {"label": "Falso"}},
        headers={"If-Match": '"1-999"'},
    )

    assert response.status_code == 412
    assert row_counts() == before


def test_patch_changes_the_review_and_its_etag_and_maps_again(client):
    claim = factories.claim(client)
    review = post_review(client, claim["id"], rating={"label": "Sort of"}).get_json()
    etag = client.get(f"/api/v1/reviews/{review['id']}").headers["ETag"]

    stale = client.patch(
        f"/api/v1/reviews/{review['id']}", json={"headline": "x"}, headers={"If-Match": '"1-9"'}
    )
    patched = client.patch(
        f"/api/v1/reviews/{review['id']}",
        json={"rating": {"label": "Engañoso"}},
        headers={"If-Match": etag},
    )

    assert stale.status_code == 412
    assert patched.status_code == 200, patched.get_json()
    assert patched.headers["ETag"] != etag
    assert patched.get_json()["rating"]["status"] == "mostly_false"
    assert client.get(f"/api/v1/claims/{claim['id']}").get_json()["status"] == "mostly_false"


def test_a_review_the_timeline_cites_cannot_be_deleted_but_another_can(client, row_counts):
    claim = factories.claim(client)
    cited = post_review(client, claim["id"]).get_json()
    other = post_review(client, claim["id"], url="https://factual.afp.com/2").get_json()
    before = row_counts()

    refused = client.delete(f"/api/v1/reviews/{cited['id']}")
    after_refusal = row_counts()
    deleted = client.delete(f"/api/v1/reviews/{other['id']}")

    assert refused.status_code == 409
    assert refused.get_json()["type"].endswith("review-cited")
    assert after_refusal == before
    assert deleted.status_code == 204
    assert client.get(f"/api/v1/reviews/{other['id']}").status_code == 404


def test_reviews_are_listed_oldest_first_and_audited(client):
    claim = factories.claim(client)
    first = post_review(client, claim["id"]).get_json()
    second = post_review(client, claim["id"], url="https://factual.afp.com/2").get_json()

    listed = client.get(f"/api/v1/claims/{claim['id']}/reviews").get_json()["items"]
    audit = client.get(
        "/api/v1/audit", query_string={"resource": "review", "resource_id": first["id"]}
    ).get_json()["items"]

    assert [r["id"] for r in listed] == [first["id"], second["id"]]
    assert [(e["action"], e["actor"]) for e in audit] == [("create", "test-admin")]


def test_a_researcher_cannot_delete_a_review_and_a_reader_cannot_write(app, client, anonymous):
    from conftest import key_for

    claim = factories.claim(client)
    review = post_review(client, claim["id"], url="https://factual.afp.com/9").get_json()
    researcher = {"Authorization": f"Bearer {key_for(app, 'researcher', 'r1')}"}

    assert client.delete(f"/api/v1/reviews/{review['id']}", headers={}).status_code in (204, 409)
    assert anonymous.post(f"/api/v1/claims/{claim['id']}/reviews", json={}).status_code == 401
    other = post_review(client, claim["id"], url="https://factual.afp.com/10").get_json()
    assert anonymous.delete(f"/api/v1/reviews/{other['id']}", headers=researcher).status_code == 403
