"""When a review was published: a moment with its time, or only a day.

The API takes RFC 3339 (`2021-07-20T10:00:00Z`) or a plain date (`2021-07-20`). Imports
also take what publishers write in their ClaimReview markup and repair it, saying how:
`2021-7-20`, `2021-07-20 10:00`, `2021-07-20 10:00:00 UTC`, `2019-01-23T14:22:00+0100`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

WRITTEN = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:(?P<sep>[Tt ])(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,9}))?)?)?"
    r"\s*(?P<zone>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
)

# The shape the API takes, published in the spec as the field's pattern.
SHAPE = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2}))?$"
)


@dataclass(frozen=True)
class Published:
    at: datetime  # in UTC; 00:00 of the day when only a day is known
    time_known: bool
    repaired: str | None = None  # how a lenient read changed the text, if it did

    def isoformat(self) -> str:
        return self.at.isoformat() if self.time_known else self.at.date().isoformat()


def published(value: str, *, lenient: bool = False) -> Published:
    """Read a publication date; ValueError says why it is not one.

    Strict (the API): RFC 3339 with a zone, or YYYY-MM-DD. Lenient (imports): also a date
    without zero padding, a space for `T`, no seconds, `UTC`/`GMT` or an offset without a
    colon for the zone, and a time without a zone (read as UTC); `repaired` then says so.
    """
    text = value.strip()
    found = WRITTEN.fullmatch(text)
    if found is None:
        raise ValueError("not a date (YYYY-MM-DD) or an RFC 3339 date-time")
    parts = found.groupdict()
    try:
        day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError as error:
        raise ValueError(f"not a calendar date: {error}") from None
    if parts["hour"] is None:
        if parts["zone"] is not None:
            raise ValueError("a zone needs a time of day")
        result = Published(datetime.combine(day, time(), tzinfo=UTC), time_known=False)
        strict = day.isoformat() == text
    else:
        fraction = (parts["fraction"] or "0")[:6].ljust(6, "0")
        try:
            clock = time(
                int(parts["hour"]), int(parts["minute"]), int(parts["second"] or 0), int(fraction)
            )
        except ValueError as error:
            raise ValueError(f"not a time of day: {error}") from None
        zone = _zone(parts["zone"])
        at = datetime.combine(day, clock, tzinfo=zone or UTC).astimezone(UTC)
        result = Published(at, time_known=True)
        strict = _is_rfc3339(text, parts)
    if strict:
        return result
    if not lenient:
        raise ValueError("not RFC 3339: write a date as YYYY-MM-DD, a time with its zone")
    note = f"read {text!r} as {result.isoformat()}"
    if parts["hour"] is not None and parts["zone"] is None:
        note += " (no time zone given: taken as UTC)"
    return Published(result.at, result.time_known, repaired=note)


def _zone(text: str | None) -> timezone | None:
    if text is None:
        return None
    if text in ("Z", "z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"not a time zone offset: {text}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _is_rfc3339(text: str, parts: dict) -> bool:
    padded = (
        len(parts["month"]) == 2
        and len(parts["day"]) == 2
        and len(parts["hour"]) == 2
        and parts["second"] is not None
    )
    zone = parts["zone"]
    good_zone = zone in ("Z", "z") or (zone is not None and re.fullmatch(r"[+-]\d{2}:\d{2}", zone))
    return bool(padded and parts["sep"] in "Tt" and good_zone and " " not in text)
