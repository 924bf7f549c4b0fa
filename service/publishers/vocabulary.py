"""Editing a publisher's rating vocabulary, and what that changes in the reviews it rated."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.claims.statuses import Status
from service.publishers import service as publishers
from service.publishers.models import Publisher, PublisherRating
from service.reviews import service as reviews


def set_rating(
    session: Session, publisher: Publisher, label: str, status: Status | None
) -> PublisherRating:
    """`label` means `status` for this publisher from now on; its reviews so rated follow."""
    entry, _created = publishers.put_rating(session, publisher, label, status)
    reviews.remap_label(session, publisher, entry.label_key)
    return entry


def remove_rating(session: Session, publisher: Publisher, label: str) -> None:
    """The built-in vocabulary decides `label` again for this publisher's reviews."""
    key = publishers.delete_rating(session, publisher, label)
    reviews.remap_label(session, publisher, key)
