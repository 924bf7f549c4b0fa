"""The statuses of each kind of claim, and the ClaimReview rating each one maps to."""

from __future__ import annotations

import enum


class ClaimKind(enum.StrEnum):
    FACTUAL = "factual"
    PROMISE = "promise"


class Status(enum.StrEnum):
    # factual
    UNVERIFIED = "unverified"
    IN_REVIEW = "in_review"
    TRUE = "true"
    MOSTLY_TRUE = "mostly_true"
    MIXED = "mixed"
    MOSTLY_FALSE = "mostly_false"
    FALSE = "false"
    UNPROVEN = "unproven"
    # promise
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    STALLED = "stalled"
    FULFILLED = "fulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    UNFULFILLED = "unfulfilled"


STATUSES_BY_KIND: dict[ClaimKind, tuple[Status, ...]] = {
    ClaimKind.FACTUAL: (
        Status.UNVERIFIED,
        Status.IN_REVIEW,
        Status.TRUE,
        Status.MOSTLY_TRUE,
        Status.MIXED,
        Status.MOSTLY_FALSE,
        Status.FALSE,
        Status.UNPROVEN,
    ),
    ClaimKind.PROMISE: (
        Status.PENDING,
        Status.IN_PROGRESS,
        Status.STALLED,
        Status.FULFILLED,
        Status.PARTIALLY_FULFILLED,
        Status.UNFULFILLED,
    ),
}
INITIAL_STATUS = {ClaimKind.FACTUAL: Status.UNVERIFIED, ClaimKind.PROMISE: Status.PENDING}
# Verdicts and outcomes: the statuses a researcher reaches on evidence.
CONCLUSIONS = frozenset(
    {
        Status.TRUE,
        Status.MOSTLY_TRUE,
        Status.MIXED,
        Status.MOSTLY_FALSE,
        Status.FALSE,
        Status.UNPROVEN,
        Status.FULFILLED,
        Status.PARTIALLY_FULFILLED,
        Status.UNFULFILLED,
    }
)

# Verdicts settle a factual claim; a promise's outcome can still change, as real ones do.
FINAL = frozenset(
    {
        Status.TRUE,
        Status.MOSTLY_TRUE,
        Status.MIXED,
        Status.MOSTLY_FALSE,
        Status.FALSE,
        Status.UNPROVEN,
    }
)

BEST_RATING = 5
WORST_RATING = 1
RATING_VALUES = {
    Status.TRUE: 5,
    Status.MOSTLY_TRUE: 4,
    Status.MIXED: 3,
    Status.MOSTLY_FALSE: 2,
    Status.FALSE: 1,
    Status.FULFILLED: 5,
    Status.PARTIALLY_FULFILLED: 3,
    Status.UNFULFILLED: 1,
}


def label(status: Status) -> str:
    """'partially_fulfilled' -> 'Partially fulfilled'."""
    return status.value.replace("_", " ").capitalize()


def rating(status: Status) -> dict:
    return {
        "label": label(status),
        "value": RATING_VALUES.get(status),
        "best": BEST_RATING,
        "worst": WORST_RATING,
    }
