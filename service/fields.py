"""Field types shared by the resources' schemas."""

from __future__ import annotations

import marshmallow as ma

# BCP 47 in the shape RFC 5646 gives it: a 2-3 letter language, then subtags.
BCP47_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"


def language(**kwargs) -> ma.fields.String:
    return ma.fields.String(
        validate=[
            ma.validate.Length(max=35),
            ma.validate.Regexp(BCP47_PATTERN, error="Not a BCP 47 language tag (e.g. en, pt-BR)."),
        ],
        metadata={"description": "BCP 47 language tag.", "example": "en"},
        **kwargs,
    )


def web_url(**kwargs) -> ma.fields.Url:
    return ma.fields.Url(
        schemes={"http", "https"},
        validate=ma.validate.Length(max=2048),
        **kwargs,
    )


def text(max_length: int, **kwargs) -> ma.fields.String:
    """A string that must say something: not empty, not only spaces."""
    return ma.fields.String(
        validate=[
            ma.validate.Length(min=1, max=max_length),
            ma.validate.Regexp(r"\S", error="Must not be blank."),
        ],
        **kwargs,
    )
