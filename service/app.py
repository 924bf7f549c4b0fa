"""The application factory: a table of contents of the service."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask.sessions import SessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from service import (
    caching,
    db,
    docs,
    etag,
    fields,
    health,
    indexing,
    json_bodies,
    origins,
    security,
)
from service.appearances.views import blp as appearances
from service.audit import recorder
from service.audit.views import blp as audit
from service.auth import access
from service.auth.views import blp as keys
from service.claimreview.views import blp as claimreview
from service.claims.schemas import DateOrToday
from service.claims.views import blp as claims
from service.config import Settings
from service.evidence.views import blp as evidence
from service.exchange import examples as exchange_formats
from service.exchange.views import blp as exchange
from service.idempotency import replay
from service.publishers.views import blp as publishers
from service.relations import redirects
from service.relations.views import blp as relations
from service.reviews.views import blp as reviews
from service.sources.views import blp as sources
from service.status_changes.views import blp as status_changes

BLUEPRINTS = (
    sources,
    claims,
    appearances,
    evidence,
    reviews,
    publishers,
    status_changes,
    relations,
    claimreview,
    exchange,
    keys,
    audit,
    health.blp,
)


class Stateless(SessionInterface):
    """No cookie session: the API authenticates each request by its key, and sets no cookies.

    (Flask would otherwise build a signed-cookie serializer on every request.)
    """

    def open_session(self, app, request):
        return self.make_null_session(app)

    def save_session(self, app, session, response) -> None:
        pass


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment; `overrides` (a mapping of Settings fields) wins."""
    settings = Settings.from_env().with_overrides(overrides or {})
    app = Flask(__name__)
    app.session_interface = Stateless()
    app.config.update(
        SETTINGS=settings,
        DATABASE_URL=settings.database_url,
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
    )
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # First: the origin links are built from is fixed or checked before anything else runs.
    origins.init_app(app)
    if settings.proxy_hops:
        # Behind load balancers: trust their X-Forwarded-* headers for links and logs (a base
        # URL, applied inside this, still wins for links).
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's middleware
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )

    db.init_app(app)
    recorder.watch(app.extensions["db"].sessionmaker)
    indexing.watch(app.extensions["db"].sessionmaker)
    security.init_app(app)
    etag.init_app(app)
    # Before replay: after_request runs in reverse, so replay still sees only the views' own
    # no-store (a new key's answer) when it decides what to keep, not this blanket one.
    caching.init_app(app)
    api = docs.init_app(app)
    access.init_app(app, api)  # before json_bodies: who asks comes before what they send
    redirects.init_app(app)  # a merged claim's URLs: after who asks, before what they send
    json_bodies.init_app(app)
    replay.init_app(app)  # Idempotency-Key: after authentication, which scopes the keys
    api.register_field(DateOrToday, None, None)  # its schema is its SPEC metadata
    api.spec.components.schema(fields.LANGUAGE_SCHEMA, fields.LANGUAGE_CODE)
    for name, schema in exchange_formats.COMPONENTS.items():  # schema.org's, not ours
        api.spec.components.schema(name, schema)
    api.register_converter(
        db.IdConverter, lambda c: {"type": "integer", "minimum": c.min, "maximum": c.max}
    )
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    return app
