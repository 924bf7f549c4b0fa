"""Other fact-checkers' ratings, mapped onto our statuses.

A rating's `alternateName` wins where it clearly names one of our statuses (the table below,
matched case-insensitively, ignoring hyphens and end punctuation); otherwise its numeric
`ratingValue`, placed on its own scale as (value - worst) / (best - worst), picks a verdict.
A rating that neither maps leaves the claim for a researcher to review.
"""

from __future__ import annotations

import math
from typing import Any

from service.claims.statuses import Status

# Names fact-checkers publish (PolitiFact, Snopes, AFP, Full Fact, the Washington Post's
# checker, ...), normalised as by `normalized_name`. Our own labels are here too, so our
# ClaimReview feed comes back as it went out.
RATING_NAMES: dict[str, Status] = {
    **dict.fromkeys(
        ("true", "correct", "accurate", "verified", "fact", "right"),
        Status.TRUE,
    ),
    **dict.fromkeys(
        ("mostly true", "mostly correct", "mostly accurate", "largely true", "largely accurate"),
        Status.MOSTLY_TRUE,
    ),
    **dict.fromkeys(
        (
            "half true",
            "mixed",
            "mixture",
            "partly true",
            "partly false",
            "partially true",
            "partially false",
            "half accurate",
            "true but",
        ),
        Status.MIXED,
    ),
    **dict.fromkeys(
        (
            "mostly false",
            "misleading",
            "largely false",
            "mostly inaccurate",
            "mostly incorrect",
            "missing context",
        ),
        Status.MOSTLY_FALSE,
    ),
    **dict.fromkeys(
        (
            "false",
            "pants on fire",
            "incorrect",
            "inaccurate",
            "wrong",
            "fake",
            "fabricated",
            "four pinocchios",
            "scam",
        ),
        Status.FALSE,
    ),
    **dict.fromkeys(
        (
            "unproven",
            "unverified",
            "unverifiable",
            "unsubstantiated",
            "unsupported",
            "no evidence",
            "not proven",
        ),
        Status.UNPROVEN,
    ),
    # Promise trackers (PolitiFact's meters among them).
    **dict.fromkeys(("fulfilled", "promise kept", "kept"), Status.FULFILLED),
    **dict.fromkeys(("partially fulfilled", "compromise"), Status.PARTIALLY_FULFILLED),
    **dict.fromkeys(("unfulfilled", "promise broken", "broken"), Status.UNFULFILLED),
    **dict.fromkeys(("in progress", "in the works"), Status.IN_PROGRESS),
    "stalled": Status.STALLED,
    "not yet rated": Status.PENDING,
}

# (lowest normalised value, status), best first: 1..5 lands on 5 true ... 1 false.
NUMERIC_BANDS: tuple[tuple[float, Status], ...] = (
    (0.875, Status.TRUE),
    (0.625, Status.MOSTLY_TRUE),
    (0.375, Status.MIXED),
    (0.125, Status.MOSTLY_FALSE),
    (0.0, Status.FALSE),
)
DEFAULT_BEST, DEFAULT_WORST = 5.0, 1.0  # schema.org's defaults for Rating


def normalized_name(name: str) -> str:
    """'Pants on Fire!' -> 'pants on fire'; 'Half-True' -> 'half true'."""
    plain = name.casefold().replace("-", " ").replace("_", " ")
    return " ".join(plain.strip(" \t\n!.?:;,\"'“”").split())


def status_for(rating: Any) -> Status | None:
    """The status a ClaimReview `reviewRating` maps to, or None when it does not clearly map."""
    if not isinstance(rating, dict):
        return None
    name = rating.get("alternateName") or rating.get("name")
    if isinstance(name, str) and normalized_name(name) in RATING_NAMES:
        return RATING_NAMES[normalized_name(name)]
    return _by_value(rating)


def _by_value(rating: dict) -> Status | None:
    value = _number(rating.get("ratingValue"))
    best = _number(rating.get("bestRating", DEFAULT_BEST))
    worst = _number(rating.get("worstRating", DEFAULT_WORST))
    if value is None or best is None or worst is None or best == worst:
        return None
    position = (value - worst) / (best - worst)
    if not 0.0 <= position <= 1.0:
        return None
    return next(status for lowest, status in NUMERIC_BANDS if position >= lowest)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
