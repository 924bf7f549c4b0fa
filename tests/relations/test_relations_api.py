import factories
import pytest
from conftest import key_for


def relate(client, claim_id, target_id, type_="related", **fields):
    return client.post(
        f"/api/v1/claims/{claim_id}/relations",
        json={"type": type_, "target_id": target_id, **fields},
    )


def test_a_relation_is_listed_from_both_ends(client):
    first, second = factories.claim(client), factories.claim(client)

    created = factories.created(
        relate(client, first["id"], second["id"], "supersedes", note="Newer")
    )
    out = client.get(f"/api/v1/claims/{first['id']}/relations").get_json()["items"]
    into = client.get(f"/api/v1/claims/{second['id']}/relations").get_json()["items"]

    assert created["claim_id"] == first["id"] and created["target_id"] == second["id"]
    assert [(r["id"], r["direction"], r["other_claim_id"]) for r in out] == [
        (created["id"], "out", second["id"])
    ]
    assert [(r["id"], r["direction"], r["other_claim_id"]) for r in into] == [
        (created["id"], "in", first["id"])
    ]
    assert out[0]["type"] == "supersedes" and out[0]["note"] == "Newer" and out[0]["uid"]


def test_a_relation_is_read_and_deleted_by_its_id(client):
    first, second = factories.claim(client), factories.claim(client)
    response = relate(client, first["id"], second["id"], "contradicts")
    relation = factories.created(response)

    read = client.get(response.headers["Location"])
    deleted = client.delete(f"/api/v1/relations/{relation['id']}")

    assert read.status_code == 200 and read.get_json()["id"] == relation["id"]
    assert read.headers["ETag"] == response.headers["ETag"]
    assert deleted.status_code == 204
    assert client.get(f"/api/v1/relations/{relation['id']}").status_code == 404
    assert client.get(f"/api/v1/claims/{first['id']}/relations").get_json()["items"] == []


def test_lists_filter_by_direction_and_type(client):
    a, b, c = (factories.claim(client) for _ in range(3))
    factories.created(relate(client, a["id"], b["id"], "duplicate_of"))
    factories.created(relate(client, c["id"], a["id"], "related"))

    def listed(query):
        page = client.get(f"/api/v1/claims/{a['id']}/relations?{query}").get_json()
        return [(r["type"], r["direction"]) for r in page["items"]]

    assert listed("direction=out") == [("duplicate_of", "out")]
    assert listed("direction=in") == [("related", "in")]
    assert listed("type=related&type=supersedes") == [("related", "in")]


def test_a_relation_to_itself_is_422(client, row_counts):
    claim = factories.claim(client)
    before = row_counts()

    response = relate(client, claim["id"], claim["id"])

    assert response.status_code == 422
    assert "target_id" in response.get_json()["errors"]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("type_", "reverse_is_the_same"),
    [("duplicate_of", False), ("supersedes", False), ("contradicts", True), ("related", True)],
)
def test_a_second_identical_relation_is_422(client, row_counts, type_, reverse_is_the_same):
    first, second = factories.claim(client), factories.claim(client)
    existing = factories.created(relate(client, first["id"], second["id"], type_))
    before = row_counts()

    again = relate(client, first["id"], second["id"], type_)
    reverse = relate(client, second["id"], first["id"], type_)

    assert again.status_code == 422
    body = again.get_json()
    assert body["type"].endswith("duplicate-relation") and body["existing_id"] == existing["id"]
    assert "target_id" in body["errors"]
    assert reverse.status_code == (422 if reverse_is_the_same else 201)
    if reverse_is_the_same:
        assert row_counts() == before


def test_other_types_between_the_same_claims_are_other_relations(client):
    first, second = factories.claim(client), factories.claim(client)

    statuses = [
        relate(client, first["id"], second["id"], t).status_code for t in ("related", "contradicts")
    ]

    assert statuses == [201, 201]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "related", "target_id": 999999}, "target_id"),
        ({"type": "sibling_of", "target_id": 1}, "type"),
        ({"target_id": 1}, "type"),
        ({"type": "related"}, "target_id"),
        ({"type": "related", "target_id": 1, "note": " "}, "note"),
    ],
)
def test_bad_relations_are_422_naming_the_field(client, row_counts, body, field):
    claim = factories.claim(client)
    before = row_counts()

    response = client.post(f"/api/v1/claims/{claim['id']}/relations", json=body)

    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]
    assert response.content_type == "application/problem+json"
    assert row_counts() == before


def test_relations_of_a_missing_claim_are_404(client):
    other = factories.claim(client)

    assert client.get("/api/v1/claims/999999/relations").status_code == 404
    assert relate(client, 999999, other["id"]).status_code == 404


def test_a_stale_if_match_on_the_claim_is_412(client, row_counts):
    first, second = factories.claim(client), factories.claim(client)
    before = row_counts()

    response = client.post(
        f"/api/v1/claims/{first['id']}/relations",
        json={"type": "related", "target_id": second["id"]},
        headers={"If-Match": '"1-999"'},
    )

    assert response.status_code == 412
    assert row_counts() == before


def test_researchers_relate_and_editors_delete(app, client):
    first, second = factories.claim(client), factories.claim(client)
    researcher = {"Authorization": f"Bearer {key_for(app, 'researcher')}"}
    editor = {"Authorization": f"Bearer {key_for(app, 'editor')}"}
    anonymous = app.test_client()

    refused = anonymous.post(
        f"/api/v1/claims/{first['id']}/relations",
        json={"type": "related", "target_id": second["id"]},
    )
    created = client.post(
        f"/api/v1/claims/{first['id']}/relations",
        json={"type": "related", "target_id": second["id"]},
        headers=researcher,
    )
    relation_url = f"/api/v1/relations/{created.get_json()['id']}"

    assert refused.status_code == 401
    assert created.status_code == 201 and created.get_json()["created_by"] == "test-researcher"
    assert client.delete(relation_url, headers=researcher).status_code == 403
    assert client.delete(relation_url, headers=editor).status_code == 204


def test_relations_are_audited(client):
    first, second = factories.claim(client), factories.claim(client)
    relation = factories.created(relate(client, first["id"], second["id"]))
    client.delete(f"/api/v1/relations/{relation['id']}")

    events = client.get(f"/api/v1/audit?resource=relation&resource_id={relation['id']}").get_json()[
        "items"
    ]

    assert [event["action"] for event in events] == ["delete", "create"]


def test_deleting_a_claim_deletes_its_relations(client):
    first, second = factories.claim(client), factories.claim(client)
    relation = factories.created(relate(client, first["id"], second["id"]))

    assert client.delete(f"/api/v1/claims/{second['id']}").status_code == 204
    assert client.get(f"/api/v1/relations/{relation['id']}").status_code == 404
