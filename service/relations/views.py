from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from service import db
from service.auth.access import requires
from service.auth.models import Role
from service.claims.models import Claim
from service.claims.schemas import ClaimOut
from service.errors import NotFoundError
from service.etag import (
    ETAG_HEADER,
    conditional_write,
    etag_headers,
    fetch_for_write,
    fetch_part_for_write,
)
from service.json_bodies import Blueprint
from service.relations import merging, service
from service.relations.models import Relation
from service.relations.schemas import (
    DUPLICATE_RELATION,
    MergeIn,
    RelationIn,
    RelationOut,
    RelationPage,
    RelationQuery,
)

blp = Blueprint(
    "relations",
    __name__,
    url_prefix="/api/v1",
    description="Relations between claims (duplicate, contradiction, succession, related), "
    "and merges of one claim into another.",
)


@blp.route("/claims/<id:claim_id>/relations")
class ClaimRelations(MethodView):
    @blp.doc(operationId="listClaimRelations")
    @blp.arguments(RelationQuery, location="query")
    @blp.response(200, RelationPage)
    def get(self, query, claim_id):
        """List the relations from a claim and to it, oldest first"""
        claim = db.get_or_404(Claim, claim_id)
        page = service.list_relations(db.session(), claim, **query)
        return page, page.headers

    @requires(blp, Role.RESEARCHER)
    @blp.doc(operationId="createRelation")
    @conditional_write(blp)
    @blp.arguments(RelationIn, example=DUPLICATE_RELATION)
    @blp.response(201, RelationOut, headers=ETAG_HEADER)
    def post(self, data, claim_id):
        """Relate a claim to another

        One relation of each type between two claims: `contradicts` and `related` read the
        same from either end, so the reverse of one is the same relation (422).
        `If-Match` takes the claim's ETag.
        """
        claim = fetch_for_write(Claim, claim_id)
        relation = service.add_relation(db.session(), claim, data)
        db.session().commit()
        location = url_for("relations.RelationById", relation_id=relation.id)
        return relation, {"Location": location, **etag_headers(relation)}


@blp.route("/relations/<id:relation_id>")
class RelationById(MethodView):
    @blp.doc(operationId="getRelation")
    @blp.response(200, RelationOut, headers=ETAG_HEADER)
    def get(self, relation_id):
        """Read a relation"""
        relation = db.get_or_404(Relation, relation_id)
        return relation, etag_headers(relation)

    @requires(blp, Role.EDITOR)
    @blp.doc(operationId="deleteRelation")
    @conditional_write(blp)
    @blp.response(204)
    def delete(self, relation_id):
        """Delete a relation"""
        relation = fetch_part_for_write(Relation, relation_id, Claim)
        service.delete_relation(db.session(), relation)
        db.session().commit()


@blp.route("/claims/<id:claim_id>/merge")
class ClaimMerge(MethodView):
    @requires(blp, Role.EDITOR)
    @blp.doc(operationId="mergeClaim")
    @conditional_write(blp)
    @blp.arguments(MergeIn, example={"into": 2, "into_etag": '"2-5"'})
    @blp.response(200, ClaimOut, headers=ETAG_HEADER)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data, claim_id):
        """Merge a claim into another (editors)

        The claim's appearances, evidence, reviews, relations and tags move to the target
        (`into`), and a status change on the target records the merge; a record the target
        holds already stays with the merged claim, so no row is lost. From then on the
        merged claim's URLs answer 308 to the target's, and writes to it are 409
        `claim-merged`. `If-Match` takes this claim's ETag and `into_etag` the target's.
        Answers the target as it is now.
        """
        session = db.session()
        merged, target = merging.lock_pair(session, claim_id, data["into"])
        if merged is None:
            raise NotFoundError(f"claim {claim_id} does not exist")
        target = merging.check_merge(merged, target, data["into"], data.get("into_etag"))
        merging.merge(session, merged, target)
        session.commit()
        location = url_for("claims.ClaimById", claim_id=target.id)
        return target, {"Content-Location": location, **etag_headers(target)}
