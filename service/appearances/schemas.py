from __future__ import annotations

import marshmallow as ma

from service import fields
from service.appearances.models import AnchorState
from service.pagination import PageQuery, page_schema

MAX_QUOTE_LENGTH = 10_000
DAKHLA_QUOTE = {
    "source_id": 1,
    "quote": "The US is set to open a consulate in the city of Dakhla",
}


class Offsets(ma.Schema):
    start = ma.fields.Integer(
        validate=ma.validate.Range(0, 2**31 - 1),
        metadata={"description": "Offset of the quote (Python str index); picks one of several."},
    )
    end = ma.fields.Integer(
        validate=ma.validate.Range(1, 2**31 - 1),
        metadata={"description": "Offset just past the quote (exclusive)."},
    )


class AppearanceIn(Offsets):
    source_id = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 2**31 - 1))
    quote = fields.text(
        MAX_QUOTE_LENGTH,
        required=True,
        metadata={"description": "The exact words in the source, as they stand in its text."},
    )


class AppearancePatch(Offsets):
    """A corrected quote, or offsets that choose another occurrence of it."""

    quote = fields.text(MAX_QUOTE_LENGTH)


class AppearanceOut(fields.RecordedOut):
    id = ma.fields.Integer()
    claim_id = ma.fields.Integer()
    source_id = ma.fields.Integer()
    quote = ma.fields.String()
    start = ma.fields.Integer(allow_none=True)
    end = ma.fields.Integer(allow_none=True)
    prefix = ma.fields.String(
        allow_none=True, metadata={"description": "Up to 32 characters before the quote."}
    )
    suffix = ma.fields.String(
        allow_none=True, metadata={"description": "Up to 32 characters after the quote."}
    )
    anchor_state = ma.fields.Enum(AnchorState, by_value=True)
    created_by = ma.fields.String(allow_none=True)
    updated_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


AppearancePage = page_schema(AppearanceOut)
AppearanceQuery = PageQuery
