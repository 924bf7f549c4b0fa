"""When another publisher's review settles a claim: the one rule the API and imports share."""

from __future__ import annotations

from service.claims.statuses import CONCLUSIONS, STATUSES_BY_KIND, ClaimKind, Status


def adopted_status(kind: ClaimKind, current: Status, reviewed: Status | None) -> Status | None:
    """The status a review whose rating maps to `reviewed` moves a claim to, if any.

    Only a claim with no verdict or outcome yet moves, and only to a conclusion of its own
    kind; a claim that has one is left as it is, whatever later reviews say.
    """
    if reviewed is None or reviewed not in CONCLUSIONS or current in CONCLUSIONS:
        return None
    if reviewed not in STATUSES_BY_KIND[ClaimKind(kind)]:
        return None
    return reviewed


def rationale(label: str | None, publisher: str, url: str) -> str:
    rated = f"“{label}”" if label else "its rating"
    return f"Rated {rated} by {publisher} ({url})."[:10_000]
