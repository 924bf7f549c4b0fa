from __future__ import annotations

from flask.views import MethodView

from service import db
from service.audit import service
from service.audit.schemas import AuditEventPage, AuditQuery
from service.auth.access import requires
from service.auth.models import Role
from service.json_bodies import Blueprint

blp = Blueprint(
    "audit", __name__, url_prefix="/api/v1/audit", description="Who wrote what (admins only)."
)


@blp.route("")
class AuditLog(MethodView):
    @requires(blp, Role.ADMIN)
    @blp.doc(operationId="listAuditEvents")
    @blp.arguments(AuditQuery, location="query")
    @blp.response(200, AuditEventPage)
    def get(self, query):
        """Read the audit log, newest first, by resource and actor"""
        page = service.list_events(db.session(), **query)
        return page, page.headers
