from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.claims.statuses import Status
from service.evidence.models import Evidence
from service.orm import Attributed, Base, Identified, UTCDateTime, str_enum, utcnow
from service.reviews.models import Review

# Stored as the plain strings they are; the claim's own check constraint keeps them sound.
STATUS_TYPE = str_enum(Status, "status", constraint=False)

# The evidence a change cites. Its foreign key to evidence has no ON DELETE action on
# purpose: the database itself refuses to delete evidence that the timeline cites.
status_change_evidence = Table(
    "status_change_evidence",
    Base.metadata,
    Column(
        "status_change_id",
        ForeignKey("status_change.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("evidence_id", ForeignKey("evidence.id"), primary_key=True, index=True),
)

# The reviews a change cites (a verdict adopted from another publisher's review), kept the
# same way: a cited review cannot be deleted.
status_change_review = Table(
    "status_change_review",
    Base.metadata,
    Column(
        "status_change_id",
        ForeignKey("status_change.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("review_id", ForeignKey("review.id"), primary_key=True, index=True),
)


class StatusChange(Identified, Attributed, Base):
    """One move in a claim's timeline; rows are only ever inserted."""

    __tablename__ = "status_change"
    if TYPE_CHECKING:  # mapped by service/claims/models.py, which knows claims' uids
        merged_claim_uid: Mapped[uuid.UUID | None]
    __table_args__ = (Index("ix_status_change_claim_id_id", "claim_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"))
    from_status: Mapped[Status | None] = mapped_column(STATUS_TYPE)
    to_status: Mapped[Status] = mapped_column(STATUS_TYPE)
    rationale: Mapped[str] = mapped_column(Text)
    review_due: Mapped[date | None] = mapped_column(Date)
    # Set on the entry that records a merge into this claim: the claim merged (its status
    # does not move, so from_status and to_status are the same).
    merged_claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claim.id", ondelete="SET NULL"), index=True
    )
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    evidence: Mapped[list[Evidence]] = relationship(
        secondary=status_change_evidence, order_by=Evidence.id
    )
    reviews: Mapped[list[Review]] = relationship(secondary=status_change_review, order_by=Review.id)

    @property
    def version(self) -> int:
        """Always 1: a status change is never edited (its ETag never changes)."""
        return 1

    @property
    def evidence_ids(self) -> list[int]:
        return [item.id for item in self.evidence]

    @property
    def review_ids(self) -> list[int]:
        return [item.id for item in self.reviews]

    def __repr__(self) -> str:
        return (
            f"<StatusChange {self.id} claim={self.claim_id} {self.from_status}->{self.to_status}>"
        )
