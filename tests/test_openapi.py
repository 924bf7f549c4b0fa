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
        if "content" in response:
            assert list(response["content"]) == ["application/problem+json"], name


def test_swagger_ui_is_served_from_the_package_without_a_cdn(client):
    page = client.get("/docs").get_data(as_text=True)

    assert "/static/swagger-ui/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/swagger-ui/swagger-ui.css").status_code == 200
