"""Bad input of every kind gets its documented status and a problem naming the field."""

import re
from pathlib import Path

import factories
import pytest
from conftest import key_for
from sqlalchemy import create_engine, text

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert PROBLEM_KEYS <= problem.keys() and problem["status"] == status
    return problem


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "https://x.example/1", "colour": "red"}, "colour"),
        ({"url": 42}, "url"),
        ({"url": "ftp://x.example/file"}, "url"),
        ({"url": "https://x.example/" + "a" * 2100}, "url"),
        ({"url": "https://x.example/1", "title": "t" * 501}, "title"),
        ({"url": "https://x.example/1", "title": "   "}, "title"),
        ({"url": "https://x.example/1", "published_on": "17 December 2020"}, "published_on"),
        ({"url": "https://x.example/1", "language": "english!"}, "language"),
        ({"url": "https://x.example/1", "kind": "blog"}, "kind"),
        ({"title": "no url"}, "url"),
    ],
)
def test_invalid_source_fields_are_422_naming_the_field(client, row_counts, body, field):
    before = row_counts()

    problem = assert_problem(client.post("/api/v1/sources", json=body), 422)

    assert field in problem["errors"]
    assert field in problem["detail"]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "factual"}, "text"),
        ({"text": "x", "kind": "opinion"}, "kind"),
        ({"text": "x" * 5001, "kind": "factual"}, "text"),
        ({"text": "x", "kind": "factual", "tags": "morocco"}, "tags"),
        ({"text": "x", "kind": "factual", "tags": [" padded "]}, "tags.0"),
        ({"text": "x", "kind": "factual", "tags": ["t"] * 51}, "tags"),
        ({"text": "x", "kind": "factual", "review_due": "soon"}, "review_due"),
        ({"text": "x", "kind": "factual", "status": "true"}, "status"),
    ],
)
def test_invalid_claim_fields_are_422_naming_the_field(client, row_counts, body, field):
    before = row_counts()

    problem = assert_problem(client.post("/api/v1/claims", json=body), 422)

    assert field in problem["errors"]
    assert row_counts() == before


@pytest.mark.parametrize("body", ["[1, 2]", '"a string"', "null", "42"])
def test_a_json_body_that_is_not_an_object_is_422(client, row_counts, body):
    before = row_counts()

    response = client.post("/api/v1/claims", data=body, content_type="application/json")

    assert_problem(response, 422)
    assert row_counts() == before


def test_malformed_json_is_400(client, row_counts):
    before = row_counts()

    problem = assert_problem(
        client.post("/api/v1/claims", data='{"text": ', content_type="application/json"), 400
    )

    assert "JSON" in problem["detail"]
    assert row_counts() == before


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_a_body_that_is_not_json_is_415(client, row_counts, content_type):
    before = row_counts()

    response = client.post("/api/v1/claims", data="text=x&kind=factual", content_type=content_type)

    assert_problem(response, 415)
    assert row_counts() == before


def test_a_body_over_the_limit_is_413(client, row_counts):
    before = row_counts()
    body = '{"text": "' + "x" * (1024 * 1024 + 10) + '", "kind": "factual"}'

    response = client.post("/api/v1/claims", data=body, content_type="application/json")

    assert_problem(response, 413)
    assert row_counts() == before


def test_the_body_limit_is_configurable(database_url):
    from service.app import create_app

    small = create_app({"database_url": database_url, "secret_key": "s", "max_body_bytes": 2048})
    body = '{"text": "' + "x" * 3000 + '", "kind": "factual"}'

    response = small.test_client().post(
        "/api/v1/claims",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key_for(small, 'researcher')}"},
    )

    assert_problem(response, 413)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/9223372036854775808",
        "/api/v1/claims/2147483648",
        "/api/v1/claims/0",
        "/api/v1/claims/-1",
        "/api/v1/claims/abc",
        "/api/v1/sources/99999",
        "/api/v1/nothing-here",
    ],
)
def test_missing_or_impossible_ids_are_404(client, path):
    assert_problem(client.get(path), 404)


def test_a_wrong_method_is_405_and_keeps_allow(client):
    response = client.put("/api/v1/claims", json={})

    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("kind=opinion", "kind"),
        ("source_id=x", "source_id"),
        ("with_total=maybe", "with_total"),
    ],
)
def test_bad_query_parameters_are_422_naming_them(client, query, field):
    problem = assert_problem(client.get(f"/api/v1/claims?{query}"), 422)

    assert field in problem["errors"]


@pytest.mark.parametrize("cursor", ["garbage", "eyJzb3J0IjoiLWNyZWF0ZWRfYXQifQ.forged", "a" * 999])
def test_a_forged_cursor_is_400_naming_it(client, cursor):
    problem = assert_problem(client.get(f"/api/v1/claims?cursor={cursor}"), 400)

    assert "cursor" in problem["errors"]


def test_an_unexpected_failure_is_a_500_problem_without_internals(app, client, monkeypatch):
    from service.claims import service

    def explode(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM claim -- internal detail")

    monkeypatch.setattr(service, "list_claims", explode)

    response = client.get("/api/v1/claims")

    problem = assert_problem(response, 500)
    text = response.get_data(as_text=True)
    assert "SELECT" not in text and "Traceback" not in text and "RuntimeError" not in text
    assert problem["detail"]


def test_a_uniqueness_race_is_a_409_without_sql(client, row_counts, monkeypatch):
    """Two creates of one URL at once: the second passes the check and meets the constraint."""
    from service.sources import service

    factories.source(client, url="https://race.example/a")
    monkeypatch.setattr(service, "refuse_known_url", lambda *args: None)
    before = row_counts()

    response = client.post("/api/v1/sources", json={"url": "https://race.example/a"})

    problem = assert_problem(response, 409)
    assert "INSERT" not in problem["detail"] and "unique" not in problem["detail"].lower()
    assert row_counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"text": "\\ud800", "kind": "factual"}', "text"),
        ('{"text": "x", "kind": "factual", "tags": ["ok", "\\udc00"]}', "tags.1"),
    ],
)
def test_an_unpaired_surrogate_is_422_naming_the_field(client, row_counts, body, field):
    before = row_counts()

    response = client.post("/api/v1/claims", data=body, content_type="application/json")

    assert field in assert_problem(response, 422)["errors"]
    assert row_counts() == before


def test_json_nested_too_deeply_is_400(client):
    body = "[" * 100_000 + "]" * 100_000

    assert_problem(client.post("/api/v1/claims", data=body, content_type="application/json"), 400)


def test_text_of_only_unicode_spaces_is_blank(client):
    response = client.post("/api/v1/claims", json={"text": "\u00a0\u3000", "kind": "factual"})

    assert "text" in assert_problem(response, 422)["errors"]


@pytest.mark.parametrize(("path", "status"), [("/health", 405), ("/api/v1/nothing", 404)])
def test_routing_errors_win_over_the_media_type(client, path, status):
    assert_problem(client.post(path, data="x", content_type="text/plain"), status)


@pytest.mark.parametrize("path", ["/api/v1/claims/0001", "/api/v1/claims/\u0661"])
def test_each_resource_has_one_url(client, path):
    factories.claim(client)

    assert_problem(client.get(path), 404)


def test_an_unknown_query_parameter_is_422_naming_it(client):
    problem = assert_problem(client.get("/api/v1/claims?stauts=true"), 422)

    assert "stauts" in problem["errors"]


def test_a_lost_database_connection_is_a_503_then_the_pool_recovers(
    app, client, database_url, row_counts
):
    """The pools lend connections without pinging them: a dead one costs one retryable 503."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to lose the connection to")
    claim = factories.claim(client)  # the write pool holds a connection now
    assert client.get(f"/api/v1/claims/{claim['id']}").status_code == 200  # the read pool too
    before = row_counts()
    with create_engine(database_url).connect() as admin:
        admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )

    lost_read = client.get(f"/api/v1/claims/{claim['id']}")
    lost_write = client.post("/api/v1/claims", json={"text": "Lost?", "kind": "factual"})

    for lost in (lost_read, lost_write):
        problem = assert_problem(lost, 503)
        assert lost.headers["Retry-After"] == "1"
        assert "terminat" not in problem["detail"].lower()
    assert row_counts() == before
    assert client.get(f"/api/v1/claims/{claim['id']}").status_code == 200
    assert (
        client.post("/api/v1/claims", json={"text": "Again", "kind": "factual"}).status_code == 201
    )


@pytest.mark.pure
def test_the_readme_names_every_problem_type():
    """A client branches on `type`: every one the service or its proxy can answer is listed."""
    root = Path(__file__).resolve().parent.parent
    slugs = set()
    for source in (root / "service").rglob("*.py"):
        slugs |= set(re.findall(r'\bslug\s*=\s*"([a-z-]+)"', source.read_text(encoding="utf-8")))
    proxy = (root / "deploy" / "nginx" / "claimtrack.conf.template").read_text(encoding="utf-8")
    slugs |= set(re.findall(r"urn:claimtrack:problem:([a-z-]+)", proxy))
    readme = (root / "README.md").read_text(encoding="utf-8")

    missing = sorted(slug for slug in slugs if f"`{slug}`" not in readme)

    assert {"validation-error", "statement-timeout", "rate-limited"} <= slugs
    assert not missing, f"problem types the README does not name: {missing}"
