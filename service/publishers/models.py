from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.claims.statuses import Status
from service.orm import Attributed, Base, Identified, Timestamped, Versioned, str_enum

LABEL_LENGTH = 500


class Publisher(Identified, Attributed, Timestamped, Versioned, Base):
    """A fact-checking organisation: one per site, found by the normalised host of its URL."""

    __tablename__ = "publisher"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2048))
    host: Mapped[str] = mapped_column(String(300), unique=True)
    created_by: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[str | None] = mapped_column(String(100))

    def __repr__(self) -> str:
        return f"<Publisher {self.id} {self.host}>"


class PublisherRating(Timestamped, Base):
    """One label of a publisher's own rating vocabulary, and the status it means here.

    A null status is a decision too: the label is no verdict, whatever the built-in
    vocabulary would read into it.
    """

    __tablename__ = "publisher_rating"
    __table_args__ = (UniqueConstraint("publisher_id", "label_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publisher_id: Mapped[int] = mapped_column(ForeignKey("publisher.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    # The label as it is compared (service/ratings/normalise.py): what makes it unique.
    label_key: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    status: Mapped[Status | None] = mapped_column(str_enum(Status, "status"))
    created_by: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[str | None] = mapped_column(String(100))

    def __repr__(self) -> str:
        return f"<PublisherRating {self.publisher_id} {self.label!r} -> {self.status}>"
