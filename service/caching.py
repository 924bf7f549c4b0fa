"""Cache-Control on every answer: what a cache may keep, and for whom.

An answer to a request that sent credentials, or from an operation that needs the admin
role (API keys, the audit log), is `no-store`: no cache, shared or private, keeps it. A
public answer is `no-cache`: a cache may keep it but must revalidate with its ETag first, so
no reader sees a claim's old status. A public answer whose view chose its own policy keeps
it (Flask's static files, Swagger UI's assets, are `no-cache` with their ETag and date).
"""

from __future__ import annotations

from flask import Flask, Response, request

from service.auth import access
from service.auth.models import Role

PUBLIC_METHODS = frozenset({"GET", "HEAD"})


def _private(endpoint: str | None, method: str) -> bool:
    if "Authorization" in request.headers:
        return True
    return endpoint is not None and access.rule_for(endpoint, method) == Role.ADMIN


def _set_cache_control(response: Response) -> Response:
    if _private(request.endpoint, request.method):
        response.headers["Cache-Control"] = "no-store"
    elif request.method not in PUBLIC_METHODS:
        response.headers.setdefault("Cache-Control", "no-store")
    else:
        response.headers.setdefault("Cache-Control", "no-cache")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_set_cache_control)
