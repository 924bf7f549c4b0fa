from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from service import db
from service.appearances import service
from service.appearances.models import Appearance
from service.appearances.schemas import (
    DAKHLA_QUOTE,
    AppearanceIn,
    AppearanceOut,
    AppearancePage,
    AppearancePatch,
    AppearanceQuery,
)
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

blp = Blueprint(
    "appearances",
    __name__,
    url_prefix="/api/v1",
    description="Where claims appear: quotes anchored in their sources' text.",
)


@blp.route("/claims/<id:claim_id>/appearances")
class ClaimAppearances(MethodView):
    @blp.doc(operationId="listClaimAppearances")
    @blp.arguments(AppearanceQuery, location="query")
    @blp.response(200, AppearancePage)
    def get(self, query, claim_id):
        """List where a claim appears"""
        claim = db.get_or_404(Claim, claim_id)
        page = service.list_appearances(db.session(), claim, **query)
        return page, page.headers

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="createAppearance")
    @conditional_write(blp)
    @blp.arguments(AppearanceIn, example=DAKHLA_QUOTE)
    @blp.response(201, AppearanceOut, headers=ETAG_HEADER)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, claim_id):
        """Anchor a quote of the claim in a source's text

        The quote must stand in the source's text exactly; when it stands there more than
        once, pass `start` to choose (the 422 lists the candidates). A source without text
        keeps the quote unanchored. `If-Match` takes the claim's ETag.
        """
        claim = fetch_for_write(Claim, claim_id)
        appearance = service.add_appearance(db.session(), claim, data)
        db.session().commit()
        location = url_for("appearances.AppearanceById", appearance_id=appearance.id)
        return appearance, {"Location": location, **etag_headers(appearance)}


@blp.route("/appearances/<id:appearance_id>")
class AppearanceById(MethodView):
    @blp.doc(operationId="getAppearance")
    @blp.response(200, AppearanceOut, headers=ETAG_HEADER)
    def get(self, appearance_id):
        """Read an appearance"""
        appearance = db.get_or_404(Appearance, appearance_id)
        return appearance, etag_headers(appearance)

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="updateAppearance")
    @conditional_write(blp)
    @blp.arguments(AppearancePatch(partial=True), example={"start": 1407})
    @blp.response(200, AppearanceOut, headers=ETAG_HEADER)
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, changes, appearance_id):
        """Correct a quote or choose another occurrence of it"""
        appearance = fetch_part_for_write(Appearance, appearance_id, Claim)
        service.update_appearance(db.session(), appearance, changes)
        db.session().commit()
        return appearance, etag_headers(appearance)

    @requires(blp, Role.EDITOR)
    @blp.doc(operationId="deleteAppearance")
    @conditional_write(blp)
    @blp.response(204)
    def delete(self, appearance_id):
        """Delete an appearance"""
        appearance = fetch_part_for_write(Appearance, appearance_id, Claim)
        service.delete_appearance(db.session(), appearance)
        db.session().commit()
