from __future__ import annotations

import marshmallow as ma

from service import fields
from service.pagination import PageQuery, page_schema
from service.sources.models import SourceKind

MAX_TEXT_LENGTH = 500_000
DAKHLA_ARTICLE = {
    "url": "https://www.moroccoworldnews.com/2020/12/329160/"
    "morocco-dgsn-dgst-chief-talks-security-with-us-official-ambassador/",
    "title": "Morocco's DGSN-DGST Chief Talks Security With US Official, Ambassador",
    "publisher": "Morocco World News",
    "published_on": "2020-12-17",
    "language": "en",
    "kind": "article",
    "text": "The US is set to open a consulate in the city of Dakhla and encourage investment "
    "and economic development in the region.",
}


class SourceIn(ma.Schema):
    url = fields.web_url(
        required=True,
        metadata={"description": "Unique after normalisation (case, fragment, tracking)."},
    )
    title = fields.text(500, allow_none=True)
    publisher = fields.text(200, allow_none=True)
    author = fields.text(200, allow_none=True)
    published_on = ma.fields.Date(allow_none=True)
    language = fields.language()
    kind = ma.fields.Enum(SourceKind, by_value=True, load_default=SourceKind.ARTICLE)
    text = ma.fields.String(
        allow_none=True,
        validate=[
            ma.validate.Length(max=MAX_TEXT_LENGTH),
            fields.Pattern(fields.NO_NUL_PATTERN, error="Must not hold NUL characters."),
        ],
        metadata={"description": "The full body; quotes are anchored in it."},
    )
    archived_url = fields.web_url(allow_none=True)


class SourcePatch(SourceIn):
    """Any subset of a source's fields; `null` clears an optional one."""


class SourceOut(SourceIn, fields.RecordedOut):
    id = ma.fields.Integer(dump_only=True)
    url = ma.fields.String(metadata={"description": "Normalised: as stored and compared."})
    language_detected = fields.language_detected()
    text_sha256 = ma.fields.String(
        dump_only=True, allow_none=True, metadata={"description": "SHA-256 of `text` in UTF-8."}
    )
    created_by = ma.fields.String(dump_only=True, allow_none=True)
    updated_by = ma.fields.String(dump_only=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class SourceQuery(PageQuery):
    q = fields.text(
        500,
        metadata={
            "description": "Full text over titles and texts, with the syntax of claim search; "
            "results by relevance.",
            "example": "Hammouchi security",
        },
    )
    publisher = fields.text(200, metadata={"description": "Exactly this publisher."})
    published_after = ma.fields.Date(metadata={"description": "Exclusive."})
    published_before = ma.fields.Date(metadata={"description": "Exclusive."})


SourcePage = page_schema(SourceOut)
