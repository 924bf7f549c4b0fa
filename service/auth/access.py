"""Who may do what: every request is checked here, before its view runs.

A view declares the least role it needs with `@requires(blp, Role.X)`; that also documents
the bearer scheme and the 401/403 answers in the spec. Reads are open unless the deployment
says otherwise; a write with no declared rule is refused, so a new route fails closed.
"""

from __future__ import annotations

import logging
from typing import cast

from flask import Flask, current_app, g, request

from service import db
from service.auth.models import ApiKey, Role
from service.auth.service import ForbiddenError, authenticate

BEARER = "bearerAuth"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger(__name__)


def requires(blueprint, role: Role):
    """Declare (and document) the least role an operation needs."""

    def decorator(view):
        view = blueprint.alt_response(403, response="FORBIDDEN")(view)
        view = blueprint.alt_response(401, response="UNAUTHORIZED")(view)
        view = blueprint.doc(security=[{BEARER: []}])(view)
        view.access_role = role
        return view

    return decorator


def reads(view):
    """Declare a POST that only reads (its query is a body, as matching's text is): it is
    open as reads are, and no role is needed."""
    view.only_reads = True
    return view


def current_key() -> ApiKey | None:
    return g.get("api_key")


def _handler(endpoint: str, method: str):
    """The function that answers `method` at `endpoint`."""
    view = current_app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    method = "get" if method.lower() == "head" else method.lower()
    return getattr(view_class, method, None) if view_class else view


def rule_for(endpoint: str, method: str) -> Role | None:
    """The role declared on the view that answers `method` at `endpoint`, if any."""
    return getattr(_handler(endpoint, method), "access_role", None)


def _authorize() -> None:
    if request.routing_exception is not None or not request.path.startswith("/api/"):
        return
    endpoint = cast(str, request.endpoint)  # a matched route: no routing exception
    needed = rule_for(endpoint, request.method)
    unsafe = request.method not in SAFE_METHODS and not getattr(
        _handler(endpoint, request.method), "only_reads", False
    )
    if unsafe and needed is None:
        log.error("no access rule for %s %s: refused", request.method, request.endpoint)
        raise ForbiddenError("no access rule covers this operation")
    presented = request.headers.get("Authorization")
    settings = current_app.config["SETTINGS"]
    if needed is None and not presented and not settings.read_requires_key:
        return
    session = db.session()
    api_key = authenticate(session, presented, settings.secret_key)
    if needed is not None and not api_key.role.may_act_as(needed):
        raise ForbiddenError(
            f"a {api_key.role} key may not do this; it needs the {needed} role or above"
        )
    g.api_key = api_key
    session.info["actor"] = api_key.name


def init_app(app: Flask, api) -> None:
    api.spec.components.security_scheme(
        BEARER,
        {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key (`claimtrack keys create --name NAME --role ROLE`). "
            "Writes need one; reads too where the deployment says so.",
        },
    )
    app.before_request(_authorize)
