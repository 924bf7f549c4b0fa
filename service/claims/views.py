from __future__ import annotations

from flask import current_app, url_for
from flask.views import MethodView
from werkzeug.datastructures import Headers

from service import db
from service.auth.access import reads, requires
from service.auth.models import Role
from service.claims import documents, matching, service
from service.claims.models import Claim
from service.claims.schemas import (
    DAKHLA_CLAIM,
    ClaimDeleteQuery,
    ClaimIn,
    ClaimOut,
    ClaimPage,
    ClaimPatch,
    ClaimQuery,
    MatchIn,
    MatchPage,
    SimilarQuery,
)
from service.errors import NotFoundError
from service.etag import ETAG_HEADER, conditional_write, etag_headers, fetch_for_write
from service.json_bodies import Blueprint
from service.relations import redirects

DUPLICATE_HEADER = {
    "Link": {
        "description": 'Each likely duplicate: `</api/v1/claims/{id}>; rel="duplicate"`.',
        "schema": {"type": "string"},
    }
}

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
    @blp.response(201, ClaimOut, headers={**ETAG_HEADER, **DUPLICATE_HEADER})
    def post(self, data):
        """Record a claim, in its kind's initial status

        The claim is stored even when the archive holds one that says the same: each stored
        claim whose match scores at least CLAIMTRACK_DUPLICATE_THRESHOLD is named in a
        `Link: </api/v1/claims/{id}>; rel="duplicate"` header, best first.
        """
        claim = service.create_claim(db.session(), data)
        duplicates = matching.duplicates(
            db.session().connection(),
            claim,
            current_app.config["SETTINGS"].duplicate_threshold,
        )
        db.session().commit()
        headers = Headers({"Location": url_for("claims.ClaimById", claim_id=claim.id)})
        headers.update(etag_headers(claim))
        for claim_id in duplicates:
            link = url_for("claims.ClaimById", claim_id=claim_id)
            headers.add("Link", f'<{link}>; rel="duplicate"')
        return claim, headers


@blp.route("/match")
class ClaimMatch(MethodView):
    @reads
    @blp.doc(operationId="matchClaims")
    @blp.arguments(MatchIn, example={"text": "US consulate opens in Dakhla", "limit": 5})
    @blp.response(200, MatchPage)
    def post(self, data):
        """Find the stored claims that say what a text says

        Any text (a tweet, a headline, a paragraph), in any language the archive analyses.
        Its words are looked up in the full-text index (any of them, not all), and the
        candidates ranked by BM25 over each claim's text, summary, quotes, evidence and
        review headlines.
        Open to every reader: it writes nothing.
        """
        found = matching.match(
            db.connection(), data["text"], language=data.get("language"), limit=data["limit"]
        )
        return _matches(found)


@blp.route("/<id:claim_id>/similar")
class SimilarClaims(MethodView):
    @blp.doc(operationId="listSimilarClaims")
    @blp.arguments(SimilarQuery, location="query")
    @blp.response(200, MatchPage)
    def get(self, query, claim_id):
        """Find the stored claims that say what this claim says, without it"""
        found = documents.claim_document(db.connection(), claim_id)
        if found is None:
            raise NotFoundError(f"claim {claim_id} does not exist")
        claim = found.body
        similar = matching.match(
            db.connection(),
            claim["text"],
            language=claim["language"],
            limit=query["limit"],
            exclude={claim_id},
        )
        return _matches(similar)


def _matches(found: list[matching.Match]):
    """The matches with their claim documents (already ClaimOut's: answered as they are)."""
    scores = {match.claim_id: match.score for match in found}
    claims = documents.claim_documents(db.connection(), list(scores))
    items = [{"claim": claim.body, "score": scores[claim.body["id"]]} for claim in claims]
    return current_app.json.response({"items": items})


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
