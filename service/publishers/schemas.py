from __future__ import annotations

import marshmallow as ma

from service import fields
from service.claims.statuses import Status
from service.pagination import PageQuery, page_schema

AFP_FACTUAL = {"name": "AFP Factual", "url": "https://factual.afp.com/"}


class PublisherIn(ma.Schema):
    name = fields.text(200, required=True, metadata={"example": "AFP Factual"})
    url = fields.web_url(
        required=True,
        metadata={
            "description": "The publisher's site: its normalised host (without `www.`) is "
            "the publisher's identity.",
            "example": "https://factual.afp.com/",
        },
    )


class PublisherPatch(PublisherIn):
    """A publisher's name or site."""


class PublisherOut(PublisherIn, fields.RecordedOut):
    id = ma.fields.Integer(dump_only=True)
    host = ma.fields.String(
        dump_only=True, metadata={"description": "The normalised host: unique per publisher."}
    )
    created_by = ma.fields.String(dump_only=True, allow_none=True)
    updated_by = ma.fields.String(dump_only=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class PublisherSummary(ma.Schema):
    """The publisher a review names."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    url = ma.fields.String()


class RatingStatusIn(ma.Schema):
    status = ma.fields.Enum(
        Status,
        by_value=True,
        required=True,
        allow_none=True,
        metadata={
            "description": "The status the label means here; null: the label is no verdict "
            "(it stays unmapped whatever the built-in vocabulary says)."
        },
    )


class PublisherRatingOut(ma.Schema):
    label = ma.fields.String(metadata={"description": "As the publisher writes it."})
    status = ma.fields.Enum(Status, by_value=True, allow_none=True)


class BuiltinRatingOut(ma.Schema):
    label = ma.fields.String()
    lang = ma.fields.String(metadata={"description": "The label's language (ISO 639-1)."})
    status = ma.fields.Enum(Status, by_value=True, allow_none=True)
    publisher = ma.fields.String(
        allow_none=True, metadata={"description": "Who publishes the label, where one does."}
    )
    publisher_class = ma.fields.String(
        metadata={"description": "The class the cited source gives the label."}
    )
    source = ma.fields.String(metadata={"description": "Where the mapping comes from."})


class BuiltinRatingsOut(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(BuiltinRatingOut))
    next_cursor = ma.fields.String(
        allow_none=True, metadata={"description": "Always null: the vocabulary is one page."}
    )
    sources = ma.fields.Dict(
        metadata={"description": "Each source an entry cites: its citation and what it is."}
    )


class BuiltinRatingsQuery(ma.Schema):
    lang = ma.fields.String(
        validate=ma.validate.Length(min=2, max=8),
        metadata={"description": "Only the labels in this language."},
    )


PublisherPage = page_schema(PublisherOut)
PublisherRatingPage = page_schema(PublisherRatingOut)
PublisherQuery = PageQuery
PublisherRatingQuery = PageQuery
