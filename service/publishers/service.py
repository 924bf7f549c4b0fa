"""Publishers: fact-checking organisations, one per site, and their rating vocabularies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.claims.statuses import Status
from service.errors import ConflictError, FieldError, NotFoundError
from service.pagination import Page, paginate_by_id
from service.publishers.hosts import site_host
from service.publishers.models import LABEL_LENGTH, Publisher, PublisherRating
from service.ratings import normalise

Vocabulary = Mapping[str, Status | None]  # normalised label -> status


def create_publisher(session: Session, data: dict[str, Any]) -> Publisher:
    host = _host(data["url"])
    _refuse_taken(session, host)
    publisher = Publisher(name=data["name"], url=data["url"], host=host)
    session.add(publisher)
    session.flush()
    return publisher


def update_publisher(session: Session, publisher: Publisher, changes: dict[str, Any]) -> Publisher:
    if "url" in changes:
        host = _host(changes["url"])
        if host != publisher.host:
            _refuse_taken(session, host)
        publisher.host = host
    for name in ("name", "url"):
        if name in changes:
            setattr(publisher, name, changes[name])
    session.flush()
    return publisher


def list_publishers(session: Session, **paging: Any) -> Page:
    return paginate_by_id(session, select(Publisher), **paging)


def find_or_create(
    session: Session, name: str, url: str, *, path: str = "publisher.url"
) -> Publisher:
    """The publisher of the site `url` is on; made, named `name`, when there is none yet.

    A publisher found is left as it is: its name is the one it was first given (or an
    editor's since). A new one is added to the session; the caller's flush stores it.
    """
    try:
        host = site_host(url)
    except ValueError:
        raise FieldError(path, "not a URL with a host") from None
    found = session.scalar(select(Publisher).where(Publisher.host == host))
    if found is None:
        found = Publisher(name=name, url=url, host=host)
        session.add(found)
    return found


def vocabularies(
    session: Session, publisher_ids: Iterable[int]
) -> dict[int, dict[str, Status | None]]:
    """Each publisher's own vocabulary, for all of `publisher_ids` in one query."""
    wanted = set(publisher_ids)
    found: dict[int, dict[str, Status | None]] = {id: {} for id in wanted}
    if wanted:
        rows = session.execute(
            select(
                PublisherRating.publisher_id, PublisherRating.label_key, PublisherRating.status
            ).where(PublisherRating.publisher_id.in_(wanted))
        )
        for publisher_id, key, status in rows:
            found[publisher_id][key] = status
    return found


def list_ratings(session: Session, publisher: Publisher, **paging: Any) -> Page:
    statement = select(PublisherRating).where(PublisherRating.publisher_id == publisher.id)
    return paginate_by_id(session, statement, **paging)


def label_key(label: str) -> str:
    """The form a label is compared in; FieldError when nothing of it is left to compare."""
    key = normalise(label)
    if not key:
        raise FieldError("label", "has no letters or digits to match")
    if len(label) > LABEL_LENGTH or len(key) > LABEL_LENGTH:
        raise FieldError("label", f"longer than {LABEL_LENGTH} characters")
    return key


def put_rating(
    session: Session, publisher: Publisher, label: str, status: Status | None
) -> tuple[PublisherRating, bool]:
    """Set what `label` means for `publisher`; True when the entry is new."""
    key = label_key(label)
    entry = _rating(session, publisher, key)
    created = entry is None
    if entry is None:
        entry = PublisherRating(publisher_id=publisher.id, label_key=key)
        session.add(entry)
    entry.label, entry.status = label, status
    session.flush()
    return entry, created


def delete_rating(session: Session, publisher: Publisher, label: str) -> str:
    """Remove `label` from `publisher`'s vocabulary; its normalised key is returned."""
    key = label_key(label)
    entry = _rating(session, publisher, key)
    if entry is None:
        raise NotFoundError(f"publisher {publisher.id} has no rating label {label!r}")
    session.delete(entry)
    session.flush()
    return key


def _rating(session: Session, publisher: Publisher, key: str) -> PublisherRating | None:
    return session.scalar(
        select(PublisherRating).where(
            PublisherRating.publisher_id == publisher.id, PublisherRating.label_key == key
        )
    )


def _host(url: str) -> str:
    try:
        return site_host(url)
    except ValueError:
        raise FieldError("url", "not a URL with a host") from None


def _refuse_taken(session: Session, host: str) -> None:
    taken = session.scalar(select(Publisher.id).where(Publisher.host == host))
    if taken is not None:
        raise ConflictError(
            f"publisher {taken} has the site {host} already",
            slug="duplicate-publisher",
            existing_id=taken,
        )
