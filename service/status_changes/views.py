from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from service import db
from service.auth.access import requires
from service.auth.models import Role
from service.claims.models import Claim
from service.etag import ETAG_HEADER, conditional_write, etag_headers, fetch_for_write
from service.json_bodies import Blueprint
from service.status_changes import service
from service.status_changes.models import StatusChange
from service.status_changes.schemas import (
    DAKHLA_MOVE,
    StatusChangeIn,
    StatusChangeOut,
    StatusChangePage,
    StatusChangeQuery,
    TimelineOut,
)

blp = Blueprint(
    "status-changes",
    __name__,
    url_prefix="/api/v1",
    description="The claims' timelines: append-only moves from status to status, with reasons.",
)


@blp.route("/claims/<id:claim_id>/status-changes")
class ClaimStatusChanges(MethodView):
    @blp.doc(operationId="listStatusChanges")
    @blp.arguments(StatusChangeQuery, location="query")
    @blp.response(200, StatusChangePage)
    def get(self, query, claim_id):
        """List a claim's status changes, oldest first (the first records its creation)"""
        claim = db.get_or_404(Claim, claim_id)
        page = service.list_changes(db.session(), claim, **query)
        return page, page.headers

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="createStatusChange")
    @conditional_write(blp)
    @blp.arguments(StatusChangeIn, example=DAKHLA_MOVE)
    @blp.response(201, StatusChangeOut, headers=ETAG_HEADER)
    def post(self, data, claim_id):
        """Move a claim to another status, saying why and on which evidence

        `If-Match` takes the claim's ETag: the move applies only to the claim as you read it.
        A verdict or outcome needs evidence on the claim.
        """
        claim = fetch_for_write(Claim, claim_id)
        change = service.change_status(db.session(), claim, data)
        db.session().commit()
        location = url_for("status-changes.StatusChangeById", status_change_id=change.id)
        return change, {"Location": location, **etag_headers(change)}


@blp.route("/status-changes/<id:status_change_id>")
class StatusChangeById(MethodView):
    @blp.doc(operationId="getStatusChange")
    @blp.response(200, StatusChangeOut, headers=ETAG_HEADER)
    def get(self, status_change_id):
        """Read one status change (they never change)"""
        change = db.get_or_404(StatusChange, status_change_id)
        return change, etag_headers(change)


@blp.route("/claims/<id:claim_id>/timeline")
class ClaimTimeline(MethodView):
    @blp.doc(operationId="getClaimTimeline")
    @blp.response(200, TimelineOut)
    def get(self, claim_id):
        """A claim's story: its status changes and evidence, in the order they happened"""
        claim = db.get_or_404(Claim, claim_id)
        return service.timeline(db.session(), claim)
