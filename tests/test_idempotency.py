"""Idempotency-Key: a retried POST gets its first answer again, and writes nothing twice."""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta

import factories
import pytest
from conftest import key_for
from sqlalchemy import create_engine, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from service.auth.models import ApiKey
from service.claims.models import Claim
from service.idempotency.models import IdempotencyKey
from service.orm import utcnow

CLAIM = {"text": "The US will open a consulate in Dakhla.", "kind": "factual"}
NDJSON = "application/x-ndjson"
REUSED = "urn:claimtrack:problem:idempotency-key-reused"
IN_FLIGHT = "urn:claimtrack:problem:idempotency-key-in-flight"


def post(client, path: str, key: str, body=CLAIM):
    return client.post(path, json=body, headers={"Idempotency-Key": key})


def post_claim(client, key: str, body=CLAIM):
    return post(client, "/api/v1/claims", key, body)


def import_claims(client, key: str, body: str):
    return client.post(
        "/api/v1/import/claims",
        data=body.encode(),
        headers={"Idempotency-Key": key, "Content-Type": NDJSON},
    )


def ndjson(*texts: str) -> str:
    return "".join(json.dumps({"text": text, "kind": "factual"}) + "\n" for text in texts)


def problem_of(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    return response.get_json()


def assert_replayed(first, again) -> None:
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.status_code == first.status_code
    assert again.get_data() == first.get_data()
    for header in ("Content-Type", "Location", "ETag"):
        assert again.headers.get(header) == first.headers.get(header), header


def test_a_retry_answers_the_first_response_again_and_writes_nothing(client, row_counts):
    before = row_counts()
    first = post_claim(client, "create-claim-1")
    after_first = row_counts()

    again = post_claim(client, "create-claim-1")

    assert first.status_code == 201 and first.headers["Location"]
    assert_replayed(first, again)
    assert after_first["claim"] == before["claim"] + 1
    assert row_counts() == after_first


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/claims", {**CLAIM, "text": "Another claim."}),
        ("/api/v1/claims?unused=1", CLAIM),
        ("/api/v1/sources", {"url": "https://news.example/a"}),
    ],
)
def test_the_same_key_for_another_request_is_422_naming_it(client, row_counts, path, body):
    post_claim(client, "create-claim-1")
    before = row_counts()

    problem = problem_of(post(client, path, "create-claim-1", body), 422)

    assert problem["type"] == REUSED
    assert list(problem["errors"]) == ["Idempotency-Key"]
    assert row_counts() == before


def test_keys_are_scoped_to_the_api_key_that_sent_them(app, client, row_counts):
    other = app.test_client()
    other.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key_for(app, 'researcher')}"
    before = row_counts()

    mine = post_claim(client, "shared-key")
    theirs = post_claim(other, "shared-key")

    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert mine.get_json()["id"] != theirs.get_json()["id"]
    assert theirs.get_json()["created_by"] == "test-researcher"
    assert row_counts()["claim"] == before["claim"] + 2


def test_a_sub_resource_post_is_replayed(client, row_counts):
    claim = factories.claim(client)
    body = {"url": "https://evidence.example/consulate", "stance": "supports"}
    path = f"/api/v1/claims/{claim['id']}/evidence"
    first = post(client, path, "evidence-1", body)
    after_first = row_counts()

    again = post(client, path, "evidence-1", body)

    assert first.status_code == 201
    assert_replayed(first, again)
    assert after_first["evidence"] == 1
    assert row_counts() == after_first


def test_an_import_read_as_a_stream_is_replayed(client, row_counts):
    body = ndjson("First imported claim.", "Second imported claim.")
    first = import_claims(client, "import-1", body)
    after_first = row_counts()

    again = import_claims(client, "import-1", body)
    other_file = import_claims(client, "import-1", ndjson("A third claim."))

    assert first.status_code == 200, first.get_json().get("detail")
    assert first.get_json()["created"] == 2
    assert_replayed(first, again)
    assert problem_of(other_file, 422)["type"] == REUSED
    assert row_counts() == after_first


def test_an_import_over_the_json_limit_is_hashed_and_replayed(app, client, row_counts):
    texts = [f"Claim {n}: " + "word " * 980 for n in range(250)]
    body = ndjson(*texts)
    assert len(body) > app.config["SETTINGS"].max_body_bytes  # imports have their own limit
    first = import_claims(client, "big-import", body)
    after_first = row_counts()

    again = import_claims(client, "big-import", body)

    assert first.status_code == 200, first.get_json().get("detail")
    assert first.get_json()["created"] == 250
    assert_replayed(first, again)
    assert row_counts() == after_first


def test_a_dry_run_commits_nothing_so_nothing_is_stored(client, row_counts):
    body = ndjson("A claim to try.")
    before = row_counts()

    dry = client.post(
        "/api/v1/import/claims?dry_run=true",
        data=body,
        headers={"Idempotency-Key": "dry", "Content-Type": NDJSON},
    )
    again = client.post(
        "/api/v1/import/claims?dry_run=true",
        data=body,
        headers={"Idempotency-Key": "dry", "Content-Type": NDJSON},
    )

    assert dry.status_code == again.status_code == 200
    assert "Idempotent-Replayed" not in again.headers
    assert row_counts() == before


def test_an_expired_key_runs_the_request_again(client, session, row_counts):
    first = post_claim(client, "old-key")
    session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
    session.commit()
    before = row_counts()

    again = post_claim(client, "old-key")

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert again.get_json()["id"] != first.get_json()["id"]
    assert row_counts()["claim"] == before["claim"] + 1
    kept = session.scalars(select(IdempotencyKey.created_at)).all()
    assert len(kept) == 1 and kept[0] > utcnow() - timedelta(hours=1)  # the old row went


def test_a_refused_request_is_not_stored_so_a_fixed_retry_runs(client, row_counts):
    refused = post_claim(client, "fix-me", {"kind": "factual"})
    before = row_counts()

    fixed = post_claim(client, "fix-me")

    assert "text" in problem_of(refused, 422)["errors"]
    assert fixed.status_code == 201
    assert "Idempotent-Replayed" not in fixed.headers
    assert row_counts()["claim"] == before["claim"] + 1


@pytest.mark.parametrize("key", ["", "k" * 256, "clé", "tab\there", " padded"])
def test_a_key_that_is_empty_too_long_or_not_printable_ascii_is_422(client, row_counts, key):
    before = row_counts()

    problem = problem_of(post_claim(client, key), 422)

    assert list(problem["errors"]) == ["Idempotency-Key"]
    assert row_counts() == before


def test_a_key_of_255_printable_characters_is_accepted(client):
    key = "~ !" + "k" * 251 + "}"

    assert post_claim(client, key).status_code == 201
    assert post_claim(client, key).headers["Idempotent-Replayed"] == "true"


def test_an_answer_marked_no_store_is_not_kept_and_its_retry_writes_nothing(
    client, session, row_counts
):
    body = {"name": "Fatima Zahra", "role": "researcher"}
    first = post(client, "/api/v1/keys", "new-key", body)
    after_first = row_counts()

    again = post(client, "/api/v1/keys", "new-key", body)

    assert first.status_code == 201 and first.get_json()["key"]
    assert problem_of(again, 409)["type"] == IN_FLIGHT
    assert row_counts() == after_first
    assert session.scalar(select(IdempotencyKey.body)) is None  # the new key is shown once


def test_a_committed_write_whose_answer_could_not_be_stored_still_answers(
    client, row_counts, monkeypatch, caplog
):
    """The database fails between the write's commit and the answer's: 201 all the same."""
    real_commit = Session.commit
    commits = []

    def second_commit_fails(self):
        commits.append(self)
        if len(commits) == 2:  # the request's commit, then the one that stores its answer
            raise OperationalError("COMMIT", None, Exception("the database went away\nat once"))
        return real_commit(self)

    monkeypatch.setattr(Session, "commit", second_commit_fails)
    before = row_counts()

    with caplog.at_level(logging.WARNING, logger="service.idempotency.replay"):
        first = post_claim(client, "unrecorded")
    monkeypatch.undo()
    again = post_claim(client, "unrecorded")

    assert first.status_code == 201
    assert len(commits) == 2
    [record] = [r for r in caplog.records if r.name == "service.idempotency.replay"]
    assert "was not stored" in record.getMessage() and "\n" not in record.getMessage()
    assert problem_of(again, 409)["type"] == IN_FLIGHT
    assert row_counts()["claim"] == before["claim"] + 1


def test_concurrent_posts_with_one_key_write_once(app, client, row_counts):
    clients = [app.test_client() for _ in range(2)]
    for each in clients:
        each.environ_base.update(client.environ_base)  # the same API key
    start = threading.Barrier(len(clients))
    responses = []

    def send(each):
        start.wait()
        responses.append(post_claim(each, "raced"))

    before = row_counts()
    threads = [threading.Thread(target=send, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(r.status_code for r in responses) in ([201, 201], [201, 409])
    written = [
        r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r.headers
    ]
    assert len(written) == 1
    for other in responses:
        if other.status_code == 409:
            assert problem_of(other, 409)["type"] == IN_FLIGHT
        elif other is not written[0]:
            assert_replayed(written[0], other)
    assert row_counts()["claim"] == before["claim"] + 1


def test_a_key_committed_meanwhile_by_another_server_refuses_the_write(
    client, database_url, row_counts, monkeypatch
):
    """Both requests pass the look-up; the second one's commit meets the unique constraint."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers: a second request looks up after the first commits")
    from service.claims import service

    owner = f"key:{_admin_key_id(client, database_url)}"
    real_create = service.create_claim

    def create_while_another_commits_the_key(session, data):
        claim = real_create(session, data)
        engine = create_engine(database_url)
        with engine.begin() as other_server:
            other_server.execute(
                insert(IdempotencyKey).values(
                    owner=owner,
                    key="raced",
                    method="POST",
                    target="/api/v1/claims",
                    request_sha256="0" * 64,
                    created_at=utcnow(),
                )
            )
        engine.dispose()
        return claim

    monkeypatch.setattr(service, "create_claim", create_while_another_commits_the_key)
    before = row_counts()

    problem = problem_of(post_claim(client, "raced"), 409)

    assert problem["type"] == IN_FLIGHT
    assert "unique" not in problem["detail"].lower()
    assert row_counts()["claim"] == before["claim"]
    assert row_counts()["idempotency_key"] == before["idempotency_key"] + 1


def _admin_key_id(client, database_url) -> int:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        found = connection.scalar(select(ApiKey.id).where(ApiKey.name == "test-admin"))
    engine.dispose()
    return found


def test_a_committed_post_answers_201_when_closing_its_session_fails(
    client, session, monkeypatch, caplog
):
    """Errors after the commit are logged and never turn the committed write into an error."""
    real_close = Session.close

    def close_then_fail(self):
        real_close(self)
        raise OperationalError("ROLLBACK", None, Exception("server closed the connection\n..."))

    monkeypatch.setattr(Session, "close", close_then_fail)
    with caplog.at_level(logging.WARNING, logger="service.db"):
        response = client.post("/api/v1/claims", json=CLAIM)
    monkeypatch.undo()

    assert response.status_code == 201, response.get_data(as_text=True)
    stored = session.get(Claim, response.get_json()["id"])
    assert stored is not None and stored.text == CLAIM["text"]
    [record] = [r for r in caplog.records if r.name == "service.db"]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "\n" not in record.getMessage()


def test_every_post_documents_the_header_and_what_it_may_answer(app):
    spec = app.test_client().get("/openapi.json").get_json()
    posts = {path: item["post"] for path, item in spec["paths"].items() if "post" in item}

    assert "/api/v1/claims" in posts
    for path, operation in posts.items():
        assert {"$ref": "#/components/parameters/IdempotencyKey"} in operation["parameters"], path
        assert {"409", "422"} <= operation["responses"].keys(), path
    assert spec["components"]["parameters"]["IdempotencyKey"]["name"] == "Idempotency-Key"
