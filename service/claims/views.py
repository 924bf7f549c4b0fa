from __future__ import annotations

from flask import current_app, url_for
from flask.views import MethodView

from service import db
from service.auth.access import requires
from service.auth.models import Role
from service.claims import documents, service
from service.claims.models import Claim
from service.claims.schemas import (
    DAKHLA_CLAIM,
    ClaimDeleteQuery,
    ClaimIn,
    ClaimOut,
    ClaimPage,
    ClaimPatch,
    ClaimQuery,
)
from service.errors import NotFoundError
from service.etag import ETAG_HEADER, conditional_write, etag_headers, fetch_for_write
from service.json_bodies import Blueprint
from service.relations import redirects

blp = Blueprint(
    "claims",
    __name__,
    url_prefix="/api/v1/claims",
    description="Checkable statements and promises, tracked through their statuses.",
)


@blp.route("")
class Claims(MethodView):
    @blp.doc(operationId="listClaims")
    @blp.arguments(ClaimQuery, location="query")
    @blp.response(200, ClaimPage)
    def get(self, query):
        """List claims, newest first, filtered"""
        return service.list_claims(db.session(), **query).response()  # documents already

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="createClaim")
    @blp.arguments(ClaimIn, example=DAKHLA_CLAIM)
    @blp.response(201, ClaimOut, headers=ETAG_HEADER)
    def post(self, data):
        """Record a claim, in its kind's initial status"""
        claim = service.create_claim(db.session(), data)
        db.session().commit()
        location = url_for("claims.ClaimById", claim_id=claim.id)
        return claim, {"Location": location, **etag_headers(claim)}


@blp.route("/<id:claim_id>")
class ClaimById(MethodView):
    @blp.doc(operationId="getClaim")
    @blp.response(200, ClaimOut, headers=ETAG_HEADER)
    def get(self, claim_id):
        """Read a claim with its appearances"""
        found = documents.claim_document(db.connection(), claim_id)
        if found is None:
            raise NotFoundError(f"claim {claim_id} does not exist")
        if found.body["merged_into_id"] is not None:
            return redirects.redirect_to(found.body["merged_into_id"])
        # Already a ClaimOut document (see documents.py): answered as it is, not dumped again.
        response = current_app.json.response(found.body)
        response.headers["ETag"] = found.etag
        return response

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="updateClaim")
    @conditional_write(blp)
    @blp.arguments(ClaimPatch(partial=True), example={"review_due": "2026-12-31"})
    @blp.response(200, ClaimOut, headers=ETAG_HEADER)
    def patch(self, changes, claim_id):
        """Change a claim's text, tags, summary or follow-up date"""
        claim = fetch_for_write(Claim, claim_id)
        service.update_claim(db.session(), claim, changes)
        db.session().commit()
        return claim, etag_headers(claim)

    @requires(blp, Role.EDITOR)
    @blp.doc(operationId="deleteClaim")
    @conditional_write(blp)
    @blp.arguments(ClaimDeleteQuery, location="query")
    @blp.response(204)
    @blp.alt_response(409, response="CONFLICT")
    def delete(self, query, claim_id):
        """Delete a claim with its appearances and evidence

        A claim whose timeline has moved past its creation is history: deleting it takes
        `force=true`, and the audit log keeps the deletion.
        """
        claim = fetch_for_write(Claim, claim_id)
        service.delete_claim(db.session(), claim, force=query["force"])
        db.session().commit()
