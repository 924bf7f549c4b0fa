from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.orm import Attributed, Base, Identified, Timestamped, Versioned, str_enum

if TYPE_CHECKING:
    from service.claims.models import Claim
    from service.sources.models import Source


class AnchorState(enum.StrEnum):
    ANCHORED = "anchored"
    UNANCHORED = "unanchored"


class Appearance(Identified, Attributed, Timestamped, Versioned, Base):
    """Where a claim appears: a quote, anchored by offsets and context in its source's text."""

    __tablename__ = "appearance"
    __table_args__ = (
        UniqueConstraint("claim_id", "source_id", "start", "end"),
        CheckConstraint('"start" >= 0 AND "end" > "start"', name="offsets"),
        Index("ix_appearance_source_id_claim_id", "source_id", "claim_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"))
    quote: Mapped[str] = mapped_column(Text)
    start: Mapped[int | None]
    end: Mapped[int | None]
    prefix: Mapped[str | None] = mapped_column(String(32))
    suffix: Mapped[str | None] = mapped_column(String(32))
    anchor_state: Mapped[AnchorState] = mapped_column(
        str_enum(AnchorState, "anchor_state", length=16),
    )
    created_by: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[str | None] = mapped_column(String(100))

    claim: Mapped[Claim] = relationship(back_populates="appearances")
    source: Mapped[Source] = relationship()

    def __repr__(self) -> str:
        return f"<Appearance {self.id} claim={self.claim_id} source={self.source_id}>"
