"""Reviews: other publishers' verdicts on a claim, each rating kept as its publisher wrote it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.claims.models import Claim
from service.errors import ConflictError, FieldError
from service.pagination import Page, paginate_by_id
from service.publishers import service as publishers
from service.publishers.models import LABEL_LENGTH, Publisher
from service.ratings import normalise, rating_status
from service.reviews.dates import Published, published
from service.reviews.models import MappedBy, Review
from service.reviews.verdicts import adopted_status, rationale
from service.sources.service import url_sha256
from service.sources.urls import normalize_url
from service.status_changes import service as status_changes
from service.status_changes.models import StatusChange, status_change_review


def add_review(session: Session, claim: Claim, data: dict[str, Any]) -> Review:
    """A publisher's review of `claim`; a rating that maps settles a claim with no verdict yet."""
    review = Review()
    with session.no_autoflush:  # the review is stored whole, once
        _apply(session, review, data, claim)
        _refuse_duplicate(session, claim, review)
    review.claim = claim
    session.add(review)
    session.flush()
    claim.touch()
    adopt_verdict(session, claim, review)
    session.flush()
    return review


def update_review(session: Session, review: Review, changes: dict[str, Any]) -> Review:
    with session.no_autoflush:
        _apply(session, review, changes, review.claim)
        if "url" in changes:
            _refuse_duplicate(session, review.claim, review)
    if session.is_modified(review):
        review.claim.touch()
    session.flush()
    adopt_verdict(session, review.claim, review)
    return review


def delete_review(session: Session, review: Review) -> None:
    citing = session.scalars(
        select(status_change_review.c.status_change_id).where(
            status_change_review.c.review_id == review.id
        )
    ).all()
    if citing:
        raise ConflictError(
            f"review {review.id} is cited by the claim's timeline "
            f"(status changes {', '.join(map(str, citing))}), which is never rewritten",
            slug="review-cited",
            status_change_ids=list(citing),
        )
    claim = review.claim
    session.delete(review)
    claim.touch()
    session.flush()


def list_reviews(session: Session, claim: Claim, **paging: Any) -> Page:
    return paginate_by_id(session, select(Review).where(Review.claim_id == claim.id), **paging)


def adopt_verdict(session: Session, claim: Claim, review: Review) -> StatusChange | None:
    """Move a claim with no verdict yet to the one `review`'s rating maps to, citing it."""
    status = adopted_status(claim.kind, claim.status, review.rating_status)
    if status is None:
        return None
    move = {
        "status": status,
        "rationale": rationale(review.rating_label, review.publisher.name, review.url),
        "evidence_ids": [],
        "review_ids": [review.id],
        "review_due": claim.review_due,
    }
    return status_changes.change_status(session, claim, move)


def map_rating(review: Review, vocabulary: publishers.Vocabulary | None) -> None:
    """What the review's rating means here: by its publisher's vocabulary, else the built-in
    one, else (with no label at all) by its number."""
    status, mapped_by = rating_status(
        review.rating_label,
        review.rating_value,
        review.rating_best,
        review.rating_worst,
        own=vocabulary,
    )
    review.rating_status = status
    review.rating_mapped_by = MappedBy(mapped_by) if mapped_by else None


def remap_label(session: Session, publisher: Publisher, key: str) -> int:
    """Map again the publisher's reviews rated `key` after its vocabulary changed; the claims
    they review that have no verdict yet take the new one. Returns how many were mapped."""
    vocabulary = publishers.vocabularies(session, [publisher.id])[publisher.id]
    reviews = session.scalars(
        select(Review)
        .where(Review.publisher_id == publisher.id, Review.rating_label_key == key)
        .order_by(Review.id)
    ).all()
    for review in reviews:
        map_rating(review, vocabulary)
        if session.is_modified(review):
            session.flush()
            claim = session.get(Claim, review.claim_id, with_for_update=True)
            assert claim is not None  # the review's own claim
            adopt_verdict(session, claim, review)
    session.flush()
    return len(reviews)


def rating_key(label: str | None) -> str | None:
    """The review's label as vocabularies compare it (indexed, so cut to the column's size)."""
    return (normalise(label)[:LABEL_LENGTH] or None) if label else None


def _apply(
    session: Session, review: Review, data: dict[str, Any], claim: Claim | None = None
) -> None:
    _apply_publisher(session, review, data)
    for name in ("headline", "author", "body", "claimant_type", "claimant_url"):
        if name in data:
            setattr(review, name, data[name])
    if "url" in data:
        review.url = data["url"]
        review.url_sha256 = url_sha256(normalize_url(data["url"]))
    if "published_at" in data:
        when = _published(data["published_at"])
        review.published_at = when.at if when else None
        review.published_time_known = bool(when and when.time_known)
    if "rating" in data:
        _apply_rating(review, data["rating"])
    if "rating" in data or "publisher_id" in data or "publisher" in data:
        publisher_id = review.publisher.id
        own = publishers.vocabularies(session, [publisher_id])[publisher_id] if publisher_id else {}
        map_rating(review, own)
    words = f"{review.headline or ''}\n{review.body or ''}".strip()
    review.keep_language(data, words or (claim.text if claim is not None else ""))


def _apply_publisher(session: Session, review: Review, data: dict[str, Any]) -> None:
    """Sets the review's publisher from publisher_id or publisher, if given (one of them)."""
    given = [name for name in ("publisher_id", "publisher") if data.get(name) is not None]
    if len(given) == 2:
        raise FieldError("publisher_id", "give publisher_id or publisher, not both")
    if not given and review.publisher_id is None and review.publisher is None:
        raise FieldError("publisher_id", "required: publisher_id, or publisher")
    if data.get("publisher_id") is not None:
        publisher = session.get(Publisher, data["publisher_id"])
        if publisher is None:
            raise FieldError("publisher_id", f"publisher {data['publisher_id']} does not exist")
        review.publisher = publisher
    elif data.get("publisher") is not None:
        named = data["publisher"]
        review.publisher = publishers.find_or_create(session, named["name"], named["url"])


def _apply_rating(review: Review, rating: dict[str, Any]) -> None:
    """Sets the review's rating fields from the rating given (a label, a value or both)."""
    if rating.get("label") is None and rating.get("value") is None:
        raise FieldError("rating.label", "a rating needs a label or a value")
    review.rating_label = rating.get("label")
    review.rating_label_key = rating_key(review.rating_label)
    review.rating_value = rating.get("value")
    review.rating_best = rating.get("best")
    review.rating_worst = rating.get("worst")
    review.rating_original = None  # written here: the fields are the rating


def _published(value: str | None) -> Published | None:
    if value is None:
        return None
    try:
        return published(value)
    except ValueError as error:
        raise FieldError("published_at", str(error)) from None


def _refuse_duplicate(session: Session, claim: Claim, review: Review) -> None:
    same_url = select(Review.id).where(
        Review.claim_id == claim.id, Review.url_sha256 == review.url_sha256
    )
    if review.id is not None:
        same_url = same_url.where(Review.id != review.id)
    taken = session.scalar(same_url)
    if taken is not None:
        raise ConflictError(
            f"claim {claim.id} has a review at this URL already: review {taken}",
            slug="duplicate-review",
            existing_id=taken,
        )
