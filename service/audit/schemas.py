from __future__ import annotations

import marshmallow as ma

from service import fields
from service.audit.models import Action
from service.audit.recorder import AUDITED
from service.pagination import PageQuery, page_schema


class AuditEventOut(ma.Schema):
    id = ma.fields.Integer()
    at = ma.fields.AwareDateTime()
    actor = ma.fields.String(metadata={"description": "The name on the API key that wrote."})
    action = ma.fields.Enum(Action, by_value=True)
    resource = ma.fields.String(metadata={"example": "claim"})
    resource_id = ma.fields.Integer()
    # Named `fields` in the API; a schema's own `fields` attribute is its fields.
    changed_fields = ma.fields.List(
        ma.fields.String(),
        allow_none=True,
        data_key="fields",
        attribute="fields",
        metadata={"description": "What an update changed."},
    )


class AuditQuery(PageQuery):
    resource = ma.fields.String(validate=ma.validate.OneOf(sorted(AUDITED)))
    resource_id = ma.fields.Integer(validate=ma.validate.Range(1, 2**31 - 1))
    actor = fields.text(100, metadata={"description": "The name on the API key that wrote."})


AuditEventPage = page_schema(AuditEventOut)
