"""Relations between claims: typed links, listed from both ends, one of each kind per pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from service.claims.models import Claim
from service.errors import FieldError
from service.pagination import Page, paginate_by_id
from service.relations.models import SYMMETRIC, Relation, RelationType


def add_relation(session: Session, claim: Claim, data: dict[str, Any]) -> Relation:
    kind = RelationType(data["type"])
    target = relatable_target(session, claim, data["target_id"])
    existing = same_relation(session, claim.id, target.id, kind)
    if existing is not None:
        raise FieldError(
            "target_id",
            f"claim {claim.id} has this relation to claim {target.id} already: relation {existing}",
            slug="duplicate-relation",
            existing_id=existing,
        )
    relation = Relation(claim_id=claim.id, target_id=target.id, type=kind, note=data.get("note"))
    session.add(relation)
    session.flush()
    return relation


def relatable_target(session: Session, claim: Claim, target_id: int) -> Claim:
    """The claim a relation from `claim` may point to: another one, stored, not merged."""
    if target_id == claim.id:
        raise FieldError("target_id", "a claim cannot be related to itself")
    target = session.get(Claim, target_id)
    if target is None:
        raise FieldError("target_id", f"claim {target_id} does not exist")
    if target.merged_into_id is not None:
        raise FieldError(
            "target_id",
            f"claim {target_id} was merged into claim {target.merged_into_id}: relate to that one",
            merged_into=target.merged_into_id,
        )
    return target


def same_relation(
    session: Session, claim_id: int, target_id: int, kind: RelationType
) -> int | None:
    """The id of the relation that says this already: the same one, or a symmetric one
    read from the other end."""
    pairs = [and_(Relation.claim_id == claim_id, Relation.target_id == target_id)]
    if kind in SYMMETRIC:
        pairs.append(and_(Relation.claim_id == target_id, Relation.target_id == claim_id))
    return session.scalar(
        select(Relation.id).where(Relation.type == kind, or_(*pairs)).order_by(Relation.id)
    )


def delete_relation(session: Session, relation: Relation) -> None:
    session.delete(relation)
    session.flush()


@dataclass(frozen=True)
class Listed:
    """A relation as a claim's list shows it: seen from that claim."""

    relation: Relation
    claim_id: int

    @property
    def direction(self) -> str:
        return self.relation.direction_from(self.claim_id)

    @property
    def other_claim_id(self) -> int:
        relation = self.relation
        return relation.target_id if relation.claim_id == self.claim_id else relation.claim_id

    def __getattr__(self, name: str) -> Any:
        return getattr(self.relation, name)


def list_relations(
    session: Session,
    claim: Claim,
    *,
    type: list[RelationType] | None = None,
    direction: str | None = None,
    **paging: Any,
) -> Page:
    """Relations from the claim and to it, oldest first."""
    ends = {
        "out": Relation.claim_id == claim.id,
        "in": Relation.target_id == claim.id,
        None: or_(Relation.claim_id == claim.id, Relation.target_id == claim.id),
    }
    statement = select(Relation).where(ends[direction])
    if type:
        statement = statement.where(Relation.type.in_(sorted(set(type))))
    page = paginate_by_id(session, statement, **paging)
    page.items = [Listed(relation, claim.id) for relation in page.items]
    return page
