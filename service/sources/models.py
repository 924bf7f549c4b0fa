from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.languages.models import WrittenIn
from service.orm import Attributed, Base, Identified, Timestamped, Versioned, str_enum


class SourceKind(enum.StrEnum):
    ARTICLE = "article"
    OFFICIAL_STATEMENT = "official_statement"
    SOCIAL_POST = "social_post"
    REPORT = "report"
    DATASET = "dataset"
    OTHER = "other"


class Source(Identified, Attributed, WrittenIn, Timestamped, Versioned, Base):
    """A document where claims appear or where evidence comes from."""

    __tablename__ = "source"
    __table_args__ = (
        Index("ix_source_created_at_id", "created_at", "id"),
        Index("ix_source_publisher_created_at_id", "publisher", "created_at", "id"),
        Index("ix_source_published_on", "published_on"),
        # Full text, made by the migrations: a stored search_vector column (the analysed
        # terms, claimtrack_terms_vector()) with its GIN index on PostgreSQL, the FTS5 table
        # source_fts on SQLite.
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    # Unique by hash: normalised URLs can outgrow what a B-tree index entry may hold.
    url_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(200))
    published_on: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[SourceKind] = mapped_column(
        str_enum(SourceKind, "kind", length=32),
        default=SourceKind.ARTICLE,
    )
    text: Mapped[str | None] = mapped_column(Text)
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    # What full-text search reads: the title and the text.
    search_text: Mapped[str] = mapped_column(Text, default="")
    archived_url: Mapped[str | None] = mapped_column(String(2048))
    created_by: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[str | None] = mapped_column(String(100))

    def __repr__(self) -> str:
        return f"<Source {self.id} {self.url}>"
