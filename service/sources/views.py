from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from service import db
from service.auth.access import requires
from service.auth.models import Role
from service.claims import service as claims
from service.claims.schemas import ClaimPage, SourceClaimQuery
from service.etag import ETAG_HEADER, conditional_write, etag_headers, fetch_for_write
from service.json_bodies import Blueprint
from service.sources import service
from service.sources.models import Source
from service.sources.schemas import (
    DAKHLA_ARTICLE,
    SourceIn,
    SourceOut,
    SourcePage,
    SourcePatch,
    SourceQuery,
)

blp = Blueprint(
    "sources",
    __name__,
    url_prefix="/api/v1/sources",
    description="Documents where claims appear or where evidence comes from.",
)


@blp.route("")
class Sources(MethodView):
    @blp.doc(operationId="listSources")
    @blp.arguments(SourceQuery, location="query")
    @blp.response(200, SourcePage)
    def get(self, query):
        """List sources, newest first"""
        page = service.list_sources(db.session(), **query)
        return page, page.headers

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="createSource")
    @blp.arguments(SourceIn, example=DAKHLA_ARTICLE)
    @blp.response(201, SourceOut, headers=ETAG_HEADER)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Add a source (409 names the existing one when its URL is known)"""
        source = service.create_source(db.session(), data)
        db.session().commit()
        location = url_for("sources.SourceById", source_id=source.id)
        return source, {"Location": location, **etag_headers(source)}


@blp.route("/<id:source_id>")
class SourceById(MethodView):
    @blp.doc(operationId="getSource")
    @blp.response(200, SourceOut, headers=ETAG_HEADER)
    def get(self, source_id):
        """Read a source"""
        source = db.get_or_404(Source, source_id)
        return source, etag_headers(source)

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="updateSource")
    @conditional_write(blp)
    @blp.arguments(SourcePatch(partial=True), example={"title": DAKHLA_ARTICLE["title"]})
    @blp.response(200, SourceOut, headers=ETAG_HEADER)
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, changes, source_id):
        """Change a source; quotes in it are re-anchored when its text changes"""
        source = fetch_for_write(Source, source_id)
        service.update_source(db.session(), source, changes)
        db.session().commit()
        return source, etag_headers(source)

    @requires(blp, Role.EDITOR)
    @blp.doc(operationId="deleteSource")
    @conditional_write(blp)
    @blp.response(204)
    @blp.alt_response(409, response="CONFLICT")
    def delete(self, source_id):
        """Delete a source no claim appears in"""
        source = fetch_for_write(Source, source_id)
        service.delete_source(db.session(), source)
        db.session().commit()


@blp.route("/<id:source_id>/claims")
class SourceClaims(MethodView):
    @blp.doc(operationId="listSourceClaims")
    @blp.arguments(SourceClaimQuery, location="query")
    @blp.response(200, ClaimPage)
    def get(self, query, source_id):
        """List the claims that appear in a source"""
        db.get_or_404(Source, source_id)
        return claims.list_claims(db.session(), **query, source_id=source_id).response()
