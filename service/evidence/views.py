from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from service import db
from service.auth.access import requires
from service.auth.models import Role
from service.claims.models import Claim
from service.etag import (
    ETAG_HEADER,
    conditional_write,
    etag_headers,
    fetch_for_write,
    fetch_part_for_write,
)
from service.evidence import service
from service.evidence.models import Evidence
from service.evidence.schemas import (
    DAKHLA_EVIDENCE,
    EvidenceIn,
    EvidenceOut,
    EvidencePage,
    EvidencePatch,
    EvidenceQuery,
)
from service.json_bodies import Blueprint

blp = Blueprint(
    "evidence",
    __name__,
    url_prefix="/api/v1",
    description="Follow-up material for or against a claim.",
)


@blp.route("/claims/<id:claim_id>/evidence")
class ClaimEvidence(MethodView):
    @blp.doc(operationId="listClaimEvidence")
    @blp.arguments(EvidenceQuery, location="query")
    @blp.response(200, EvidencePage)
    def get(self, query, claim_id):
        """List a claim's evidence, oldest first"""
        claim = db.get_or_404(Claim, claim_id)
        page = service.list_evidence(db.session(), claim, **query)
        return page, page.headers

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="createEvidence")
    @conditional_write(blp)
    @blp.arguments(EvidenceIn, example=DAKHLA_EVIDENCE)
    @blp.response(201, EvidenceOut, headers=ETAG_HEADER)
    def post(self, data, claim_id):
        """Add evidence for or against a claim

        `If-Match` takes the claim's ETag: the evidence is added only to the claim as you
        read it.
        """
        claim = fetch_for_write(Claim, claim_id)
        evidence = service.add_evidence(db.session(), claim, data)
        db.session().commit()
        location = url_for("evidence.EvidenceById", evidence_id=evidence.id)
        return evidence, {"Location": location, **etag_headers(evidence)}


@blp.route("/evidence/<id:evidence_id>")
class EvidenceById(MethodView):
    @blp.doc(operationId="getEvidence")
    @blp.response(200, EvidenceOut, headers=ETAG_HEADER)
    def get(self, evidence_id):
        """Read an evidence item"""
        evidence = db.get_or_404(Evidence, evidence_id)
        return evidence, etag_headers(evidence)

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="updateEvidence")
    @conditional_write(blp)
    @blp.arguments(EvidencePatch(partial=True), example={"stance": "refutes"})
    @blp.response(200, EvidenceOut, headers=ETAG_HEADER)
    def patch(self, changes, evidence_id):
        """Change an evidence item"""
        evidence = fetch_part_for_write(Evidence, evidence_id, Claim)
        service.update_evidence(db.session(), evidence, changes)
        db.session().commit()
        return evidence, etag_headers(evidence)

    @requires(blp, Role.EDITOR)
    @blp.doc(operationId="deleteEvidence")
    @conditional_write(blp)
    @blp.response(204)
    @blp.alt_response(409, response="CONFLICT")
    def delete(self, evidence_id):
        """Delete an evidence item the timeline does not cite"""
        evidence = fetch_part_for_write(Evidence, evidence_id, Claim)
        service.delete_evidence(db.session(), evidence)
        db.session().commit()
