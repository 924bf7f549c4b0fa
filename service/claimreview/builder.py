"""A claim as schema.org ClaimReview JSON-LD, the shape fact-check aggregators read.

See https://schema.org/ClaimReview and Google's ClaimReview guidelines.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from service.appearances.models import Appearance
from service.claims.models import Claim
from service.claims.statuses import (
    BEST_RATING,
    CONCLUSIONS,
    RATING_VALUES,
    WORST_RATING,
    label,
)
from service.languages import UNDETERMINED
from service.reviews.dates import Published
from service.reviews.models import Review

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


def has_own_verdict(claim: Claim) -> bool:
    """Whether the claim's verdict or outcome is ours: reached by a move that cites no other
    publisher's review (a verdict adopted from one is that publisher's, exported as theirs)."""
    if claim.status not in CONCLUSIONS or not claim.status_changes:
        return claim.status in CONCLUSIONS
    return not claim.status_changes[-1].reviews


def review_claim_review(review: Review, claim: Claim) -> dict[str, Any]:
    """Another publisher's review of `claim` as they published it: their author, URL,
    headline, date and rating (`reviewRating` verbatim when it came in as ClaimReview)."""
    publisher = review.publisher
    published: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": review.url,
        "claimReviewed": claim.text,
        "author": {"@type": "Organization", "name": publisher.name, "url": publisher.url},
        "itemReviewed": _item_reviewed(claim, review.claimant_type, review.claimant_url),
        "reviewRating": review.rating_original or _review_rating(review),
    }
    if review.published_at is not None:
        when = Published(review.published_at, review.published_time_known)
        published["datePublished"] = when.isoformat()
    if review.headline:
        published["headline"] = review.headline
    if review.body:
        published["reviewBody"] = review.body
    if review.language != UNDETERMINED:
        published["inLanguage"] = review.language
    return published


def _review_rating(review: Review) -> dict[str, Any]:
    rating: dict[str, Any] = {"@type": "Rating"}
    if review.rating_label is not None:
        rating["alternateName"] = review.rating_label
    for name, value in (
        ("ratingValue", review.rating_value),
        ("bestRating", review.rating_best),
        ("worstRating", review.rating_worst),
    ):
        if value is not None:
            rating[name] = int(value) if float(value).is_integer() else value
    return rating


def _item_reviewed(
    claim: Claim, claimant_type: str | None = None, claimant_url: str | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant:
        item["author"] = {"@type": claimant_type or "Organization", "name": claim.claimant}
        if claimant_url:
            item["author"]["url"] = claimant_url
    if claim.claim_date:
        item["datePublished"] = claim.claim_date.isoformat()
    shown = list(claim.appearances)  # every one, anchored or not
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
