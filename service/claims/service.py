"""Claims: checkable statements, created in their kind's initial status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.appearances.models import Appearance
from service.claims.models import Claim, ClaimTag
from service.claims.statuses import INITIAL_STATUS, ClaimKind, Status
from service.db import utcnow
from service.pagination import Page, SortKey, paginate
from service.status_changes.models import StatusChange

NEWEST_FIRST = (SortKey(Claim.created_at, descending=True), SortKey(Claim.id, descending=True))
CREATION_RATIONALE = "Claim recorded."


def create_claim(
    session: Session,
    data: dict[str, Any],
    *,
    at: datetime | None = None,
) -> Claim:
    """A new claim in its kind's initial status; `at` backdates it (imports, the demo)."""
    at = at or utcnow()
    kind = ClaimKind(data["kind"])
    status = INITIAL_STATUS[kind]
    claim = Claim(
        kind=kind,
        status=status,
        status_changed_at=at,
        created_at=at,
        updated_at=at,
    )
    _apply(claim, {name: value for name, value in data.items() if name != "kind"})
    claim.status_changes.append(
        StatusChange(
            from_status=None,
            to_status=status,
            rationale=CREATION_RATIONALE,
            review_due=claim.review_due,
            created_at=at,
        )
    )
    session.add(claim)
    session.flush()
    return claim


def update_claim(session: Session, claim: Claim, changes: dict[str, Any]) -> Claim:
    _apply(claim, changes)
    session.flush()
    return claim


def delete_claim(session: Session, claim: Claim) -> None:
    # The timeline goes first: evidence that it cites may not be deleted before it is, and
    # PostgreSQL checks that between the cascades of a single DELETE.
    session.execute(delete(StatusChange).where(StatusChange.claim_id == claim.id))
    session.expire(claim, ["status_changes"])  # so that a loaded copy is not deleted twice
    session.delete(claim)
    session.flush()


def list_claims(
    session: Session,
    *,
    limit: int,
    cursor: str | None = None,
    with_total: bool = False,
    kind: ClaimKind | None = None,
    status: list[Status] | None = None,
    source_id: int | None = None,
    tag: list[str] | None = None,
) -> Page:
    statement = select(Claim)
    if kind is not None:
        statement = statement.where(Claim.kind == kind)
    if status:
        statement = statement.where(Claim.status.in_(status))
    if source_id is not None:
        statement = statement.where(
            Claim.id.in_(select(Appearance.claim_id).where(Appearance.source_id == source_id))
        )
    for each in dict.fromkeys(tag or ()):
        statement = statement.where(
            Claim.id.in_(select(ClaimTag.claim_id).where(ClaimTag.tag == each))
        )
    return paginate(
        session,
        statement,
        order=NEWEST_FIRST,
        sort_name="-created_at",
        limit=limit,
        cursor=cursor,
        with_total=with_total,
    )


def _apply(claim: Claim, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name == "tags":
            _set_tags(claim, set(value))
        else:
            setattr(claim, name, value)


def _set_tags(claim: Claim, wanted: set[str]) -> None:
    # Changed row by row: replacing the collection would insert the unchanged tags again
    # before deleting the old rows, and collide on the primary key.
    current = {row.tag: row for row in claim.tag_rows}
    if wanted == set(current):
        return
    for tag, row in current.items():
        if tag not in wanted:
            claim.tag_rows.remove(row)
    for tag in wanted - set(current):
        claim.tag_rows.append(ClaimTag(tag=tag))
    claim.tag_rows.sort(key=lambda row: row.tag)
    if claim.id is not None:  # a new claim's timestamps are already set
        claim.touch()
