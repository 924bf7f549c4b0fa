from __future__ import annotations

import marshmallow as ma

from service import fields
from service.claims.statuses import Status
from service.pagination import PageQuery, page_schema
from service.publishers.schemas import PublisherIn, PublisherSummary
from service.reviews import dates
from service.reviews.models import MappedBy

CLAIMANT_TYPES = ("Person", "Organization")
AFP_REVIEW = {
    "publisher": {"name": "AFP Factual", "url": "https://factual.afp.com/"},
    "url": "https://factual.afp.com/los-motociclistas-pedian-que-cese-la-violencia-contra-"
    "granjeros-en-sudafrica-no-por-donald-trump",
    "headline": "Los motociclistas pedían que cese la violencia contra granjeros en Sudáfrica, "
    "no por Donald Trump",
    "language": "es",
    "published_at": "2020-10-07T20:05:00Z",
    "rating": {"label": "Falso", "value": 5, "best": 1, "worst": 5},
}


class PublishedAt(ma.fields.String):
    """RFC 3339 with a zone, or a date where only the day is known (service/reviews/dates.py)."""

    # A string in the API (and its spec); a parsed date or time once loaded.
    def _deserialize(self, value, attr, data, **kwargs) -> dates.Published:  # type: ignore[override]
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return dates.published(text)
        except ValueError as error:
            raise ma.ValidationError(str(error)) from None


class ReviewRatingIn(ma.Schema):
    label = fields.text(
        5_000,
        allow_none=True,
        metadata={
            "description": "The rating as the publisher wrote it (ClaimReview `alternateName`)."
        },
    )
    value = ma.fields.Float(allow_none=True, allow_nan=False)
    best = ma.fields.Float(allow_none=True, allow_nan=False)
    worst = ma.fields.Float(allow_none=True, allow_nan=False)


class ReviewRatingOut(ma.Schema):
    label = ma.fields.String(allow_none=True)
    value = ma.fields.Float(allow_none=True)
    best = ma.fields.Float(allow_none=True)
    worst = ma.fields.Float(allow_none=True)
    status = ma.fields.Enum(
        Status,
        by_value=True,
        allow_none=True,
        metadata={"description": "What the rating means here; null when it does not map."},
    )
    mapped_by = ma.fields.Enum(
        MappedBy,
        by_value=True,
        allow_none=True,
        metadata={
            "description": "`publisher`: its own vocabulary; `builtin`: the built-in one; "
            "`number`: the value on its scale (only when there is no label)."
        },
    )


class ReviewIn(ma.Schema):
    publisher_id = ma.fields.Integer(
        allow_none=True,
        validate=ma.validate.Range(1, 2**31 - 1),
        metadata={"description": "The publisher; or give `publisher` instead."},
    )
    publisher = ma.fields.Nested(
        PublisherIn,
        allow_none=True,
        metadata={"description": "Found by the host of its `url`, or created."},
    )
    url = fields.web_url(required=True, metadata={"description": "The review article."})
    headline = fields.text(1_000, allow_none=True)
    author = fields.text(
        200, allow_none=True, metadata={"description": "The person who wrote it, if named."}
    )
    body = fields.text(
        20_000, allow_none=True, metadata={"description": "The review's text (`reviewBody`)."}
    )
    language = fields.language()
    # Read by the service (service/reviews/dates.py), after the claim is found: a day that
    # is no calendar day (2021-02-30) is a 422 about this field, never before a 404.
    published_at = ma.fields.String(
        allow_none=True,
        metadata={
            "pattern": dates.SHAPE,
            "description": "RFC 3339 with a zone, or `YYYY-MM-DD` when only the day is known.",
            "example": "2020-10-07T20:05:00Z",
        },
    )
    rating = ma.fields.Nested(ReviewRatingIn, required=True)
    claimant_type = ma.fields.String(
        allow_none=True,
        validate=ma.validate.OneOf(CLAIMANT_TYPES),
        metadata={"description": "Who the review says made the claim: a Person or Organization."},
    )
    claimant_url = fields.web_url(allow_none=True)


class ReviewPatch(ReviewIn):
    """Any subset of a review's fields."""


class ReviewOut(fields.RecordedOut):
    id = ma.fields.Integer()
    claim_id = ma.fields.Integer()
    publisher = ma.fields.Nested(PublisherSummary)
    url = ma.fields.String()
    headline = ma.fields.String(allow_none=True)
    author = ma.fields.String(allow_none=True)
    body = ma.fields.String(allow_none=True)
    language = fields.language()
    language_detected = fields.language_detected()
    published_at = ma.fields.Method(
        "_published_at",
        metadata={
            "type": "string",
            "nullable": True,
            "description": "RFC 3339, or `YYYY-MM-DD` where only the day is known.",
        },
    )
    rating = ma.fields.Nested(ReviewRatingOut)
    claimant_type = ma.fields.String(allow_none=True)
    claimant_url = ma.fields.String(allow_none=True)
    created_by = ma.fields.String(allow_none=True)
    updated_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()

    def _published_at(self, review) -> str | None:
        if review.published_at is None:
            return None
        return dates.Published(review.published_at, review.published_time_known).isoformat()


ReviewPage = page_schema(ReviewOut)
ReviewQuery = PageQuery
