"""The OpenAPI document, generated from the code, and Swagger UI served from the package."""

from __future__ import annotations

import http
from importlib.metadata import version
from pathlib import Path

import flask_smorest
import flask_swagger_ui
import marshmallow as ma
from apispec import BasePlugin
from apispec.ext.marshmallow.common import resolve_schema_instance
from flask import Blueprint, Flask, send_from_directory
from flask_smorest.utils import prepare_response

from service import errors
from service.idempotency.replay import IdempotencyKeyDocs
from service.relations.redirects import MergedClaimDocs

API_TITLE = "claimtrack"
API_VERSION = version("claimtrack")  # the package's, from pyproject.toml
SWAGGER_UI_ASSETS = Path(flask_swagger_ui.__file__).parent / "dist"
DOCS_STATIC = Path(__file__).parent / "docs_static"
API_DESCRIPTION = """\
Track the claims that articles make: anchor each one to the exact words of its sources,
collect follow-up evidence, and keep an append-only timeline of its status.

Errors are RFC 9457 `application/problem+json`; a 422 names each invalid field in `errors`.
Lists page with opaque keyset cursors: follow `next_cursor` or the `Link` header.
Single resources carry an `ETag`; send it back in `If-Match` to make a write conditional.
A request whose `Host` header names a host the deployment does not answer for gets a 400
(`untrusted-host`), whatever the operation.
"""


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem: what went wrong, for a person and for a program."""

    class Meta:
        unknown = ma.INCLUDE  # extension members, e.g. `existing_id` on a duplicate URL

    type = ma.fields.String(metadata={"example": "urn:claimtrack:problem:validation-error"})
    title = ma.fields.String(metadata={"example": "Unprocessable Content"})
    status = ma.fields.Integer(metadata={"example": 422})
    detail = ma.fields.String(metadata={"example": "Invalid field: url"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={
            "sometimes_absent": True,
            "description": "On 422: each invalid field (dotted for nested ones) and its messages.",
            "example": {"url": ["Not a valid URL."]},
        },
    )


IF_NONE_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag you hold: an unchanged resource answers 304 with no body.",
}
BODY_METHODS = frozenset({"post", "put", "patch"})
# Schemas named so are what the service writes: their fields are always there (null where
# nullable) unless a field's metadata says `"sometimes_absent": True` (a list's `total`).
OUTPUT_SUFFIXES = ("Out", "Page", "Summary", "Item")
OPEN_PATHS = ("/health", "/ready")  # probes: any host, no key, no database behind /health


REQUEST_LINE_TOO_LONG = {
    "description": "The request line (method, path and query) is over 8 KiB: the HTTP server "
    "(gunicorn) refuses it before the service reads it, in its own words, as HTML.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


class ContractDocs(BasePlugin):
    """An apispec plugin: the answers every route can give, by what the route is.

    Each error comes from a layer that runs before or around the view (origins, access,
    JSON bodies, the database, ETags), so it is documented here from the route's shape, once,
    rather than on each view where it would be forgotten on the next.
    """

    def init_spec(self, spec) -> None:
        spec.components.response("RequestLineTooLong", REQUEST_LINE_TOO_LONG, lazy=True)

    def schema_helper(self, name, definition, **kwargs):
        if not (name.endswith(OUTPUT_SUFFIXES) or name == "Problem") or "schema" not in kwargs:
            return None
        schema = resolve_schema_instance(kwargs["schema"])
        always = [
            field.data_key or field_name
            for field_name, field in schema.fields.items()
            if not field.load_only and not field.metadata.get("sometimes_absent")
        ]
        present = definition.get("properties", {})
        return {"required": [key for key in always if key in present]}

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            documented = {str(status) for status in responses}

            def add(status: http.HTTPStatus, responses=responses, documented=documented):
                if str(status.value) not in documented:
                    responses[status.value] = status.name

            if path.startswith("/api/"):
                add(http.HTTPStatus.BAD_REQUEST)  # an untrusted Host, a forged cursor
                add(http.HTTPStatus.UNAUTHORIZED)  # a bad key, or reads that need one
                add(http.HTTPStatus.TOO_MANY_REQUESTS)  # the proxy's rate limits (deploy/nginx)
                responses.setdefault(414, "RequestLineTooLong")
            if "{" in path:
                add(http.HTTPStatus.NOT_FOUND)
            if method in BODY_METHODS and "requestBody" in operation:
                add(http.HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
                add(http.HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
            in_query = any(
                isinstance(parameter, dict) and parameter.get("in") == "query"
                for parameter in operation.get("parameters", [])
            )
            if in_query or "requestBody" in operation:
                add(http.HTTPStatus.UNPROCESSABLE_ENTITY)
            if path != "/health":
                add(http.HTTPStatus.SERVICE_UNAVAILABLE)  # the database is out of reach
            ok = responses.get(200) or responses.get("200")
            if method == "get" and isinstance(ok, dict) and "ETag" in ok.get("headers", {}):
                operation.setdefault("parameters", []).append(IF_NONE_MATCH_PARAMETER)
                add(http.HTTPStatus.NOT_MODIFIED)


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        errors.init_app(self._app)

    def _register_responses(self):
        # flask-smorest documents errors as application/json; ours are problem+json, and
        # a spec that says otherwise fails every client that checks content types.
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, errors.PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, errors.PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def _register_pagination_header(self):
        # flask-smorest 0.47 declares its X-Pagination header (and PaginationMetadata) for
        # its own paginator; lists here page with cursors in the body and a Link header.
        pass


def init_app(app: Flask) -> Api:
    app.config.update(
        API_TITLE=API_TITLE,
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {
                "description": API_DESCRIPTION,
                "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
            },
        },
    )
    # Swagger UI's files come from the flask-swagger-ui wheel; the page that starts it is ours,
    # so that no inline script is needed (see security.CONTENT_SECURITY_POLICY).
    app.register_blueprint(
        Blueprint(
            "swagger_ui_assets",
            __name__,
            static_folder=str(SWAGGER_UI_ASSETS),
            static_url_path="/static/swagger-ui",
        )
    )
    docs_page = Blueprint(
        "docs", __name__, static_folder=str(DOCS_STATIC), static_url_path="/static/docs"
    )
    docs_page.add_url_rule(
        "/docs", "swagger_ui", lambda: send_from_directory(DOCS_STATIC, "docs.html")
    )
    app.register_blueprint(docs_page)
    return Api(
        app,
        spec_kwargs={"extra_plugins": [IdempotencyKeyDocs(), MergedClaimDocs(), ContractDocs()]},
    )
