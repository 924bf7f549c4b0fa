"""The API takes JSON bodies only; anything else is a 415, before a view runs."""

from __future__ import annotations

from flask import Flask, request

from service.errors import ProblemError

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class UnsupportedMediaTypeError(ProblemError):
    status = 415
    slug = "unsupported-media-type"


def _require_json() -> None:
    has_body = bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", ""
    )
    if request.method in BODY_METHODS and has_body and not request.is_json:
        raise UnsupportedMediaTypeError(
            f"the body must be application/json, not {request.mimetype or 'untyped'}",
            headers={"Accept-Post": "application/json"},
        )


def init_app(app: Flask) -> None:
    app.before_request(_require_json)
