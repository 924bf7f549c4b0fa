"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service import db
from service.errors import ProblemError
from service.json_bodies import Blueprint

blp = Blueprint("health", __name__, description="Is the service up, and can it reach its database?")


class ServiceUnavailableError(ProblemError):
    status = 503
    slug = "not-ready"


class HealthOut(ma.Schema):
    status = ma.fields.String(metadata={"example": "ok"})


@blp.route("/health")
class Health(MethodView):
    @blp.doc(operationId="getHealth")
    @blp.response(200, HealthOut)
    def get(self):
        """The process is up"""
        return {"status": "ok"}


@blp.route("/ready")
class Ready(MethodView):
    @blp.doc(operationId="getReadiness")
    @blp.response(200, HealthOut)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self):
        """The database answers"""
        try:
            db.session().execute(text("SELECT 1"))
        except SQLAlchemyError:
            raise ServiceUnavailableError("the database does not answer") from None
        return {"status": "ready"}
