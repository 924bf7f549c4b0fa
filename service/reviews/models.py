from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.claims.statuses import Status
from service.languages.models import WrittenIn
from service.orm import Attributed, Base, Identified, Timestamped, UTCDateTime, Versioned, str_enum
from service.publishers.models import LABEL_LENGTH, Publisher

if TYPE_CHECKING:
    from service.claims.models import Claim


class MappedBy(enum.StrEnum):
    """What decided a rating's status."""

    PUBLISHER = "publisher"
    BUILTIN = "builtin"
    NUMBER = "number"


class Review(Identified, Attributed, WrittenIn, Timestamped, Versioned, Base):
    """One publisher's published verdict on a claim: a fact-check article and its rating.

    The rating is kept as the publisher wrote it (`rating_original` verbatim, when it came in
    as ClaimReview); `rating_status` is what it means here, and `rating_mapped_by` what
    decided that: the publisher's vocabulary, the built-in one, or the number.
    """

    __tablename__ = "review"
    __table_args__ = (
        UniqueConstraint("claim_id", "url_sha256"),
        Index("ix_review_publisher_id_rating_label_key", "publisher_id", "rating_label_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    # No ON DELETE: a publisher with reviews stays.
    publisher_id: Mapped[int] = mapped_column(ForeignKey("publisher.id"))
    url: Mapped[str] = mapped_column(String(2048))
    url_sha256: Mapped[str] = mapped_column(String(64))
    headline: Mapped[str | None] = mapped_column(String(1000))
    author: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # False when the publisher gave only a date: published_at is then that day at 00:00 UTC.
    published_time_known: Mapped[bool] = mapped_column(default=False)
    rating_label: Mapped[str | None] = mapped_column(Text)
    rating_label_key: Mapped[str | None] = mapped_column(String(LABEL_LENGTH))
    rating_value: Mapped[float | None] = mapped_column(Float)
    rating_best: Mapped[float | None] = mapped_column(Float)
    rating_worst: Mapped[float | None] = mapped_column(Float)
    rating_original: Mapped[dict | None] = mapped_column(JSON)
    rating_status: Mapped[Status | None] = mapped_column(
        str_enum(Status, "rating_status", constraint=False)
    )
    rating_mapped_by: Mapped[MappedBy | None] = mapped_column(
        str_enum(MappedBy, "rating_mapped_by", length=16)
    )
    # The claimant as this review names it in itemReviewed.author: Person or Organization.
    claimant_type: Mapped[str | None] = mapped_column(String(16))
    claimant_url: Mapped[str | None] = mapped_column(String(2048))
    created_by: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[str | None] = mapped_column(String(100))

    claim: Mapped[Claim] = relationship(back_populates="reviews")
    publisher: Mapped[Publisher] = relationship(lazy="joined", innerjoin=True)

    @property
    def rating(self) -> dict[str, Any]:
        return {
            "label": self.rating_label,
            "value": self.rating_value,
            "best": self.rating_best,
            "worst": self.rating_worst,
            "status": self.rating_status,
            "mapped_by": self.rating_mapped_by,
        }

    def __repr__(self) -> str:
        return f"<Review {self.id} claim={self.claim_id} publisher={self.publisher_id}>"
