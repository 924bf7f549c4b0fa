from __future__ import annotations

import marshmallow as ma

from service import fields
from service.auth.models import Role
from service.orm import utcnow
from service.pagination import PageQuery, page_schema


class KeyIn(ma.Schema):
    name = fields.text(100, required=True, metadata={"description": "Who holds the key."})
    role = ma.fields.Enum(Role, by_value=True, required=True)
    expires_at = ma.fields.AwareDateTime(
        allow_none=True, metadata={"description": "When the key stops working (optional)."}
    )

    @ma.validates("expires_at")
    def in_the_future(self, value, **_kwargs):
        if value is not None and value <= utcnow():
            raise ma.ValidationError("Must be in the future.")


class KeyOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    role = ma.fields.Enum(Role, by_value=True)
    prefix = ma.fields.String(metadata={"description": "The key's public part: `ct_<prefix>_…`."})
    state = ma.fields.String(metadata={"description": "active, expired or revoked."})
    expires_at = ma.fields.AwareDateTime(allow_none=True)
    revoked_at = ma.fields.AwareDateTime(allow_none=True)
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class KeyCreatedOut(KeyOut):
    key = ma.fields.String(metadata={"description": "The key itself. Shown this once only."})


KeyPage = page_schema(KeyOut)
KeyQuery = PageQuery
