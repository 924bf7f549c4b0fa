"""A claim as schema.org ClaimReview JSON-LD, the shape fact-check aggregators read.

See https://schema.org/ClaimReview and Google's ClaimReview guidelines.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from service.appearances.models import AnchorState, Appearance
from service.claims.models import Claim
from service.claims.statuses import BEST_RATING, RATING_VALUES, WORST_RATING, label
from service.languages import UNDETERMINED

CONTEXT = "https://schema.org"


def claim_review(
    claim: Claim, *, url: str, organization: str, last_change_at: datetime
) -> dict[str, Any]:
    """The ClaimReview of `claim`, published at `url` by `organization`."""
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.text,
        "datePublished": claim.created_at.date().isoformat(),
        "dateModified": last_change_at.isoformat(),
        "author": {"@type": "Organization", "name": organization},
        "itemReviewed": _item_reviewed(claim),
        "reviewRating": _rating(claim),
    }
    if claim.summary:
        review["reviewBody"] = claim.summary
    if claim.language != UNDETERMINED:
        review["inLanguage"] = claim.language
    return review


def _item_reviewed(claim: Claim) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant:
        item["author"] = {"@type": "Organization", "name": claim.claimant}
    if claim.claim_date:
        item["datePublished"] = claim.claim_date.isoformat()
    anchored = [a for a in claim.appearances if a.anchor_state == AnchorState.ANCHORED]
    shown = anchored or list(claim.appearances)
    if shown:
        item["appearance"] = [_creative_work(a) for a in shown]
        item["firstAppearance"] = _creative_work(min(shown, key=_publication_order))
    return item


def _publication_order(appearance: Appearance) -> tuple[date, int]:
    return (appearance.source.published_on or date.max, appearance.id)


def _creative_work(appearance: Appearance) -> dict[str, Any]:
    source = appearance.source
    work: dict[str, Any] = {"@type": "CreativeWork", "url": source.url}
    if source.title:
        work["headline"] = source.title
    if source.published_on:
        work["datePublished"] = source.published_on.isoformat()
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.author:
        work["author"] = {"@type": "Person", "name": source.author}
    work["text"] = appearance.quote
    return work


def _rating(claim: Claim) -> dict[str, Any]:
    rating: dict[str, Any] = {
        "@type": "Rating",
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": label(claim.status),
    }
    value = RATING_VALUES.get(claim.status)
    if value is not None:
        rating["ratingValue"] = value
    return rating
