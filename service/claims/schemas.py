from __future__ import annotations

import marshmallow as ma

from service import fields
from service.appearances.schemas import AppearanceOut
from service.claims.sorting import SORT_NAMES
from service.claims.statuses import ClaimKind, Status
from service.fields import SPACE, Pattern
from service.orm import utcnow
from service.pagination import PageQuery, page_schema

MAX_TAGS = 50
TAG_PATTERN = rf"^[^{SPACE}\u0000]+( [^{SPACE}\u0000]+)*$"
DAKHLA_CLAIM = {
    "text": "The United States will open a consulate in Dakhla (Western Sahara).",
    "kind": "promise",
    "claimant": "Morocco World News (reporting the US commitment)",
    "claim_date": "2020-12-17",
    "language": "en",
    "tags": ["morocco", "united-states", "western-sahara", "diplomacy"],
    "review_due": "2026-06-30",
}


class DateOrToday(ma.fields.Date):
    """A date, where an empty value means today (UTC). Registered in the spec as such."""

    SPEC = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]}

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "":
            return utcnow().date()
        return super()._deserialize(value, attr, data, **kwargs)


def _tag() -> ma.fields.String:
    return ma.fields.String(
        validate=[
            ma.validate.Length(min=1, max=64),
            Pattern(TAG_PATTERN, error="Words separated by single spaces, none at either end."),
        ]
    )


def _tags(**kwargs) -> ma.fields.List:
    return ma.fields.List(
        _tag(),
        validate=ma.validate.Length(max=MAX_TAGS),
        metadata={"description": "A set: duplicates are dropped and tags come back sorted."},
        **kwargs,
    )


class ClaimFields(ma.Schema):
    """What a researcher writes about a claim (never its status: see status-changes)."""

    text = fields.text(5_000, required=True)
    claimant = fields.text(300, allow_none=True)
    claim_date = ma.fields.Date(allow_none=True)
    language = fields.language()
    tags = _tags(load_default=list)
    review_due = ma.fields.Date(
        allow_none=True, metadata={"description": "When a researcher should look again."}
    )
    summary = fields.text(
        20_000, allow_none=True, metadata={"description": "The researchers' current explanation."}
    )


class ClaimIn(ClaimFields):
    kind = ma.fields.Enum(
        ClaimKind,
        by_value=True,
        required=True,
        metadata={"description": "A `promise` is a forward-looking commitment or plan."},
    )


class ClaimPatch(ClaimFields):
    """Any subset of a claim's fields. Kind and status are not among them."""

    @ma.pre_load
    def refuse_status_and_kind(self, data, **_kwargs):
        errors = {}
        if isinstance(data, dict) and "status" in data:
            errors["status"] = [
                "Status changes only through POST /api/v1/claims/{id}/status-changes, "
                "so that every change has a rationale."
            ]
        if isinstance(data, dict) and "kind" in data:
            errors["kind"] = ["A claim's kind is fixed at creation; its statuses depend on it."]
        if errors:
            raise ma.ValidationError(errors)
        return data


class RatingOut(ma.Schema):
    label = ma.fields.String(metadata={"example": "Fulfilled"})
    value = ma.fields.Integer(allow_none=True, metadata={"description": "Null when no verdict."})
    best = ma.fields.Integer(metadata={"example": 5})
    worst = ma.fields.Integer(metadata={"example": 1})


class ClaimOut(ClaimIn, fields.RecordedOut):
    id = ma.fields.Integer(dump_only=True)
    status = ma.fields.Enum(Status, by_value=True, dump_only=True)
    status_changed_at = ma.fields.AwareDateTime(dump_only=True)
    language_detected = fields.language_detected()
    rating = ma.fields.Nested(RatingOut, dump_only=True)
    appearances = ma.fields.List(ma.fields.Nested(AppearanceOut), dump_only=True)
    evidence_count = ma.fields.Integer(dump_only=True)
    original_rating = ma.fields.Dict(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "The reviewRating of an imported ClaimReview, verbatim; "
            "null for claims rated here."
        },
    )
    fingerprint = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "SHA-256 of the normalised text, claimant and claim date: the "
            "identity imports match claims by."
        },
    )
    merged_into_id = ma.fields.Integer(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "The claim this one was merged into (its URLs redirect there); "
            "null for a claim of its own. Lists show merged claims only with "
            "`include_merged=true`."
        },
    )
    created_by = ma.fields.String(dump_only=True, allow_none=True)
    updated_by = ma.fields.String(dump_only=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class ClaimQuery(PageQuery):
    q = fields.text(
        500,
        metadata={
            "description": "Full text over claims, summaries and quotes: words (stemmed), "
            '"quoted phrases", -excluded, `or` between alternatives. At most 500 characters '
            "(a longer `q` is a 422 naming it).",
            "example": "consulate Dakhla",
        },
    )
    sort = ma.fields.String(
        validate=ma.validate.OneOf(SORT_NAMES),
        metadata={
            "description": "Default: `relevance` with q, `review_due` with review_due_before, "
            "else `-created_at` (newest first)."
        },
    )
    kind = ma.fields.Enum(ClaimKind, by_value=True)
    status = ma.fields.List(
        ma.fields.Enum(Status, by_value=True), metadata={"description": "Any of these (repeat)."}
    )
    source_id = ma.fields.Integer(
        validate=ma.validate.Range(1, 2**31 - 1),
        metadata={"description": "Claims that appear in this source."},
    )
    tag = ma.fields.List(
        _tag(),
        metadata={"description": "Claims with all of these tags (repeat)."},
    )
    claimant = fields.text(300, metadata={"description": "Exactly this claimant."})
    language = ma.fields.List(
        fields.language(), metadata={"description": "Claims in any of these languages (repeat)."}
    )
    created_after = ma.fields.AwareDateTime(metadata={"description": "RFC 3339, exclusive."})
    created_before = ma.fields.AwareDateTime(metadata={"description": "RFC 3339, exclusive."})
    include_merged = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Also list claims merged into another (left out by default)."},
    )
    review_due_before = DateOrToday(
        metadata={
            **DateOrToday.SPEC,
            "description": "The follow-up queue: claims due for review on or before this date "
            "(empty: today) and not settled by a verdict, oldest due first.",
        }
    )


class ClaimDeleteQuery(ma.Schema):
    force = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Delete even a claim whose status has moved (editors)."},
    )


class SourceClaimQuery(ClaimQuery):
    """The claim filters, but for the source: its path names that."""

    class Meta:
        exclude = ("source_id",)


ClaimPage = page_schema(ClaimOut)


MAX_MATCHES = 50


def _match_limit() -> ma.fields.Integer:
    return ma.fields.Integer(
        load_default=10,
        validate=ma.validate.Range(1, MAX_MATCHES),
        metadata={"description": f"How many matches, {MAX_MATCHES} at most."},
    )


class MatchIn(ma.Schema):
    text = fields.text(
        100_000,
        required=True,
        metadata={
            "description": "Any text that makes a claim: a tweet, a headline, a paragraph.",
            "example": "Is the US really opening a consulate in Dakhla, Western Sahara?",
        },
    )
    language = fields.language(
        "The text's language. Left out (or `und`), it is detected; when it cannot be, the "
        "text is read in every language the archive holds."
    )
    limit = _match_limit()


class SimilarQuery(ma.Schema):
    limit = _match_limit()


class MatchItem(ma.Schema):
    claim = ma.fields.Nested(ClaimOut, required=True)
    score = ma.fields.Float(
        required=True,
        metadata={
            "description": "0 to 1: how much of what the text says the claim says too "
            "(its BM25 against the claim over the text's BM25 against itself).",
            "example": 0.82,
        },
    )


class MatchPage(ma.Schema):
    items = ma.fields.List(
        ma.fields.Nested(MatchItem), required=True, metadata={"description": "Best first."}
    )
