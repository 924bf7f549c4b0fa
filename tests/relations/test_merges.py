import factories
import pytest
from conftest import key_for
from sqlalchemy import select

from service.appearances.models import Appearance
from service.claims.models import Claim, ClaimTag
from service.evidence.models import Evidence
from service.relations.models import Relation
from service.reviews.models import Review

# Tables whose rows a merge moves; their counts never change.
MOVED = ("appearance", "evidence", "review", "relation", "claim_tag", "claim")


def merge(client, claim_id, into, **fields):
    return client.post(f"/api/v1/claims/{claim_id}/merge", json={"into": into, **fields})


def test_a_merge_moves_every_row_and_loses_none(client, session, row_counts):
    merged = factories.claim_with_records(client, tags=["a", "shared"])
    target = factories.claim_with_records(client, tags=["b", "shared"])
    other = factories.claim(client)
    client.post(
        f"/api/v1/claims/{other['id']}/relations",
        json={"type": "related", "target_id": merged["id"]},
    )
    client.post(
        f"/api/v1/claims/{merged['id']}/relations",
        json={"type": "contradicts", "target_id": other["id"]},
    )
    before = row_counts()

    response = merge(client, merged["id"], target["id"])

    assert response.status_code == 200, response.get_json()
    after = row_counts()
    assert {t: after[t] for t in MOVED} == {t: before[t] for t in MOVED}
    assert after["status_change"] == before["status_change"] + 1
    body = response.get_json()
    assert body["id"] == target["id"] and body["evidence_count"] == 2
    assert len(body["appearances"]) == 2
    assert body["tags"] == ["a", "b", "shared"]
    assert response.headers["ETag"] == client.get(f"/api/v1/claims/{target['id']}").headers["ETag"]
    for model in (Appearance, Evidence, Review):
        owners = session.scalars(select(model.claim_id)).all()
        assert set(owners) == {target["id"]}, model
    # The one tag the target had already stays with the merged claim.
    assert session.scalars(select(ClaimTag.tag).where(ClaimTag.claim_id == merged["id"])).all() == [
        "shared"
    ]
    relations = session.execute(select(Relation.claim_id, Relation.target_id, Relation.type)).all()
    assert sorted(relations) == sorted(
        [(other["id"], target["id"], "related"), (target["id"], other["id"], "contradicts")]
    )
    assert session.get(Claim, merged["id"]).merged_into_id == target["id"]


def test_the_targets_timeline_records_the_merge(client):
    merged, target = (
        factories.claim(client, text="The moon is made of cheese"),
        factories.claim(client),
    )

    merge(client, merged["id"], target["id"])
    timeline = client.get(f"/api/v1/claims/{target['id']}/status-changes").get_json()["items"]

    last = timeline[-1]
    assert last["from_status"] == last["to_status"] == "unverified"
    assert merged["uid"] in last["rationale"] and "The moon is made of cheese" in last["rationale"]
    assert last["merged_claim_id"] == merged["id"]
    assert client.get(f"/api/v1/claims/{target['id']}").get_json()["status"] == "unverified"


def test_a_record_the_target_holds_already_stays_with_the_merged_claim(client, session, row_counts):
    merged, target = factories.claim(client), factories.claim(client)
    source = factories.source(client, text=factories.ARTICLE_TEXT)
    for claim in (merged, target):
        factories.appearance(client, claim["id"], source_id=source["id"], quote="open a consulate")
        factories.review(
            client,
            claim["id"],
            url="https://checker.example/same",
            publisher={"name": "C", "url": "https://checker.example/"},
        )
    client.post(
        f"/api/v1/claims/{merged['id']}/relations",
        json={"type": "duplicate_of", "target_id": target["id"]},
    )
    before = row_counts()

    assert merge(client, merged["id"], target["id"]).status_code == 200

    assert row_counts()["appearance"] == before["appearance"]
    for model in (Appearance, Review):
        assert session.scalar(select(model.id).where(model.claim_id == merged["id"])) is not None
    kept = session.scalars(select(Relation)).one()
    assert (kept.claim_id, kept.target_id) == (merged["id"], target["id"])


def test_a_merged_claim_redirects_reads_to_the_target(client):
    merged, target = factories.claim(client), factories.claim(client)
    merge(client, merged["id"], target["id"])

    for path in (
        "",
        "/evidence",
        "/appearances",
        "/reviews",
        "/status-changes",
        "/relations",
        "/timeline",
    ):
        response = client.get(f"/api/v1/claims/{merged['id']}{path}?limit=5")
        assert response.status_code == 308, path
        assert response.headers["Location"] == f"/api/v1/claims/{target['id']}{path}?limit=5"
        assert response.get_json()["merged_into"] == target["id"]
    followed = client.get(f"/api/v1/claims/{merged['id']}", follow_redirects=True)
    assert followed.status_code == 200 and followed.get_json()["id"] == target["id"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "", {"summary": "x"}),
        ("delete", "", None),
        ("post", "/evidence", {"url": "https://e.example/1", "stance": "supports"}),
        ("post", "/status-changes", {"status": "in_review", "rationale": "x"}),
        ("post", "/relations", {"type": "related", "target_id": 1}),
        ("post", "/merge", {"into": 1}),
    ],
)
def test_writes_to_a_merged_claim_are_409_naming_the_target(client, row_counts, method, path, body):
    merged, target = factories.claim(client), factories.claim(client)
    merge(client, merged["id"], target["id"])
    before = row_counts()

    response = getattr(client, method)(f"/api/v1/claims/{merged['id']}{path}", json=body)

    assert response.status_code == 409
    problem = response.get_json()
    assert problem["type"] == "urn:claimtrack:problem:claim-merged"
    assert problem["merged_into"] == target["id"] and str(target["id"]) in problem["detail"]
    assert row_counts() == before


def test_merged_claims_are_left_out_of_lists_and_search_unless_asked_for(client):
    merged = factories.claim(client, text="Whales sing in choirs")
    target = factories.claim(client, text="Whales sing together")
    merge(client, merged["id"], target["id"])

    def listed(query):
        return [c["id"] for c in client.get(f"/api/v1/claims?{query}").get_json()["items"]]

    assert listed("") == [target["id"]]
    assert listed("q=whales") == [target["id"]]
    assert listed("q=whales&sort=-created_at") == [target["id"]]
    assert sorted(listed("include_merged=true")) == sorted([merged["id"], target["id"]])
    entry = client.get("/api/v1/claims?include_merged=true").get_json()["items"]
    assert {c["id"]: c["merged_into_id"] for c in entry} == {
        merged["id"]: target["id"],
        target["id"]: None,
    }


def test_a_claim_merged_into_one_that_is_merged_later_redirects_to_the_last(client):
    a, b, c = (factories.claim(client) for _ in range(3))
    merge(client, a["id"], b["id"])
    merge(client, b["id"], c["id"])

    response = client.get(f"/api/v1/claims/{a['id']}")

    assert response.headers["Location"] == f"/api/v1/claims/{c['id']}"


def test_bad_merges_are_422_and_write_nothing(client, row_counts):
    claim = factories.claim(client)
    promise = factories.claim(client, kind="promise")
    merged, target = factories.claim(client), factories.claim(client)
    merge(client, merged["id"], target["id"])
    before = row_counts()

    cases = {
        "itself": merge(client, claim["id"], claim["id"]),
        "merged": merge(client, claim["id"], merged["id"]),
        "kind": merge(client, claim["id"], promise["id"]),
        "missing": merge(client, claim["id"], 999999),
        "no into": client.post(f"/api/v1/claims/{claim['id']}/merge", json={}),
    }

    for name, response in cases.items():
        assert response.status_code == 422, name
        assert "into" in response.get_json()["errors"], name
    assert cases["merged"].get_json()["merged_into"] == target["id"]
    assert row_counts() == before


def test_a_merge_of_a_missing_claim_is_404(client):
    target = factories.claim(client)

    assert merge(client, 999999, target["id"]).status_code == 404


def test_stale_etags_of_either_claim_are_412(client, row_counts):
    merged, target = factories.claim(client), factories.claim(client)
    merged_tag = client.get(f"/api/v1/claims/{merged['id']}").headers["ETag"]
    target_tag = client.get(f"/api/v1/claims/{target['id']}").headers["ETag"]
    before = row_counts()

    stale_merged = client.post(
        f"/api/v1/claims/{merged['id']}/merge",
        json={"into": target["id"], "into_etag": target_tag},
        headers={"If-Match": '"1-999"'},
    )
    stale_target = client.post(
        f"/api/v1/claims/{merged['id']}/merge",
        json={"into": target["id"], "into_etag": '"1-999"'},
        headers={"If-Match": merged_tag},
    )

    assert stale_merged.status_code == 412 and stale_target.status_code == 412
    assert "into_etag" in stale_target.get_json()["errors"]
    assert row_counts() == before
    current = client.post(
        f"/api/v1/claims/{merged['id']}/merge",
        json={"into": target["id"], "into_etag": target_tag},
        headers={"If-Match": merged_tag},
    )
    assert current.status_code == 200


def test_only_editors_merge(app, client):
    merged, target = factories.claim(client), factories.claim(client)
    researcher = {"Authorization": f"Bearer {key_for(app, 'researcher')}"}
    editor = {"Authorization": f"Bearer {key_for(app, 'editor')}"}
    body = {"into": target["id"]}

    refused = client.post(f"/api/v1/claims/{merged['id']}/merge", json=body, headers=researcher)
    done = client.post(f"/api/v1/claims/{merged['id']}/merge", json=body, headers=editor)

    assert refused.status_code == 403 and done.status_code == 200


def test_a_merge_is_audited(client):
    merged, target = factories.claim(client), factories.claim(client)
    factories.evidence(client, merged["id"])
    merge(client, merged["id"], target["id"])

    events = client.get(f"/api/v1/audit?resource=claim&resource_id={merged['id']}").get_json()[
        "items"
    ]
    moved = client.get("/api/v1/audit?resource=evidence").get_json()["items"]

    assert events[0]["action"] == "update" and "merged_into_id" in events[0]["fields"]
    assert moved[0]["action"] == "update" and moved[0]["fields"] == ["claim_id"]


def test_deleting_the_target_deletes_the_claims_merged_into_it(client, session):
    merged, target = (
        factories.claim_with_records(client, tags=["a"]),
        factories.claim_with_records(client, tags=["b"]),
    )
    merge(client, merged["id"], target["id"])

    response = client.delete(f"/api/v1/claims/{target['id']}?force=true")

    assert response.status_code == 204
    assert session.scalars(select(Claim.id)).all() == []


def test_the_target_is_found_by_the_words_of_what_moved_to_it(client):
    merged, target = factories.claim(client), factories.claim(client)
    factories.evidence(client, merged["id"], title="Zanzibar harbour report")

    merge(client, merged["id"], target["id"])
    found = client.get("/api/v1/claims?q=zanzibar").get_json()["items"]

    assert [claim["id"] for claim in found] == [target["id"]]
