"""The exchange formats' schemas: one claim record (an NDJSON line), queries and reports.

A record is what `GET /api/v1/export/claims` writes on each line and what the imports read:
the claim with its appearances, evidence and timeline, its sources given whole (URL and
fields, text included) so that another database can re-anchor the quotes. CSV rows and
ClaimReview objects are turned into records before they are checked, so that every format
meets the same rules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import marshmallow as ma

from service import fields
from service.appearances.models import AnchorState
from service.appearances.schemas import MAX_QUOTE_LENGTH
from service.claims.schemas import ClaimFields, ClaimQuery
from service.claims.sorting import SORT_NAMES
from service.claims.statuses import INITIAL_STATUS, ClaimKind, Status
from service.evidence.schemas import EvidenceIn
from service.publishers.schemas import PublisherIn
from service.relations.models import RelationType
from service.reviews.schemas import CLAIMANT_TYPES, PublishedAt
from service.sources.schemas import SourceIn
from service.status_changes import rules
from service.status_changes.rules import Move
from service.status_changes.schemas import MAX_CITED

FORMATS = ("ndjson", "csv")
DEFAULT_MAX_ERRORS = 100
MODES = ("all", "partial")


def _author(**kwargs) -> ma.fields.String:
    return fields.text(
        100, allow_none=True, metadata={"description": "Who, as recorded."}, **kwargs
    )


class Provenance(ma.Schema):
    """A record's identity, and when and by whom it was made where it comes from.

    An import keeps the uid, and keeps the file's authors and dates as `original_author` and
    `original_created_at` (those given, else `created_by` and `created_at`): the rows it
    writes are created by the importer's key, now.
    """

    uid = ma.fields.UUID(
        allow_none=True,
        metadata={"description": "The record's uid: an import finds a stored record by it."},
    )
    created_at = ma.fields.AwareDateTime(allow_none=True)
    created_by = _author()
    original_author = _author()
    original_created_at = ma.fields.AwareDateTime(allow_none=True)


def _language_detected() -> ma.fields.Boolean:
    return ma.fields.Boolean(
        metadata={"description": "Kept with `language`: whether it was detected where exported."}
    )


class SourceRecord(SourceIn, Provenance):
    """A source, matched by its uid, then by normalised URL; created from these fields when
    unknown."""

    language_detected = _language_detected()


class AppearanceRecord(Provenance):
    source = ma.fields.Nested(SourceRecord, required=True)
    start = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(0, 2**31 - 1))
    end = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(1, 2**31 - 1))
    quote = fields.text(MAX_QUOTE_LENGTH, required=True)
    anchor_state = ma.fields.Enum(
        AnchorState,
        by_value=True,
        metadata={"description": "`unanchored` keeps the quote unplaced even in a source's text."},
    )


class EvidenceRecord(EvidenceIn, Provenance):
    class Meta:
        exclude = ("source_id",)

    id = ma.fields.Integer(
        validate=ma.validate.Range(1, 2**31 - 1),
        metadata={"description": "Its id where it was exported: what the timeline cites."},
    )
    source = ma.fields.Nested(SourceRecord, allow_none=True)
    language_detected = _language_detected()


class PublisherRecord(PublisherIn):
    """A review's publisher: found by its uid, then by the host of its url; else created."""

    uid = ma.fields.UUID(allow_none=True)


class ReviewRatingRecord(ma.Schema):
    label = fields.text(5_000, allow_none=True)
    value = ma.fields.Float(allow_none=True, allow_nan=False)
    best = ma.fields.Float(allow_none=True, allow_nan=False)
    worst = ma.fields.Float(allow_none=True, allow_nan=False)
    original = ma.fields.Dict(
        allow_none=True,
        metadata={"description": "The ClaimReview `reviewRating` verbatim, when it came so."},
    )


class ReviewRecord(Provenance):
    """A publisher's review of the claim; its status is mapped again where it is imported."""

    id = ma.fields.Integer(
        validate=ma.validate.Range(1, 2**31 - 1),
        metadata={"description": "Its id where it was exported: what the timeline cites."},
    )
    publisher = ma.fields.Nested(PublisherRecord, required=True)
    url = fields.web_url(required=True)
    headline = fields.text(1_000, allow_none=True)
    author = fields.text(200, allow_none=True)
    body = fields.text(20_000, allow_none=True)
    language = fields.language(allow_none=True)
    language_detected = _language_detected()
    published_at = PublishedAt(allow_none=True)
    rating = ma.fields.Nested(ReviewRatingRecord, required=True)
    claimant_type = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(CLAIMANT_TYPES))
    claimant_url = fields.web_url(allow_none=True)


class StatusChangeRecord(Provenance):
    from_status = ma.fields.Enum(Status, by_value=True, allow_none=True, load_default=None)
    to_status = ma.fields.Enum(Status, by_value=True, required=True)
    rationale = fields.text(10_000, required=True)
    evidence_ids = ma.fields.List(
        ma.fields.Integer(validate=ma.validate.Range(1, 2**31 - 1)),
        load_default=list,
        validate=ma.validate.Length(max=MAX_CITED),
    )
    review_ids = ma.fields.List(
        ma.fields.Integer(validate=ma.validate.Range(1, 2**31 - 1)),
        load_default=list,
        validate=ma.validate.Length(max=MAX_CITED),
    )
    review_due = ma.fields.Date(allow_none=True, load_default=None)
    created_at = ma.fields.AwareDateTime(required=True)
    evidence_uids = ma.fields.List(
        ma.fields.UUID(),
        load_default=list,
        validate=ma.validate.Length(max=MAX_CITED),
        metadata={
            "description": "The cited evidence's uids: how a merged claim's entries find "
            "evidence that moved to the claim it was merged into."
        },
    )
    review_uids = ma.fields.List(
        ma.fields.UUID(), load_default=list, validate=ma.validate.Length(max=MAX_CITED)
    )
    merged_claim_uid = ma.fields.UUID(
        allow_none=True,
        load_default=None,
        metadata={"description": "On the entry that records a merge: the claim merged."},
    )


class RelationRecord(Provenance):
    """A relation from the record's claim, to another found by its uid once all are stored."""

    type = ma.fields.Enum(RelationType, by_value=True, required=True)
    target_uid = ma.fields.UUID(required=True)
    note = fields.text(2_000, allow_none=True)


class ClaimRecord(ClaimFields, Provenance):
    """One whole claim, as exported; the timeline's first entry records its creation."""

    id = ma.fields.Integer(metadata={"description": "Its id where it was exported (not kept)."})
    fingerprint = ma.fields.String(
        validate=ma.validate.Length(max=64),
        metadata={
            "description": "Recomputed on import; what finds a stored claim when there is no uid."
        },
    )
    kind = ma.fields.Enum(ClaimKind, by_value=True, required=True)
    status = ma.fields.Enum(
        Status, by_value=True, metadata={"description": "Default: the kind's initial status."}
    )
    status_changed_at = ma.fields.AwareDateTime()
    language_detected = _language_detected()
    original_rating = ma.fields.Dict(allow_none=True)
    appearances = ma.fields.List(ma.fields.Nested(AppearanceRecord), load_default=list)
    evidence = ma.fields.List(ma.fields.Nested(EvidenceRecord), load_default=list)
    reviews = ma.fields.List(ma.fields.Nested(ReviewRecord), load_default=list)
    timeline = ma.fields.List(
        ma.fields.Nested(StatusChangeRecord),
        load_default=list,
        metadata={
            "description": "Without one, the claim is recorded now, and a review whose rating "
            "maps to a verdict settles it (as POST .../reviews does)."
        },
    )
    relations = ma.fields.List(
        ma.fields.Nested(RelationRecord),
        load_default=list,
        metadata={"description": "Relations from this claim to others, by their uids."},
    )
    merged_into = ma.fields.UUID(
        allow_none=True,
        load_default=None,
        metadata={"description": "The uid of the claim this one was merged into."},
    )

    @ma.validates_schema
    def _timeline_holds(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """The rules the API enforces move by move (status_changes/rules.py), checked over
        the whole timeline, with what makes a timeline: each entry starts where the one
        before left the claim, in time order, citing evidence and reviews of the record."""
        kind, timeline = data["kind"], data["timeline"]
        errors: dict[str, list[str]] = {}
        evidence_ids = _unique_ids(data["evidence"], "evidence", "Evidence", errors)
        review_ids = _unique_ids(data["reviews"], "reviews", "Review", errors)
        if not timeline:
            status = data.get("status", INITIAL_STATUS[kind])
            if status != INITIAL_STATUS[kind]:
                errors["status"] = [
                    f"{status} is not a new {kind} claim's status; a claim that moved needs "
                    "its timeline (NDJSON exports carry it)."
                ]
            if errors:
                raise ma.ValidationError(errors)
            return
        # A merged claim's evidence and reviews are its target's now, cited by uid.
        merged = data["merged_into"] is not None
        grounded = bool(data["evidence"] or data["reviews"] or merged)
        previous: dict[str, Any] | None = None
        for index, change in enumerate(timeline):
            path = f"timeline.{index}"
            from_status = change["from_status"]
            if previous is None and from_status is not None:
                errors[f"{path}.from_status"] = ["A timeline starts with the claim's creation."]
            if previous is not None and from_status != previous["to_status"]:
                errors[f"{path}.from_status"] = [
                    f"Must be {previous['to_status']}, where the entry before left the claim."
                ]
            move = Move(
                kind,
                None if previous is None else from_status,
                change["to_status"],
                grounded=lambda: grounded,
                merge=change["merged_claim_uid"] is not None,
            )
            refused = rules.refusal(move)
            if refused is not None:
                errors[f"{path}.to_status"] = [_sentence(rules.reason(refused, move))]
            if not merged:
                _cites_the_record(change, path, evidence_ids, review_ids, errors)
            if previous is not None and _when(change) < _when(previous):
                errors[f"{path}.created_at"] = ["Before the entry above it: keep time order."]
            previous = change
        status = data.get("status", timeline[-1]["to_status"])
        if status != timeline[-1]["to_status"]:
            errors["status"] = [f"The timeline ends in {timeline[-1]['to_status']}, not {status}."]
        if errors:
            raise ma.ValidationError(errors)


def _unique_ids(items: list[dict], field: str, name: str, errors: dict) -> set[int]:
    """The ids the record gives its evidence items (or reviews), which must be unique."""
    ids = [item["id"] for item in items if "id" in item]
    if len(set(ids)) != len(ids):
        errors[field] = [f"{name} ids must be unique within a record."]
    return set(ids)


def _cites_the_record(
    change: dict, path: str, evidence_ids: set[int], review_ids: set[int], errors: dict
) -> None:
    """A timeline entry cites evidence and reviews of its own record, by their ids there."""
    unknown = sorted(set(change["evidence_ids"]) - evidence_ids)
    if unknown:
        errors[f"{path}.evidence_ids"] = [
            f"Not the id of an evidence item in this record: {unknown}."
        ]
    unknown = sorted(set(change["review_ids"]) - review_ids)
    if unknown:
        errors[f"{path}.review_ids"] = [f"Not the id of a review in this record: {unknown}."]


def _sentence(reason: str) -> str:
    """A rule's reason as marshmallow words its messages: a sentence."""
    return reason[:1].upper() + reason[1:] + "."


def _when(change: dict) -> datetime:
    """When a timeline entry happened: where it was first written, if the file says."""
    return change.get("original_created_at") or change["created_at"]


class ExportQuery(ClaimQuery):
    """The claim list's filters, unpaged, and the format."""

    class Meta:
        exclude = ("limit", "cursor", "with_total")

    sort = ma.fields.String(
        validate=ma.validate.OneOf(SORT_NAMES),
        metadata={
            "description": "Default: `relevance` with q, `review_due` with review_due_before, "
            "else `created_at` (oldest first: an archive that imports back in its order)."
        },
    )

    include_merged = ma.fields.Boolean(
        metadata={
            "description": "Claims merged into another. Default: in NDJSON (an archive keeps "
            "them, and the merge imports back), not in CSV (which cannot say they are merged)."
        },
    )
    format = ma.fields.String(
        validate=ma.validate.OneOf(FORMATS),
        metadata={"description": "Wins over `Accept`. Default: NDJSON."},
    )


class FeedQuery(ClaimQuery):
    """The claim list's filters; the feed holds the claims with reviews or a verdict of ours."""

    class Meta:
        exclude = ("limit", "cursor", "with_total", "include_merged")

    publisher = ma.fields.Integer(
        validate=ma.validate.Range(1, 2**31 - 1),
        metadata={
            "description": "Only this publisher's reviews (a publisher id); no verdicts of ours."
        },
    )


class ImportQuery(ma.Schema):
    mode = ma.fields.String(
        load_default="all",
        validate=ma.validate.OneOf(MODES),
        metadata={
            "description": "`all` (default): one bad record refuses the whole file. "
            "`partial`: store the good records, report the bad."
        },
    )
    dry_run = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Check and count everything, store nothing."},
    )
    max_errors = ma.fields.Integer(
        load_default=DEFAULT_MAX_ERRORS,
        validate=ma.validate.Range(1, 10_000),
        metadata={"description": "How many bad records to list (all are counted)."},
    )


class ClaimsImportQuery(ImportQuery):
    format = ma.fields.String(
        validate=ma.validate.OneOf(("ndjson", "csv")),
        metadata={
            "description": "The body's format, when a client cannot choose the Content-Type it "
            "sends (a generated client sends one type for every file): it wins over "
            "Content-Type, as an export's `format` wins over Accept."
        },
    )


class RecordErrorOut(ma.Schema):
    line = ma.fields.Integer(
        allow_none=True, metadata={"description": "NDJSON and CSV: the line (1 = first)."}
    )
    item = ma.fields.Integer(
        allow_none=True, metadata={"description": "ClaimReview: the review's position (1 = first)."}
    )
    field = ma.fields.String(metadata={"example": "timeline.2.to_status"})
    message = ma.fields.String()


class RecordWarningOut(ma.Schema):
    line = ma.fields.Integer(allow_none=True, metadata={"description": "Where the record is."})
    item = ma.fields.Integer(
        allow_none=True, metadata={"description": "ClaimReview: the review's position (1 = first)."}
    )
    property = ma.fields.String(metadata={"example": "itemReviewed.appearance.1.url"})
    message = ma.fields.String(metadata={"example": "not a usable URL: the appearance is dropped"})


class ImportReportOut(ma.Schema):
    format = ma.fields.String(metadata={"example": "ndjson"})
    mode = ma.fields.String(metadata={"example": "all"})
    dry_run = ma.fields.Boolean()
    records = ma.fields.Integer(metadata={"description": "Records read."})
    created = ma.fields.Integer(metadata={"description": "Claims stored (or, dry, to store)."})
    existing = ma.fields.Integer(
        metadata={
            "description": "Claims already stored (same uid, or without one the same "
            "fingerprint): left as they are."
        }
    )
    failed = ma.fields.Integer(metadata={"description": "Bad records (partial mode)."})
    sources_created = ma.fields.Integer()
    reviews_created = ma.fields.Integer(
        metadata={"description": "Reviews stored, on new claims and on claims stored already."}
    )
    publishers_created = ma.fields.Integer()
    unmapped_labels = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        metadata={
            "description": "Rating labels that map to no status (label -> reviews): their "
            "reviews have `status: null` and leave their claims as they were. A publisher's "
            "vocabulary (PUT /api/v1/publishers/{id}/ratings/{label}) can map them.",
            "example": {"Needs Context": 3},
        },
    )
    warnings = ma.fields.List(
        ma.fields.Nested(RecordWarningOut),
        metadata={"description": "What the import repaired or dropped, by line and property."},
    )
    warnings_truncated = ma.fields.Boolean()
    errors = ma.fields.List(ma.fields.Nested(RecordErrorOut))
    errors_truncated = ma.fields.Boolean(
        metadata={"description": "More records failed than `max_errors` lists."}
    )
