"""JSON request bodies: nothing else is accepted, and what is parsed is sound text."""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Flask, current_app, request
from webargs.flaskparser import FlaskParser

from service.errors import BadRequestError, FieldError, ProblemError

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
JSON = "application/json"


class UnsupportedMediaTypeError(ProblemError):
    status = 415
    slug = "unsupported-media-type"


class JsonParser(FlaskParser):
    """webargs' parser, refusing what would otherwise fail deep inside the service.

    Unknown query parameters are refused too, as unknown body fields are: a misspelt filter
    (`?stauts=false`) would otherwise widen a list without a word.
    """

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,
        "querystring": None,
    }

    def load_json(self, req, schema):
        try:
            data = super().load_json(req, schema)
        except RecursionError:
            raise BadRequestError(
                "the JSON body nests too deeply", errors={"body": ["Nested too deeply."]}
            ) from None
        path = unpaired_surrogate(data)
        if path is not None:
            # JSON may escape half of a UTF-16 pair; no database can store it as text.
            raise FieldError(path or "body", "holds an unpaired surrogate: not valid Unicode")
        return data


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = JsonParser()

    def arguments(self, schema, *args, **kwargs):
        """As flask-smorest's, with a schema class instantiated once, here.

        Given a class, webargs builds a new instance (deep-copying every field) on each
        request: 0.4 ms of a search that takes 4.
        """
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)


def unpaired_surrogate(data: Any) -> str | None:
    """The dotted path of the first string holding a lone surrogate, or None."""
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return path
        elif isinstance(value, dict):
            pending.extend((f"{path}.{key}".lstrip("."), item) for key, item in value.items())
            if any(unpaired_surrogate(key) is not None for key in value):
                return path
        elif isinstance(value, list):
            pending.extend(
                (f"{path}.{index}".lstrip("."), item) for index, item in enumerate(value)
            )
    return None


def accepts(*media_types: str):
    """Declare the body types a view reads itself, instead of JSON (e.g. CSV imports)."""

    def decorator(view):
        view.media_types = media_types
        return view

    return decorator


def _media_types() -> tuple[str, ...]:
    view = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    handler = getattr(view_class, request.method.lower(), None) if view_class else view
    return getattr(handler, "media_types", (JSON,))


def _require_json() -> None:
    if request.routing_exception is not None:
        return  # a 404 or 405 says more than a 415 would
    has_body = bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", ""
    )
    if request.method not in BODY_METHODS or not has_body:
        return
    accepted = _media_types()
    if request.mimetype in accepted or (JSON in accepted and request.is_json):
        return
    raise UnsupportedMediaTypeError(
        f"the body must be {' or '.join(accepted)}, not {request.mimetype or 'untyped'}",
        headers={"Accept-Post": ", ".join(accepted)},
    )


def init_app(app: Flask) -> None:
    app.before_request(_require_json)
