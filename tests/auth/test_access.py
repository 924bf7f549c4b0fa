"""Every operation in the spec, with every kind of credential, gets what the role table says."""

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from conftest import key_for
from sqlalchemy import update

from service.auth.models import ApiKey
from service.db import database
from service.demo.loader import DATA
from service.orm import utcnow

SPEC = yaml.safe_load((Path(__file__).parents[2] / "openapi.yaml").read_text(encoding="utf-8"))
WRITE_METHODS = {"post", "put", "patch", "delete"}
ROLES = ("researcher", "editor", "admin")

# The policy, stated here independently of the code: the least role each operation needs.
# Operations not listed are reads, open to anyone.
LEAST_ROLE = {
    "createSource": "researcher",
    "updateSource": "researcher",
    "deleteSource": "editor",
    "createClaim": "researcher",
    "updateClaim": "researcher",
    "deleteClaim": "editor",
    "createAppearance": "researcher",
    "updateAppearance": "researcher",
    "deleteAppearance": "editor",
    "createEvidence": "researcher",
    "updateEvidence": "researcher",
    "deleteEvidence": "editor",
    "createReview": "researcher",
    "updateReview": "researcher",
    "deleteReview": "editor",
    "createPublisher": "researcher",
    "updatePublisher": "researcher",
    "setPublisherRating": "editor",
    "deletePublisherRating": "editor",
    "createStatusChange": "researcher",
    "createRelation": "researcher",
    "deleteRelation": "editor",
    "mergeClaim": "editor",
    "importClaims": "researcher",
    "importClaimReview": "researcher",
    "createKey": "admin",
    "revokeKey": "admin",
    "listKeys": "admin",
    "listAuditEvents": "admin",
}
# POSTs that only read (their query is a body: a text to match), open as reads are.
READING_POSTS = {"matchClaims"}
REFUSED_CREDENTIALS = ("no key", "unknown key", "revoked key", "expired key")


def spec_operations():
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method in WRITE_METHODS | {"get"}:
                yield path, method, operation


OPERATIONS = {op["operationId"]: (path, method, op) for path, method, op in spec_operations()}


def test_every_write_and_every_secured_operation_has_a_rule():
    writes = {oid for oid, (_, method, _) in OPERATIONS.items() if method in WRITE_METHODS}
    writes -= READING_POSTS
    secured = {oid for oid, (_, _, op) in OPERATIONS.items() if op.get("security")}

    assert writes <= set(LEAST_ROLE), f"write operations without a rule: {writes - set(LEAST_ROLE)}"
    assert secured == set(LEAST_ROLE)


def test_the_spec_declares_the_bearer_scheme_on_secured_operations():
    scheme = SPEC["components"]["securitySchemes"]["bearerAuth"]

    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for operation_id in LEAST_ROLE:
        operation = OPERATIONS[operation_id][2]
        assert operation["security"] == [{"bearerAuth": []}]
        assert {"401", "403"} <= set(operation["responses"])


@pytest.fixture
def world(client):
    """One of everything, for the operations to act on."""
    text = (DATA / "000_1bbb91fee92f4894.txt").read_text(encoding="utf-8")
    source = client.post("/api/v1/sources", json={"url": "https://world.example/a", "text": text})
    spare = client.post("/api/v1/sources", json={"url": "https://world.example/b"})
    claim = client.post("/api/v1/claims", json={"text": "A claim.", "kind": "promise"})
    other = client.post("/api/v1/claims", json={"text": "Another.", "kind": "promise"})
    # "The US" stands in the text more than once; updateAppearance's example moves it.
    appearance = client.post(
        f"/api/v1/claims/{other.json['id']}/appearances",
        json={"source_id": source.json["id"], "quote": "The US", "start": text.index("The US")},
    )
    evidence = client.post(
        f"/api/v1/claims/{claim.json['id']}/evidence",
        json={"url": "https://evidence.example/1", "stance": "supports"},
    )
    key = client.post("/api/v1/keys", json={"name": "spare", "role": "researcher"})
    review = client.post(
        f"/api/v1/claims/{claim.json['id']}/reviews",
        json={
            "publisher": {"name": "Checker", "url": "https://checker.example/"},
            "url": "https://checker.example/review/1",
            "rating": {"label": "Sort of"},
        },
    )
    relation = client.post(
        f"/api/v1/claims/{other.json['id']}/relations",
        json={"type": "related", "target_id": claim.json["id"]},
    )
    for response in (source, spare, claim, other, appearance, evidence, key, review, relation):
        assert response.status_code == 201, response.json
    label = client.put(
        f"/api/v1/publishers/{review.json['publisher']['id']}/ratings/Sort of",
        json={"status": None},
    )
    assert label.status_code == 200, label.json
    return {
        "source_id": source.json["id"],
        "spare_source_id": spare.json["id"],
        "claim_id": claim.json["id"],
        "other_claim_id": other.json["id"],
        "relation_id": relation.json["id"],
        "appearance_id": appearance.json["id"],
        "evidence_id": evidence.json["id"],
        "key_id": key.json["id"],
        "review_id": review.json["id"],
        "publisher_id": review.json["publisher"]["id"],
        "label": "Sort of",
    }


def credential(app, kind: str) -> dict[str, str]:
    if kind == "no key":
        return {}
    if kind == "unknown key":
        return {"Authorization": "Bearer ct_AAAAAAAA_not-a-key-this-server-made"}
    if kind == "revoked key":
        plain = key_for(app, "admin", name="revoked")
        with app.app_context():
            session = database().sessionmaker()
            session.execute(
                update(ApiKey).where(ApiKey.name == "revoked").values(revoked_at=utcnow())
            )
            session.commit()
            session.close()
        return {"Authorization": f"Bearer {plain}"}
    if kind == "expired key":
        plain = key_for(app, "admin", name="expired", expires_at=utcnow() - timedelta(days=1))
        return {"Authorization": f"Bearer {plain}"}
    return {"Authorization": f"Bearer {key_for(app, kind, name=kind)}"}


def request_for(operation_id: str, world: dict) -> tuple[str, str, dict]:
    path, method, operation = OPERATIONS[operation_id]
    ids = dict(world)
    if operation_id == "deleteSource":
        ids["source_id"] = world["spare_source_id"]  # a source no claim appears in
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(value))
    if "requestBody" not in operation:
        return method, path, {}
    # The first media type the operation takes, with its example (imports take files).
    media_type, content = next(iter(operation["requestBody"]["content"].items()))
    if media_type != "application/json":
        return method, path, {"data": content["example"], "content_type": media_type}
    body = dict(content["example"])
    if "source_id" in body:
        body["source_id"] = world["source_id"]
    if "evidence_ids" in body:
        body["evidence_ids"] = [world["evidence_id"]]
    for name in ("target_id", "into"):  # a relation or merge: with the other claim
        if name in body:
            body[name] = world["other_claim_id"]
    body.pop("into_etag", None)  # the example's ETag is no claim's here
    return method, path, {"json": body}


def success_status(operation_id: str) -> int:
    return min(int(code) for code in OPERATIONS[operation_id][2]["responses"] if code[0] == "2")


def expected_status(operation_id: str, kind: str) -> int:
    if kind in REFUSED_CREDENTIALS:
        return 401
    if ROLES.index(kind) < ROLES.index(LEAST_ROLE[operation_id]):
        return 403
    return success_status(operation_id)


@pytest.mark.parametrize("kind", [*REFUSED_CREDENTIALS, *ROLES])
@pytest.mark.parametrize("operation_id", sorted(LEAST_ROLE))
def test_each_credential_gets_what_the_role_table_says(app, world, row_counts, operation_id, kind):
    method, path, body = request_for(operation_id, world)
    headers = credential(app, kind)
    before = row_counts()

    response = getattr(app.test_client(), method)(path, headers=headers, **body)

    assert response.status_code == expected_status(operation_id, kind), response.get_json()
    if response.status_code == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    if response.status_code in (401, 403):
        assert response.content_type == "application/problem+json"
        after = row_counts()
        after["api_key"] = before["api_key"]  # the credential itself was made for the test
        assert after == before, "a refused request changed the database"
    elif method in WRITE_METHODS:
        assert row_counts()["audit_event"] > before["audit_event"]


@pytest.mark.parametrize("kind", REFUSED_CREDENTIALS[1:])
def test_a_bad_key_is_refused_even_for_open_reads(app, kind):
    response = app.test_client().get("/api/v1/claims", headers=credential(app, kind))

    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_reads_are_open_by_default(anonymous):
    assert anonymous.get("/api/v1/claims").status_code == 200


@pytest.mark.parametrize("scheme", ["Basic", "Token", "bearer"])
def test_only_the_bearer_scheme_carries_a_key(app, scheme):
    plain = key_for(app, "researcher")

    response = app.test_client().post(
        "/api/v1/claims",
        json={"text": "x", "kind": "factual"},
        headers={"Authorization": f"{scheme} {plain}"},
    )

    assert response.status_code == (201 if scheme.lower() == "bearer" else 401)
