"""Field types shared by the resources' schemas."""

from __future__ import annotations

import marshmallow as ma

# BCP 47 in the shape RFC 5646 gives it: a 2-3 letter language, then subtags.
BCP47_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"


MAX_URL_LENGTH = 2048
# http(s), a host name with a top-level domain (or localhost), an optional port, and a
# path, query or fragment of printable ASCII (what a browser's address bar copies).
WEB_URL_PATTERN = (
    r"^[Hh][Tt][Tt][Pp][Ss]?://"
    r"(localhost|([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
    r"(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?"
    r"([/?#][!-~]*)?$"
)


# ECMA-262 (the spec's regex dialect) and Python disagree on what \s, \w and $ match, so
# the patterns spell out their classes and match whole values: both readings agree.
# PostgreSQL cannot store NUL characters, so no string may hold one.
SPACE = r" \t\n\r\f\v\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK_PATTERN = rf"^[{SPACE}]*[^{SPACE}\u0000][^\u0000]*$"
NO_NUL_PATTERN = r"^[^\u0000]*$"


class Pattern(ma.validate.Regexp):
    """A regex the whole value must match, published in the spec as `pattern`."""

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ma.ValidationError(self._format_error(value))
        return value


def language(**kwargs) -> ma.fields.String:
    return ma.fields.String(
        validate=[
            ma.validate.Length(max=35),
            Pattern(BCP47_PATTERN, error="Not a BCP 47 language tag (e.g. en, pt-BR)."),
        ],
        metadata={"description": "BCP 47 language tag.", "example": "en"},
        **kwargs,
    )


def web_url(**kwargs) -> ma.fields.String:
    """An http(s) URL; the spec publishes the very pattern that validates it."""
    return ma.fields.String(
        validate=[
            ma.validate.Length(max=MAX_URL_LENGTH),
            Pattern(WEB_URL_PATTERN, error="Not a valid http(s) URL."),
        ],
        **kwargs,
    )


def text(max_length: int, **kwargs) -> ma.fields.String:
    """A string that must say something: not empty, not only spaces."""
    return ma.fields.String(
        validate=[
            ma.validate.Length(min=1, max=max_length),
            Pattern(NOT_BLANK_PATTERN, error="Must not be blank or hold NUL characters."),
        ],
        **kwargs,
    )
