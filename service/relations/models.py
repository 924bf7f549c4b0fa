from __future__ import annotations

import enum
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.orm import Attributed, Base, Identified, Timestamped, Versioned, str_enum


class RelationType(enum.StrEnum):
    DUPLICATE_OF = "duplicate_of"
    CONTRADICTS = "contradicts"
    SUPERSEDES = "supersedes"
    RELATED = "related"


# Said of both claims alike: A contradicts B is B contradicts A, so either is the one relation.
SYMMETRIC = frozenset({RelationType.CONTRADICTS, RelationType.RELATED})


class Relation(Identified, Attributed, Timestamped, Versioned, Base):
    """A typed link from one claim (`claim_id`) to another (`target_id`)."""

    __tablename__ = "relation"
    if TYPE_CHECKING:  # mapped by service/claims/models.py, which knows claims' uids
        target_uid: Mapped[uuid.UUID]
    __table_args__ = (
        UniqueConstraint("claim_id", "target_id", "type"),
        CheckConstraint("claim_id <> target_id", name="not_itself"),
        Index("ix_relation_target_id_id", "target_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"))
    type: Mapped[RelationType] = mapped_column(str_enum(RelationType, "type", length=16))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[str | None] = mapped_column(String(100))

    def direction_from(self, claim_id: int) -> str:
        """`out` when the relation starts at `claim_id`, `in` when it points at it."""
        return "out" if self.claim_id == claim_id else "in"

    def __repr__(self) -> str:
        return f"<Relation {self.id} {self.claim_id} {self.type} {self.target_id}>"
