from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from service import db
from service.auth.access import requires
from service.auth.models import Role
from service.etag import ETAG_HEADER, conditional_write, etag_headers, fetch_for_write
from service.json_bodies import Blueprint
from service.publishers import service, vocabulary
from service.publishers.models import Publisher
from service.publishers.schemas import (
    AFP_FACTUAL,
    BuiltinRatingsOut,
    BuiltinRatingsQuery,
    PublisherIn,
    PublisherOut,
    PublisherPage,
    PublisherPatch,
    PublisherQuery,
    PublisherRatingOut,
    PublisherRatingPage,
    PublisherRatingQuery,
    RatingStatusIn,
)
from service.ratings import builtin

blp = Blueprint(
    "publishers",
    __name__,
    url_prefix="/api/v1",
    description="Fact-checking organisations whose reviews are recorded, and their rating "
    "vocabularies.",
)


@blp.route("/publishers")
class Publishers(MethodView):
    @blp.doc(operationId="listPublishers")
    @blp.arguments(PublisherQuery, location="query")
    @blp.response(200, PublisherPage)
    def get(self, query):
        """List publishers, oldest first"""
        page = service.list_publishers(db.session(), **query)
        return page, page.headers

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="createPublisher")
    @blp.arguments(PublisherIn, example=AFP_FACTUAL)
    @blp.response(201, PublisherOut, headers=ETAG_HEADER)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Record a publisher (one per site: a second one with the same host is 409)"""
        publisher = service.create_publisher(db.session(), data)
        db.session().commit()
        location = url_for("publishers.PublisherById", publisher_id=publisher.id)
        return publisher, {"Location": location, **etag_headers(publisher)}


@blp.route("/publishers/<id:publisher_id>")
class PublisherById(MethodView):
    @blp.doc(operationId="getPublisher")
    @blp.response(200, PublisherOut, headers=ETAG_HEADER)
    def get(self, publisher_id):
        """Read a publisher"""
        publisher = db.get_or_404(Publisher, publisher_id)
        return publisher, etag_headers(publisher)

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="updatePublisher")
    @conditional_write(blp)
    @blp.arguments(PublisherPatch(partial=True), example={"name": "AFP Factual (Spanish)"})
    @blp.response(200, PublisherOut, headers=ETAG_HEADER)
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, changes, publisher_id):
        """Rename a publisher or change its site"""
        publisher = fetch_for_write(Publisher, publisher_id)
        service.update_publisher(db.session(), publisher, changes)
        db.session().commit()
        return publisher, etag_headers(publisher)


@blp.route("/publishers/<id:publisher_id>/ratings")
class PublisherRatings(MethodView):
    @blp.doc(operationId="listPublisherRatings")
    @blp.arguments(PublisherRatingQuery, location="query")
    @blp.response(200, PublisherRatingPage)
    def get(self, query, publisher_id):
        """List a publisher's own rating vocabulary: each label and the status it means"""
        publisher = db.get_or_404(Publisher, publisher_id)
        page = service.list_ratings(db.session(), publisher, **query)
        return page, page.headers


@blp.route("/publishers/<id:publisher_id>/ratings/<path:label>")
class PublisherRatingByLabel(MethodView):
    @requires(blp, Role.EDITOR)
    @blp.doc(operationId="setPublisherRating")
    @blp.arguments(RatingStatusIn, example={"status": "mostly_false"})
    @blp.response(200, PublisherRatingOut)
    def put(self, data, publisher_id, label):
        """Say what one of the publisher's labels means

        Labels match case-, accent- and whitespace-insensitively; this entry beats the
        built-in vocabulary for the publisher's reviews. Its reviews with that label are
        mapped again at once, and the claims they review that have no verdict yet take it.
        """
        publisher = db.get_or_404(Publisher, publisher_id, for_update=True)
        entry = vocabulary.set_rating(db.session(), publisher, label, data["status"])
        db.session().commit()
        return entry

    @requires(blp, Role.EDITOR)
    @blp.doc(operationId="deletePublisherRating")
    @blp.response(204)
    def delete(self, publisher_id, label):
        """Remove a label from the publisher's vocabulary (the built-in one decides again)"""
        publisher = db.get_or_404(Publisher, publisher_id, for_update=True)
        vocabulary.remove_rating(db.session(), publisher, label)
        db.session().commit()


@blp.route("/ratings")
class BuiltinRatings(MethodView):
    @blp.doc(operationId="listBuiltinRatings")
    @blp.arguments(BuiltinRatingsQuery, location="query")
    @blp.response(200, BuiltinRatingsOut)
    def get(self, query):
        """The built-in multilingual rating vocabulary: labels, statuses and their sources

        It decides a rating's status where its publisher's own vocabulary has no entry.
        One page: it is a fixed list of a few hundred entries.
        """
        vocabulary_ = builtin()
        entries = [
            entry
            for entry in vocabulary_.entries
            if "lang" not in query or entry.lang == query["lang"]
        ]
        return {"items": entries, "next_cursor": None, "sources": vocabulary_.sources}
