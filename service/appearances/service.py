"""Appearances: where a claim appears, anchored in its source's text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select, true
from sqlalchemy.orm import Session

from service.appearances.anchoring import Anchor, anchor_quote, apply_anchor
from service.appearances.models import Appearance
from service.claims.models import Claim
from service.errors import ConflictError, FieldError
from service.pagination import Page, paginate_by_id
from service.sources.models import Source


def add_appearance(session: Session, claim: Claim, data: dict[str, Any]) -> Appearance:
    source = session.get(Source, data["source_id"])
    if source is None:
        raise FieldError("source_id", f"source {data['source_id']} does not exist")
    anchor = anchor_quote(source.text, data["quote"], data.get("start"), data.get("end"))
    _refuse_duplicate(session, claim.id, source.id, data["quote"], anchor)
    appearance = Appearance(claim=claim, source=source, quote=data["quote"])
    apply_anchor(appearance, anchor)
    session.add(appearance)
    claim.touch()
    session.flush()
    return appearance


def update_appearance(
    session: Session, appearance: Appearance, changes: dict[str, Any]
) -> Appearance:
    quote = changes.get("quote", appearance.quote)
    start, end = changes.get("start"), changes.get("end")
    if quote == appearance.quote and start is None and end is None:
        return appearance  # nothing to move
    anchor = anchor_quote(appearance.source.text, quote, start, end)
    _refuse_duplicate(
        session, appearance.claim_id, appearance.source_id, quote, anchor, appearance.id
    )
    appearance.quote = quote
    apply_anchor(appearance, anchor)
    if session.is_modified(appearance):
        appearance.claim.touch()
    session.flush()
    return appearance


def delete_appearance(session: Session, appearance: Appearance) -> None:
    claim = appearance.claim
    claim.appearances.remove(appearance)  # so that the claim's search text drops the quote
    session.delete(appearance)
    claim.touch()
    session.flush()


def list_appearances(session: Session, claim: Claim, **paging: Any) -> Page:
    return paginate_by_id(
        session, select(Appearance).where(Appearance.claim_id == claim.id), **paging
    )


def _refuse_duplicate(
    session: Session,
    claim_id: int,
    source_id: int,
    quote: str,
    anchor: Anchor,
    exclude_id: int | None = None,
) -> None:
    """One appearance per place: the same offsets, or the same unanchored quote."""
    same_place = (
        and_(Appearance.quote == quote, Appearance.start.is_(None))
        if anchor.start is None
        else and_(Appearance.start == anchor.start, Appearance.end == anchor.end)
    )
    duplicate = session.scalar(
        select(Appearance.id).where(
            Appearance.claim_id == claim_id,
            Appearance.source_id == source_id,
            same_place,
            Appearance.id != exclude_id if exclude_id else true(),
        )
    )
    if duplicate is not None:
        raise ConflictError(
            f"the claim already appears there: appearance {duplicate}",
            slug="duplicate-appearance",
            existing_id=duplicate,
        )
