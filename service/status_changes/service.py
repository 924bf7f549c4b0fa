"""The claim timeline: status changes are appended, never edited, and the claim follows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.claims.models import Claim
from service.claims.statuses import Status
from service.errors import FieldError
from service.evidence.models import Evidence
from service.orm import utcnow
from service.pagination import Page, paginate_by_id
from service.reviews.models import Review
from service.status_changes import rules
from service.status_changes.models import StatusChange
from service.status_changes.rules import Move


def change_status(session: Session, claim: Claim, data: dict[str, Any]) -> StatusChange:
    """Append a move to the claim's timeline; the claim's status and follow-up date follow."""
    status = Status(data["status"])
    move = Move(claim.kind, claim.status, status, grounded=lambda: _has_grounds(session, claim))
    refused = rules.refusal(move)
    if refused is not None:
        raise FieldError("status", rules.reason(refused, move))
    cited = _cited(session, claim, Evidence, "evidence_ids", data["evidence_ids"])
    reviews = _cited(session, claim, Review, "review_ids", data.get("review_ids", []))
    now = utcnow()
    change = StatusChange(
        claim_id=claim.id,
        from_status=claim.status,
        to_status=status,
        rationale=data["rationale"],
        review_due=data["review_due"],
        evidence=cited,
        reviews=reviews,
        created_at=now,
    )
    session.add(change)
    claim.status, claim.status_changed_at, claim.review_due = status, now, data["review_due"]
    session.flush()
    return change


def list_changes(session: Session, claim: Claim, **paging: Any) -> Page:
    return paginate_by_id(
        session, select(StatusChange).where(StatusChange.claim_id == claim.id), **paging
    )


def timeline(session: Session, claim: Claim) -> dict[str, Any]:
    """Status changes and evidence in the order they happened, for a person to read."""
    changes = session.scalars(
        select(StatusChange).where(StatusChange.claim_id == claim.id).order_by(StatusChange.id)
    ).all()
    evidence = session.scalars(
        select(Evidence).where(Evidence.claim_id == claim.id).order_by(Evidence.id)
    ).all()
    entries = [_change_entry(change) for change in changes]
    entries += [_evidence_entry(item) for item in evidence]
    # By date; within a day, in the order things were recorded, so that the claim's creation
    # comes first unless something predates it.
    entries.sort(key=lambda entry: (entry["date"], entry["recorded_at"], entry["kind"]))
    return {"claim_id": claim.id, "status": claim.status, "entries": entries}


def recorded_at(row: StatusChange | Evidence) -> datetime:
    """When a row was first written: where it was imported from, if it was, else here."""
    return row.original_created_at or row.created_at


def _change_entry(change: StatusChange) -> dict[str, Any]:
    if change.from_status is None:
        headline = f"Recorded as {change.to_status}."
    else:
        headline = f"{change.from_status} → {change.to_status}: {change.rationale}"
    return {
        "date": recorded_at(change).date(),
        "recorded_at": recorded_at(change),
        "kind": "status_change",
        "headline": headline,
        "status_change": change,
        "evidence": None,  # both keys, always: a client reads the one `kind` names
    }


def _evidence_entry(item: Evidence) -> dict[str, Any]:
    day: date = item.published_on or recorded_at(item).date()
    source = item.publisher or item.url
    headline = f"Evidence ({item.stance}) from {source}" + (
        f": {item.summary}" if item.summary else ""
    )
    return {
        "date": day,
        "recorded_at": recorded_at(item),
        "kind": "evidence",
        "headline": headline,
        "status_change": None,
        "evidence": item,
    }


def _cited(
    session: Session, claim: Claim, model: type[Evidence] | type[Review], field: str, ids: list[int]
) -> list:
    """The claim's evidence items (or reviews) with these ids, in id order."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found: Sequence[Any] = session.scalars(
        select(model).where(model.id.in_(wanted), model.claim_id == claim.id)
    ).all()
    missing = sorted(set(wanted) - {item.id for item in found})
    if missing:
        what = "evidence" if model is Evidence else "reviews"
        raise FieldError(field, f"not {what} of claim {claim.id}: {', '.join(map(str, missing))}")
    return sorted(found, key=lambda item: item.id)


def _has_grounds(session: Session, claim: Claim) -> bool:
    """Whether the claim has what a conclusion rests on: evidence, or another's review."""
    for model in (Evidence, Review):
        if session.scalar(select(func.count(model.id)).where(model.claim_id == claim.id)):
            return True
    return False
