"""Merging a claim into another: its records move to the target, and it redirects there.

A merge moves the claim's appearances, evidence, reviews, relations and tags to the target
and records the merge in the target's timeline, in one transaction. It never deletes a row:
a record the target holds already (an appearance at the same place, a review at the same
URL, the same tag, a relation the target has, or one between the two claims) stays with the
merged claim, where the export still finds it. The merged claim keeps its own timeline (its
history, whose citations follow the evidence to the target) and `merged_into_id`; from then
on its URLs answer 308 to the target's, and writes to it 409 (service/relations/redirects.py).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.claims.models import Claim
from service.errors import FieldError, PreconditionFailedError
from service.etag import check_if_match, etag_headers, etag_of
from service.evidence.models import Evidence
from service.relations.models import SYMMETRIC, Relation
from service.reviews.models import Review
from service.status_changes import rules
from service.status_changes.models import StatusChange


def merge_rationale(merged: Claim) -> str:
    return f'Merged claim {merged.uid} into this one: "{merged.text}"'


def lock_pair(session: Session, claim_id: int, into: int) -> tuple[Claim | None, Claim | None]:
    """Both claims, locked in id order (so that two merges of the same pair cannot deadlock)."""
    found = {}
    for claim_id_ in sorted({claim_id, into}):
        found[claim_id_] = session.get(
            Claim, claim_id_, with_for_update=True, populate_existing=True
        )
    return found[claim_id], found[into]


def check_merge(merged: Claim, target: Claim | None, into: int, into_etag: str | None) -> Claim:
    """Refuse a merge that cannot be: 422 naming `into`, or 412 for a stale ETag."""
    check_if_match(merged)
    if into == merged.id:
        raise FieldError("into", "a claim cannot be merged into itself")
    if target is None:
        raise FieldError("into", f"claim {into} does not exist")
    if target.merged_into_id is not None:
        raise FieldError(
            "into",
            f"claim {into} was merged into claim {target.merged_into_id} already: "
            "merge into that one",
            merged_into=target.merged_into_id,
        )
    if target.kind != merged.kind:
        raise FieldError(
            "into",
            f"claim {merged.id} is a {merged.kind} claim and claim {into} a {target.kind} one: "
            "their statuses differ, so they cannot be one claim",
        )
    if into_etag is not None and into_etag.strip().removeprefix("W/").strip('"') != etag_of(target):
        raise PreconditionFailedError(
            f"into_etag does not match claim {into}'s current ETag: it changed since you "
            "read it. Fetch it again, then retry.",
            errors={"into_etag": ["Stale: the target changed since you read it."]},
            headers=etag_headers(target),
        )
    return target


def merge(session: Session, merged: Claim, target: Claim) -> StatusChange:
    """Move `merged`'s records to `target` (both locked and checked: check_merge)."""
    _move_appearances(merged, target)
    _move_claim_rows(session, Evidence, merged, target, key=None)
    _move_claim_rows(session, Review, merged, target, key="url_sha256")
    _move_tags(merged, target)
    _move_relations(session, merged, target)
    # Claims merged into this one before now point to the target: one redirect, never two.
    for earlier in session.scalars(select(Claim).where(Claim.merged_into_id == merged.id)):
        earlier.merged_into_id = target.id
    merged.merged_into_id = target.id
    move = rules.merge_into(target.kind, target.status)
    change = StatusChange(
        claim_id=target.id,
        from_status=move.from_status,
        to_status=move.to_status,
        rationale=merge_rationale(merged),
        review_due=target.review_due,
        merged_claim_id=merged.id,
    )
    session.add(change)
    session.flush()
    for claim in (merged, target):
        session.expire(claim, ["appearances", "tag_rows", "evidence", "reviews"])
        claim.touch()  # new ETags, and search texts that follow the quotes and evidence
    session.flush()
    session.refresh(target)  # its evidence count
    return change


def _move_appearances(merged: Claim, target: Claim) -> None:
    places: set[tuple[int, int | None, int | None]] = {
        (a.source_id, a.start, a.end) for a in target.appearances if a.start is not None
    }
    for appearance in list(merged.appearances):
        place = (appearance.source_id, appearance.start, appearance.end)
        if appearance.start is None or place not in places:
            appearance.claim_id = target.id
            places.add(place)


def _move_claim_rows(session: Session, model, merged: Claim, target: Claim, key) -> None:
    taken: set = set()
    if key is not None:
        taken = set(session.scalars(select(getattr(model, key)).where(model.claim_id == target.id)))
    for row in session.scalars(select(model).where(model.claim_id == merged.id)):
        if key is None or getattr(row, key) not in taken:
            row.claim_id = target.id
            if key is not None:
                taken.add(getattr(row, key))


def _move_tags(merged: Claim, target: Claim) -> None:
    held = {row.tag for row in target.tag_rows}
    for row in list(merged.tag_rows):
        if row.tag not in held:
            # A tag row's claim is its key: the row moves as a delete and an insert.
            merged.tag_rows.remove(row)
            target.tag_rows.append(type(row)(tag=row.tag))
    target.tag_rows.sort(key=lambda row: row.tag)


def _move_relations(session: Session, merged: Claim, target: Claim) -> None:
    relations = session.scalars(
        select(Relation)
        .where((Relation.claim_id == merged.id) | (Relation.target_id == merged.id))
        .order_by(Relation.id)
    ).all()
    held = {
        tuple(row)
        for row in session.execute(
            select(Relation.claim_id, Relation.target_id, Relation.type).where(
                (Relation.claim_id == target.id) | (Relation.target_id == target.id)
            )
        )
    }
    for relation in relations:
        start = target.id if relation.claim_id == merged.id else relation.claim_id
        end = target.id if relation.target_id == merged.id else relation.target_id
        said = {(start, end, relation.type)}
        if relation.type in SYMMETRIC:
            said.add((end, start, relation.type))
        if start == end or said & held:
            continue  # between the two claims, or the target says it already: it stays
        relation.claim_id, relation.target_id = start, end
        held.add((start, end, relation.type))
