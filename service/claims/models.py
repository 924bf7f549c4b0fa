from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    column,
    func,
    inspect,
    select,
    table,
    text,
)
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import (
    Mapped,
    column_property,
    mapped_column,
    object_session,
    relationship,
    validates,
)

from service.appearances.models import Appearance
from service.claims.fingerprint import claim_fingerprint
from service.claims.statuses import STATUSES_BY_KIND, ClaimKind, Status, rating
from service.evidence.models import Evidence
from service.indexing import claim_search_text
from service.languages.models import WrittenIn
from service.orm import (
    Attributed,
    Base,
    Identified,
    Timestamped,
    UTCDateTime,
    Versioned,
    str_enum,
    utcnow,
)
from service.relations.models import Relation
from service.reviews.models import Review
from service.status_changes.models import StatusChange


def _status_of_kind() -> str:
    """SQL that holds when a claim's status is one of its kind's statuses."""
    return " OR ".join(
        f"(kind = '{kind}' AND status IN ({', '.join(repr(s.value) for s in statuses)}))"
        for kind, statuses in STATUSES_BY_KIND.items()
    )


class ClaimTag(Base):
    __tablename__ = "claim_tag"
    __table_args__ = (Index("ix_claim_tag_tag_claim_id", "tag", "claim_id"),)

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)

    def __repr__(self) -> str:
        return f"<ClaimTag {self.claim_id} {self.tag}>"


class Claim(Identified, Attributed, WrittenIn, Timestamped, Versioned, Base):
    """One checkable statement, tracked through its statuses."""

    __tablename__ = "claim"
    if TYPE_CHECKING:  # mapped at the end of this module, once Relation is
        merged_into_uid: Mapped[uuid.UUID | None]
        relations: Mapped[list[Relation]]
    __table_args__ = (
        CheckConstraint(_status_of_kind(), name="status_of_kind"),
        Index("ix_claim_created_at_id", "created_at", "id"),
        Index("ix_claim_status_created_at_id", "status", "created_at", "id"),
        Index("ix_claim_kind_created_at_id", "kind", "created_at", "id"),
        Index("ix_claim_review_due_id", "review_due", "id"),
        Index("ix_claim_claimant_created_at_id", "claimant", "created_at", "id"),
        Index("ix_claim_language_created_at_id", "language", "created_at", "id"),
        Index("ix_claim_status_changed_at_id", "status_changed_at", "id"),
        Index("ix_claim_fingerprint", "fingerprint"),
        # Partial: it holds the merged claims alone, which lists leave out by id.
        Index(
            "ix_claim_merged_into_id",
            "merged_into_id",
            postgresql_where=text("merged_into_id IS NOT NULL"),
            sqlite_where=text("merged_into_id IS NOT NULL"),
        ),
        # Full text is indexed by what the migrations make and the models cannot declare,
        # from search_text: PostgreSQL's table claim_search, partitioned by status and kept
        # by triggers, SQLite's FTS5 table claim_fts (both made by the migrations).
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[ClaimKind] = mapped_column(
        str_enum(ClaimKind, "kind", length=16),
    )
    claimant: Mapped[str | None] = mapped_column(String(300))
    claim_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[Status] = mapped_column(
        str_enum(Status, "status", length=32),
    )
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    review_due: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    # What full-text search reads: the claim's text, its summary and its quotes.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[str | None] = mapped_column(String(100))
    # Identity across databases (see service/claims/fingerprint.py), kept by _keep_fingerprint.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    # A rating imported from another fact-checker's ClaimReview, kept verbatim.
    original_rating: Mapped[dict | None] = mapped_column(JSON)
    # The claim this one was merged into (service/relations/merging.py): set once, never
    # cleared. Lists, search and matching leave such claims out; their URLs redirect there.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("claim.id", ondelete="CASCADE", name="fk_claim_merged_into_id_claim")
    )

    tag_rows: Mapped[list[ClaimTag]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=ClaimTag.tag,
        lazy="selectin",
    )
    tags: AssociationProxy[list[str]] = association_proxy(
        "tag_rows", "tag", creator=lambda tag: ClaimTag(tag=tag)
    )
    appearances: Mapped[list[Appearance]] = relationship(
        back_populates="claim",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=Appearance.id,
        lazy="selectin",
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="claim",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=Evidence.id,
        lazy="raise_on_sql",
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="claim",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=Review.id,
        lazy="raise_on_sql",
    )
    status_changes: Mapped[list[StatusChange]] = relationship(
        foreign_keys=[StatusChange.claim_id],
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=StatusChange.id,
        lazy="raise_on_sql",
    )
    evidence_count: Mapped[int] = column_property(
        select(func.count(Evidence.id))
        .where(Evidence.claim_id == id)
        .correlate_except(Evidence)
        .scalar_subquery()
    )

    @validates("text", "claimant", "claim_date")
    def _keep_fingerprint(self, key: str, value):
        identity: dict[str, Any] = {
            "text": self.text,
            "claimant": self.claimant,
            "claim_date": self.claim_date,
        }
        identity[key] = value
        if identity["text"] is not None:
            self.fingerprint = claim_fingerprint(**identity)
        return value

    def touch(self) -> None:
        """Mark the claim changed (a new ETag) when something it shows changed."""
        self.updated_at = utcnow()
        self.refresh_search_text()

    def refresh_search_text(self) -> None:
        """What search reads (service/indexing.py): its words, quotes, evidence's titles and
        reviews' headlines."""
        quotes = [
            (appearance.source.language if appearance.source else self.language, appearance.quote)
            for appearance in self.appearances
        ]
        evidence = [(e.language, e.title, e.summary) for e in self._as_stored("evidence")]
        headlines = [(r.language, r.headline) for r in self._as_stored("reviews")]
        self.search_text = claim_search_text(
            self.language, self.text, self.summary, quotes, evidence, headlines
        )

    def _as_stored(self, collection: str) -> list:
        """The claim's evidence or reviews, read from the database when the collection is not
        loaded.

        Without flushing: a flush in the middle of a write would split it in two (two audit
        entries). Rows loaded already come back as they are in memory, edits included; new
        rows must be flushed before the claim is touched.
        """
        session = object_session(self)
        if collection not in inspect(self).unloaded:
            deleted = session.deleted if session is not None else ()
            return [item for item in getattr(self, collection) if item not in deleted]
        if self.id is None or session is None:
            return []  # a claim not stored yet has only the rows given to it
        models: dict[str, type[Evidence] | type[Review]] = {"evidence": Evidence, "reviews": Review}
        model = models[collection]
        with session.no_autoflush:
            stored = session.scalars(
                select(model).where(model.claim_id == self.id).order_by(model.id)
            )
            return [item for item in stored if item not in session.deleted]

    @property
    def rating(self) -> dict:
        return rating(self.status)

    def __repr__(self) -> str:
        return f"<Claim {self.id} {self.kind} {self.status}>"


# PostgreSQL only, made by the migrations and kept by triggers, so not mapped: each claim's
# search vector, with a copy of its status, in partitions by status (see service/search.py).
CLAIM_SEARCH = table(
    "claim_search",
    column("claim_id", Claim.id.type),
    column("status", Claim.status.type),
    column("search_vector"),
)


# What an export writes of links between claims: uids, not this database's ids. Deferred, so
# that only the export (which undefers them) reads them.
def _claim_uid(claim_id, claims=Claim.__table__):
    """The uid of the claim that `claim_id` names."""
    return column_property(
        select(claims.c.uid)
        .where(claims.c.id == claim_id)
        .correlate_except(claims)
        .scalar_subquery(),
        deferred=True,
    )


Claim.merged_into_uid = _claim_uid(Claim.merged_into_id, Claim.__table__.alias("merged_into"))
StatusChange.merged_claim_uid = _claim_uid(StatusChange.merged_claim_id)
Relation.target_uid = _claim_uid(Relation.target_id)
Claim.relations = relationship(
    Relation,
    foreign_keys=[Relation.claim_id],
    order_by=Relation.id,
    viewonly=True,
    lazy="raise_on_sql",
)
