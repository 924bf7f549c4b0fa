from __future__ import annotations

import marshmallow as ma

from service import fields
from service.claims.statuses import Status
from service.evidence.schemas import EvidenceOut
from service.pagination import PageQuery, page_schema

DAKHLA_MOVE = {
    "status": "in_progress",
    "rationale": "A US consular team visited Dakhla in October 2025; the project is moving again.",
    "evidence_ids": [1],
    "review_due": "2026-06-30",
}
MAX_CITED = 100


class StatusChangeIn(ma.Schema):
    status = ma.fields.Enum(
        Status, by_value=True, required=True, metadata={"description": "One of the claim kind's."}
    )
    rationale = fields.text(
        10_000, required=True, metadata={"description": "Why: what the evidence shows."}
    )
    evidence_ids = ma.fields.List(
        ma.fields.Integer(validate=ma.validate.Range(1, 2**31 - 1)),
        load_default=list,
        validate=ma.validate.Length(max=MAX_CITED),
        metadata={"description": "Evidence of this claim that the change rests on."},
    )
    review_ids = ma.fields.List(
        ma.fields.Integer(validate=ma.validate.Range(1, 2**31 - 1)),
        load_default=list,
        validate=ma.validate.Length(max=MAX_CITED),
        metadata={"description": "Reviews of this claim (other publishers') it rests on."},
    )
    review_due = ma.fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "When to look again; becomes the claim's `review_due`."},
    )


class StatusChangeOut(fields.RecordedOut):
    id = ma.fields.Integer()
    claim_id = ma.fields.Integer()
    from_status = ma.fields.Enum(Status, by_value=True, allow_none=True)
    to_status = ma.fields.Enum(Status, by_value=True)
    rationale = ma.fields.String()
    evidence_ids = ma.fields.List(ma.fields.Integer())
    review_ids = ma.fields.List(ma.fields.Integer())
    review_due = ma.fields.Date(allow_none=True)
    merged_claim_id = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "On the entry that records a merge into this claim: the claim "
            "merged (the status stays as it was)."
        },
    )
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class TimelineEntryOut(ma.Schema):
    date = ma.fields.Date(metadata={"description": "When it happened (evidence: published)."})
    kind = ma.fields.String(
        validate=ma.validate.OneOf(["status_change", "evidence"]),
        metadata={"description": "Which of `status_change` and `evidence` this entry holds."},
    )
    headline = ma.fields.String(metadata={"description": "One line for a person to read."})
    status_change = ma.fields.Nested(StatusChangeOut, allow_none=True)
    evidence = ma.fields.Nested(EvidenceOut, allow_none=True)


class TimelineOut(ma.Schema):
    claim_id = ma.fields.Integer()
    status = ma.fields.Enum(Status, by_value=True)
    entries = ma.fields.List(ma.fields.Nested(TimelineEntryOut))


StatusChangePage = page_schema(StatusChangeOut)
StatusChangeQuery = PageQuery
