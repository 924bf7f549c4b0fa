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
from service.json_bodies import Blueprint
from service.reviews import service
from service.reviews.models import Review
from service.reviews.schemas import (
    AFP_REVIEW,
    ReviewIn,
    ReviewOut,
    ReviewPage,
    ReviewPatch,
    ReviewQuery,
)

blp = Blueprint(
    "reviews",
    __name__,
    url_prefix="/api/v1",
    description="Other publishers' published verdicts on a claim, with their ratings as written.",
)


@blp.route("/claims/<id:claim_id>/reviews")
class ClaimReviews(MethodView):
    @blp.doc(operationId="listClaimReviews")
    @blp.arguments(ReviewQuery, location="query")
    @blp.response(200, ReviewPage)
    def get(self, query, claim_id):
        """List a claim's reviews by other publishers, oldest first"""
        claim = db.get_or_404(Claim, claim_id)
        page = service.list_reviews(db.session(), claim, **query)
        return page, page.headers

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="createReview")
    @conditional_write(blp)
    @blp.arguments(ReviewIn, example=AFP_REVIEW)
    @blp.response(201, ReviewOut, headers=ETAG_HEADER)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, claim_id):
        """Add a publisher's review of a claim

        The rating is kept as written. When it maps to a verdict (the publisher's own
        vocabulary first, then the built-in one; the number only when there is no label)
        and the claim has no verdict yet, the claim moves to it by a status change that
        cites the review. `If-Match` takes the claim's ETag.
        """
        claim = fetch_for_write(Claim, claim_id)
        review = service.add_review(db.session(), claim, data)
        db.session().commit()
        location = url_for("reviews.ReviewById", review_id=review.id)
        return review, {"Location": location, **etag_headers(review)}


@blp.route("/reviews/<id:review_id>")
class ReviewById(MethodView):
    @blp.doc(operationId="getReview")
    @blp.response(200, ReviewOut, headers=ETAG_HEADER)
    def get(self, review_id):
        """Read a review"""
        review = db.get_or_404(Review, review_id)
        return review, etag_headers(review)

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="updateReview")
    @conditional_write(blp)
    @blp.arguments(ReviewPatch(partial=True), example={"headline": "A corrected headline"})
    @blp.response(200, ReviewOut, headers=ETAG_HEADER)
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, changes, review_id):
        """Change a review"""
        review = fetch_part_for_write(Review, review_id, Claim)
        service.update_review(db.session(), review, changes)
        db.session().commit()
        return review, etag_headers(review)

    @requires(blp, Role.EDITOR)
    @blp.doc(operationId="deleteReview")
    @conditional_write(blp)
    @blp.response(204)
    @blp.alt_response(409, response="CONFLICT")
    def delete(self, review_id):
        """Delete a review the timeline does not cite"""
        review = fetch_part_for_write(Review, review_id, Claim)
        service.delete_review(db.session(), review)
        db.session().commit()
