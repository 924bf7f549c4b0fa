from __future__ import annotations

import marshmallow as ma

from service import fields
from service.evidence.models import Stance
from service.pagination import PageQuery, page_schema

DAKHLA_EVIDENCE = {
    "url": "https://www.state.gov/",
    "publisher": "U.S. Department of State",
    "published_on": "2020-12-24",
    "stance": "supports",
    "summary": "The State Department opens a virtual presence post for Western Sahara, "
    "a first step towards a consulate in Dakhla.",
}


class EvidenceIn(ma.Schema):
    url = fields.web_url(required=True)
    source_id = ma.fields.Integer(
        allow_none=True,
        validate=ma.validate.Range(1, 2**31 - 1),
        metadata={"description": "The stored source this evidence is, if any."},
    )
    title = fields.text(500, allow_none=True)
    publisher = fields.text(200, allow_none=True)
    published_on = ma.fields.Date(allow_none=True)
    language = fields.language()
    stance = ma.fields.Enum(Stance, by_value=True, required=True)
    summary = fields.text(20_000, allow_none=True)
    quote = fields.text(10_000, allow_none=True)
    note = fields.text(
        5_000,
        allow_none=True,
        metadata={"description": "A researcher's caveat, e.g. that a date is known to the month."},
    )


class EvidencePatch(EvidenceIn):
    """Any subset of an evidence item's fields."""


class EvidenceOut(EvidenceIn, fields.RecordedOut):
    id = ma.fields.Integer(dump_only=True)
    claim_id = ma.fields.Integer(dump_only=True)
    language_detected = fields.language_detected()
    created_by = ma.fields.String(dump_only=True, allow_none=True)
    updated_by = ma.fields.String(dump_only=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


EvidencePage = page_schema(EvidenceOut)
EvidenceQuery = PageQuery
