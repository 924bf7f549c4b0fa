from __future__ import annotations

import marshmallow as ma

from service import fields
from service.pagination import PageQuery, page_schema
from service.relations.models import RelationType

DIRECTIONS = ("out", "in")
DUPLICATE_RELATION = {
    "type": "duplicate_of",
    "target_id": 2,
    "note": "The same statement, reported by another outlet.",
}


class RelationIn(ma.Schema):
    type = ma.fields.Enum(
        RelationType,
        by_value=True,
        required=True,
        metadata={
            "description": "`duplicate_of`, `supersedes`: from this claim to the target. "
            "`contradicts`, `related`: the same read from either end."
        },
    )
    target_id = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(1, 2**31 - 1),
        metadata={"description": "The other claim."},
    )
    note = fields.text(2_000, allow_none=True, metadata={"description": "Why they are related."})


class RelationOut(fields.RecordedOut):
    id = ma.fields.Integer()
    type = ma.fields.Enum(RelationType, by_value=True)
    claim_id = ma.fields.Integer(metadata={"description": "The claim the relation starts at."})
    target_id = ma.fields.Integer(metadata={"description": "The claim it points to."})
    direction = ma.fields.String(
        validate=ma.validate.OneOf(DIRECTIONS),
        metadata={
            "description": "In a claim's list (absent elsewhere): `out` when the relation "
            "starts at that claim, `in` when it points to it.",
            "sometimes_absent": True,
        },
    )
    other_claim_id = ma.fields.Integer(
        metadata={
            "description": "In a claim's list (absent elsewhere): the claim at the relation's "
            "other end.",
            "sometimes_absent": True,
        }
    )
    note = ma.fields.String(allow_none=True)
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class RelationQuery(PageQuery):
    type = ma.fields.List(
        ma.fields.Enum(RelationType, by_value=True),
        metadata={"description": "Any of these types (repeat)."},
    )
    direction = ma.fields.String(
        validate=ma.validate.OneOf(DIRECTIONS),
        metadata={"description": "Only relations from (`out`) or to (`in`) the claim."},
    )


class MergeIn(ma.Schema):
    into = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(1, 2**31 - 1),
        metadata={"description": "The claim that stays: it receives this claim's records."},
    )
    into_etag = ma.fields.String(
        validate=ma.validate.Length(min=1, max=100),
        metadata={
            "description": "The target's ETag, as its GET gave it: the merge applies only "
            "if the target is still as you read it (412 otherwise). `If-Match` holds this "
            "claim's own.",
            "example": '"2-5"',
        },
    )


RelationPage = page_schema(RelationOut)
