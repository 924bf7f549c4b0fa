from __future__ import annotations

import marshmallow as ma
from flask import Response, current_app, json, url_for
from flask.views import MethodView

from service import db
from service.claimreview.builder import claim_review
from service.claims.models import Claim
from service.etag import ETAG_HEADER, etag_headers
from service.json_bodies import Blueprint

JSON_LD = "application/ld+json"
blp = Blueprint(
    "claimreview",
    __name__,
    url_prefix="/api/v1",
    description="Claims as schema.org ClaimReview, for fact-check aggregators.",
)


class ClaimReviewOut(ma.Schema):
    """schema.org ClaimReview (JSON-LD); see https://schema.org/ClaimReview."""

    context = ma.fields.String(data_key="@context", metadata={"example": "https://schema.org"})
    type = ma.fields.String(data_key="@type", metadata={"example": "ClaimReview"})
    url = ma.fields.String()
    claimReviewed = ma.fields.String()  # noqa: N815 (schema.org's names)
    datePublished = ma.fields.String()  # noqa: N815
    dateModified = ma.fields.String()  # noqa: N815
    reviewBody = ma.fields.String(  # noqa: N815
        metadata={"sometimes_absent": True, "description": "The claim's summary, if any."}
    )
    inLanguage = ma.fields.String(  # noqa: N815
        metadata={"sometimes_absent": True, "description": "Absent when undetermined (`und`)."}
    )
    author = ma.fields.Dict()
    itemReviewed = ma.fields.Dict(  # noqa: N815
        metadata={"description": "The Claim: its author, appearance and firstAppearance."}
    )
    reviewRating = ma.fields.Dict(  # noqa: N815
        metadata={"description": "ratingValue 1-5 (absent before a verdict), alternateName."}
    )


@blp.route("/claims/<id:claim_id>/claimreview")
class ClaimReviewOfClaim(MethodView):
    @blp.doc(operationId="getClaimReview")
    @blp.response(200, ClaimReviewOut, content_type=JSON_LD, headers=ETAG_HEADER)
    def get(self, claim_id):
        """The claim as schema.org ClaimReview JSON-LD"""
        claim = db.get_or_404(Claim, claim_id)
        review = claim_review(
            claim,
            url=url_for("claims.ClaimById", claim_id=claim.id, _external=True),
            organization=current_app.config["SETTINGS"].organization,
            last_change_at=claim.status_changed_at,
        )
        response = Response(json.dumps(review), mimetype=JSON_LD)
        response.headers.update(etag_headers(claim))
        return response
