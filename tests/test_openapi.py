"""The committed openapi.yaml is the live spec, and the spec is fit for client generators."""

import tomllib
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

SPEC_FILE = Path(__file__).resolve().parent.parent / "openapi.yaml"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def live_spec(app):
    return app.test_client().get("/openapi.json").get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_openapi_yaml_is_the_live_spec(live_spec):
    committed = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))

    assert committed == live_spec, "openapi.yaml is stale: run `make openapi` and commit it"


def test_the_api_version_is_the_package_version(live_spec):
    pyproject = tomllib.loads((SPEC_FILE.parent / "pyproject.toml").read_text(encoding="utf-8"))

    assert live_spec["info"]["version"] == pyproject["project"]["version"]


def test_the_spec_is_valid_openapi(live_spec):
    validate(live_spec)


def test_every_operation_has_a_summary_a_unique_operation_id_and_a_tag(live_spec):
    ids = []
    for path, method, operation in operations(live_spec):
        assert operation.get("summary"), (method, path)
        assert operation.get("tags"), (method, path)
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))


def test_request_bodies_carry_examples(live_spec):
    for path, method, operation in operations(live_spec):
        if "requestBody" in operation:
            for media_type, content in operation["requestBody"]["content"].items():
                assert "example" in content or "examples" in content, (method, path, media_type)


def test_errors_are_documented_as_problem_json(live_spec):
    for name, response in live_spec["components"]["responses"].items():
        if name == "RequestLineTooLong":
            continue  # gunicorn's own 414, sent before the service sees the request
        if "content" in response:
            assert list(response["content"]) == ["application/problem+json"], name


@pytest.mark.parametrize("name", ["ClaimOut", "SourceOut", "StatusChangeOut", "EvidenceOut"])
def test_every_output_field_is_required(live_spec, name):
    schema = live_spec["components"]["schemas"][name]

    assert sorted(schema["required"]) == sorted(schema["properties"])


def test_nullable_output_fields_say_so(live_spec):
    claim = live_spec["components"]["schemas"]["ClaimOut"]["properties"]

    assert "null" in claim["review_due"]["type"] and "null" in claim["claimant"]["type"]
    assert claim["id"]["type"] == "integer"


def test_fields_absent_by_design_are_not_required(live_spec):
    schemas = live_spec["components"]["schemas"]

    assert "total" not in schemas["ClaimPage"]["required"]
    assert "errors" not in schemas["Problem"]["required"]
    assert "direction" not in schemas["RelationOut"]["required"]


def test_the_timeline_entry_kind_is_an_enum(live_spec):
    kind = live_spec["components"]["schemas"]["TimelineEntryOut"]["properties"]["kind"]

    assert sorted(kind["enum"]) == ["evidence", "status_change"]


def test_pagination_metadata_of_flask_smorest_is_gone(live_spec):
    assert "PaginationMetadata" not in live_spec["components"]["schemas"]


def _statuses(operation) -> set[str]:
    return {str(status) for status in operation["responses"]}


def _headers(live_spec, operation) -> set[str]:
    names = set()
    for parameter in operation.get("parameters", []):
        if "$ref" in parameter:
            parameter = live_spec["components"]["parameters"][parameter["$ref"].split("/")[-1]]
        if parameter["in"] == "header":
            names.add(parameter["name"])
    return names


def test_every_operation_documents_the_answers_it_can_give(live_spec):
    for path, method, operation in operations(live_spec):
        statuses, headers = _statuses(operation), _headers(live_spec, operation)
        where = (method, path)
        if path.startswith("/api/"):
            assert {"400", "401", "414", "429", "503"} <= statuses, where
        if "{" in path:
            assert "404" in statuses, where
        if "requestBody" in operation:
            assert {"413", "415", "422"} <= statuses, where
        if method == "post":
            assert "Idempotency-Key" in headers and "409" in statuses, where
        if "If-Match" in headers:
            assert "412" in statuses, where
        ok = operation["responses"].get("200", {})
        if method == "get" and "ETag" in ok.get("headers", {}):
            assert "If-None-Match" in headers and "304" in statuses, where
        if method in ("patch", "delete") and path.count("{") == 1 and "/keys/" not in path:
            assert "If-Match" in headers, where


def test_a_get_with_the_etag_it_holds_is_a_304_as_documented(client, live_spec):
    created = client.post("/api/v1/claims", json={"text": "A claim.", "kind": "factual"})
    etag = created.headers["ETag"]

    again = client.get(created.headers["Location"], headers={"If-None-Match": etag})

    assert again.status_code == 304 and again.data == b""
    assert "304" in live_spec["paths"]["/api/v1/claims/{claim_id}"]["get"]["responses"]


def test_the_import_and_feed_bodies_are_typed(live_spec):
    exchange = live_spec["paths"]
    files = exchange["/api/v1/import/claims"]["post"]["requestBody"]["content"]
    reviews = exchange["/api/v1/import/claimreview"]["post"]["requestBody"]["content"]
    feed = exchange["/api/v1/export/claimreview"]["get"]["responses"]["200"]["content"]

    for media_type, content in files.items():
        assert content["schema"]["format"] == "binary", media_type
        assert content["schema"]["contentMediaType"] == media_type
    assert len(reviews["application/ld+json"]["schema"]["anyOf"]) == 3
    assert feed["application/ld+json"]["schema"] == {"$ref": "#/components/schemas/DataFeed"}


def test_swagger_ui_is_served_from_the_package_without_a_cdn(client):
    page = client.get("/docs").get_data(as_text=True)

    assert "/static/swagger-ui/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/swagger-ui/swagger-ui.css").status_code == 200
