"""The OpenAPI document, generated from the code, and Swagger UI served from the package."""

from __future__ import annotations

import http
from importlib.metadata import version
from pathlib import Path

import flask_smorest
import flask_swagger_ui
import marshmallow as ma
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
            "description": "On 422: each invalid field (dotted for nested ones) and its messages.",
            "example": {"url": ["Not a valid URL."]},
        },
    )


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
    return Api(app, spec_kwargs={"extra_plugins": [IdempotencyKeyDocs(), MergedClaimDocs()]})
