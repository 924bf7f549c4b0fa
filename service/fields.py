"""Field types shared by the resources' schemas."""

from __future__ import annotations

import marshmallow as ma

from service.languages import LANGUAGE_CODES

MAX_URL_LENGTH = 2048
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4 = rf"({_OCTET}\.){{3}}{_OCTET}"
_H16 = r"[0-9A-Fa-f]{1,4}"
# RFC 4291's text forms, '::' standing for one run of zero groups (RFC 3986's IPv6address).
_IPV6 = "|".join(
    (
        rf"({_H16}:){{7}}{_H16}",
        rf"({_H16}:){{1,7}}:",
        rf"({_H16}:){{1,6}}:{_H16}",
        rf"({_H16}:){{1,5}}(:{_H16}){{1,2}}",
        rf"({_H16}:){{1,4}}(:{_H16}){{1,3}}",
        rf"({_H16}:){{1,3}}(:{_H16}){{1,4}}",
        rf"({_H16}:){{1,2}}(:{_H16}){{1,5}}",
        rf"{_H16}:(:{_H16}){{1,6}}",
        rf":((:{_H16}){{1,7}}|:)",
        rf"({_H16}:){{6}}{_IPV4}",
        rf"::([Ff]{{4}}:)?{_IPV4}",
    )
)
# http(s); a host name with a top-level domain, localhost, an IPv4 address or an IPv6 one in
# brackets; an optional port; and a path, query or fragment of printable ASCII (what a
# browser's address bar copies).
WEB_URL_PATTERN = (
    r"^[Hh][Tt][Tt][Pp][Ss]?://"
    r"(localhost|([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
    rf"|{_IPV4}|\[({_IPV6})\])"
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

    def __call__(self, value):  # str, as marshmallow's Regexp takes it
        if self.regex.fullmatch(value) is None:
            raise ma.ValidationError(self._format_error(value))
        return value


LANGUAGE_SCHEMA = "LanguageCode"  # one component in the spec, not 184 codes in every field
LANGUAGE_CODE = {
    "type": "string",
    "enum": list(LANGUAGE_CODES),
    "description": "ISO 639-1 language code, or `und` (undetermined).",
}


class IsLanguageCode(ma.validate.Validator):
    """One of LANGUAGE_CODES (the spec gives them once, as the LanguageCode schema)."""

    def __call__(self, value: str) -> str:
        if value not in LANGUAGE_CODES:
            raise ma.ValidationError("Not an ISO 639-1 language code (en, fr, ar, ...) or und.")
        return value


def language(description: str | None = None, **kwargs) -> ma.fields.String:
    return ma.fields.String(
        validate=IsLanguageCode(),
        metadata={
            "allOf": [{"$ref": f"#/components/schemas/{LANGUAGE_SCHEMA}"}],
            "description": description
            or "ISO 639-1 code, or `und` (undetermined). Left out, it is detected "
            "from the record's own words, and `language_detected` says so.",
            "example": "en",
        },
        **kwargs,
    )


def language_detected() -> ma.fields.Boolean:
    return ma.fields.Boolean(
        dump_only=True,
        metadata={
            "description": "True when the server detected `language` from the record's words; "
            "false when a writer gave it."
        },
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


class RecordedOut(ma.Schema):
    """A record's identity across databases and the provenance an import brought with it."""

    uid = ma.fields.UUID(
        dump_only=True,
        metadata={"description": "Set by the server, never changed: the record in any database."},
    )
    original_author = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "Who wrote it, as the file it was imported from says (`created_by` "
            "is the key that imported it); null for records written here."
        },
    )
    original_created_at = ma.fields.AwareDateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "When it was written, as the file it was imported from says."},
    )
