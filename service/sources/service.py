"""Sources: documents where claims appear or where evidence comes from."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from service.appearances.anchoring import reanchor_source
from service.appearances.models import Appearance
from service.errors import ConflictError, FieldError
from service.evidence.models import Evidence
from service.indexing import present_analysers, source_search_text
from service.pagination import Page, SortKey, paginate
from service.search import Searchable, search
from service.sources.models import Source
from service.sources.urls import normalize_url

NEWEST_FIRST = (SortKey(Source.created_at, descending=True), SortKey(Source.id, descending=True))
SEARCHABLE = Searchable(table="source", id_column=Source.id, fts_table="source_fts")


def create_source(session: Session, data: dict[str, Any]) -> Source:
    source = Source()
    _apply(session, source, data)
    session.add(source)
    session.flush()
    return source


def update_source(session: Session, source: Source, changes: dict[str, Any]) -> Source:
    text_changed = "text" in changes and changes["text"] != source.text
    _apply(session, source, changes)
    if text_changed:
        reanchor_source(session, source)
    session.flush()
    return source


def delete_source(session: Session, source: Source) -> None:
    if session.scalar(select(exists().where(Appearance.source_id == source.id))):
        raise ConflictError(
            f"source {source.id} has claims appearing in it; delete those appearances first",
            claims_url=f"/api/v1/sources/{source.id}/claims",
        )
    # Through the ORM rather than the database's SET NULL, so that their versions move.
    for evidence in session.scalars(select(Evidence).where(Evidence.source_id == source.id)):
        evidence.source_id = None
    session.delete(source)
    session.flush()


def list_sources(
    session: Session,
    *,
    limit: int,
    cursor: str | None = None,
    with_total: bool = False,
    q: str | None = None,
    publisher: str | None = None,
    published_after: date | None = None,
    published_before: date | None = None,
) -> Page:
    """Sources matching every filter, by relevance when searched, else newest first."""
    statement, order, sort_name = select(Source), NEWEST_FIRST, "-created_at"
    if q is not None:
        dialect, analysers = (
            session.get_bind().dialect.name,
            present_analysers(session.connection()),
        )
        found = search(statement, SEARCHABLE, q, dialect, analysers)
        statement = found.statement
        order = (SortKey(found.rank, descending=True), SortKey(Source.id, descending=True))
        sort_name = "relevance"
    if publisher is not None:
        statement = statement.where(Source.publisher == publisher)
    if published_after is not None:
        statement = statement.where(Source.published_on > published_after)
    if published_before is not None:
        statement = statement.where(Source.published_on < published_before)
    return paginate(
        session,
        statement,
        order=order,
        sort_name=sort_name,
        limit=limit,
        cursor=cursor,
        with_total=with_total,
    )


def find_by_url(session: Session, url: str) -> Source | None:
    return session.scalar(select(Source).where(Source.url_sha256 == url_sha256(normalize_url(url))))


def url_sha256(normalized_url: str) -> str:
    return hashlib.sha256(normalized_url.encode()).hexdigest()


def refuse_known_url(session: Session, url: str, source_id: int | None) -> None:
    existing = session.scalar(
        select(Source.id).where(Source.url_sha256 == url_sha256(url), Source.id != source_id)
    )
    if existing is not None:
        raise ConflictError(
            f"a source with this URL already exists: {existing}",
            slug="duplicate-url",
            existing_id=existing,
            existing_url=f"/api/v1/sources/{existing}",
        )


def new_source(data: dict[str, Any]) -> Source:
    """A source made from `data` alone, for a caller that knows its URL is new (imports
    look URLs up a batch at a time)."""
    source = Source()
    _fill(source, {**data, **_normalised_url(data["url"])})
    return source


def _normalised_url(url: str) -> dict[str, str]:
    try:
        normalised = normalize_url(url)
    except ValueError as error:  # e.g. a port past 65535
        raise FieldError("url", f"not a valid URL: {error}") from None
    return {"url": normalised, "url_sha256": url_sha256(normalised)}


def _apply(session: Session, source: Source, data: dict[str, Any]) -> None:
    if "url" in data:
        data = {**data, **_normalised_url(data["url"])}
        refuse_known_url(session, data["url"], source.id)
    _fill(source, data)


def _fill(source: Source, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name not in ("language", "language_detected"):
            setattr(source, name, value)
    source.keep_language(data, f"{source.title or ''}\n{source.text or ''}")
    if {"title", "text", "language"} & data.keys():
        source.search_text = source_search_text(source.language, source.title, source.text)
    if "text" in data:
        source.text_sha256 = (
            hashlib.sha256(source.text.encode()).hexdigest() if source.text is not None else None
        )
