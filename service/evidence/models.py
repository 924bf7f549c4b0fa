from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.languages.models import WrittenIn
from service.orm import Attributed, Base, Identified, Timestamped, Versioned, str_enum

if TYPE_CHECKING:
    from service.claims.models import Claim
    from service.sources.models import Source


class Stance(enum.StrEnum):
    SUPPORTS = "supports"
    REFUTES = "refutes"
    MIXED = "mixed"
    CONTEXT = "context"


class Evidence(Identified, Attributed, WrittenIn, Timestamped, Versioned, Base):
    """Follow-up material for or against a claim."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="SET NULL"), index=True
    )
    url: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(200))
    published_on: Mapped[date | None] = mapped_column(Date)
    stance: Mapped[Stance] = mapped_column(
        str_enum(Stance, "stance", length=16),
    )
    summary: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[str | None] = mapped_column(String(100))

    claim: Mapped[Claim] = relationship(back_populates="evidence")
    # Read only: views and exports follow it; writes set source_id.
    source: Mapped[Source | None] = relationship(viewonly=True, lazy="raise_on_sql")

    def __repr__(self) -> str:
        return f"<Evidence {self.id} claim={self.claim_id} {self.stance}>"
