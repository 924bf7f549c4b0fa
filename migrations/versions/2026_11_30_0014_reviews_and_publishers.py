"""Reviews and publishers: other fact-checkers' verdicts, kept with who checked what.

New tables only, so no existing table is rebuilt (on SQLite that would drop the FTS5
triggers, see 0004):
- `publisher`: a fact-checking organisation, unique by the normalised host of its site;
- `publisher_rating`: a publisher's own rating vocabulary (label -> status);
- `review`: one publisher's verdict on a claim, its rating kept as written;
- `status_change_review`: the reviews a status change cites, as status_change_evidence
  does for evidence (no ON DELETE: a cited review cannot be deleted).

Claims imported from ClaimReview before this revision carry the rating in
`claim.original_rating` and the review article as their first evidence item. Each becomes a
review too: its publisher found or made from the evidence's publisher name and the host of
its URL, its date the evidence's `published_on` (a date only), its rating the original one
mapped by the built-in vocabulary, and the status changes that cite that evidence cite the
review as well. The evidence and `original_rating` stay as they are, so nothing is lost and a
downgrade, which drops the new tables, gives back exactly the rows there were.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 20:00:00.000000
"""

import hashlib
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, time

import sqlalchemy as sa
from alembic import op

from service.publishers.hosts import site_host, site_url
from service.ratings import normalise, rating_status
from service.sources.urls import normalize_url

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As of this revision; frozen here rather than read from the app, which may change.
STATUSES = (
    "unverified",
    "in_review",
    "true",
    "mostly_true",
    "mixed",
    "mostly_false",
    "false",
    "unproven",
    "pending",
    "in_progress",
    "stalled",
    "fulfilled",
    "partially_fulfilled",
    "unfulfilled",
)
MAPPED_BY = ("publisher", "builtin", "number")
LABEL_LENGTH = 500


def _recorded() -> list[sa.Column]:
    """The columns every record has: identity, provenance, times and version."""
    return [
        sa.Column("uid", sa.Uuid(), nullable=False),
        sa.Column("original_author", sa.String(length=100), nullable=True),
        sa.Column("original_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "publisher",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("host", sa.String(length=300), nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publisher")),
        sa.UniqueConstraint("host", name=op.f("uq_publisher_host")),
    )
    op.create_index(op.f("ix_publisher_uid"), "publisher", ["uid"], unique=True)
    op.create_table(
        "publisher_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=LABEL_LENGTH), nullable=False),
        sa.Column("label_key", sa.String(length=LABEL_LENGTH), nullable=False),
        sa.Column(
            "status",
            sa.Enum(*STATUSES, name="status", native_enum=False, create_constraint=True, length=32),
            nullable=True,
        ),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["publisher.id"],
            name=op.f("fk_publisher_rating_publisher_id_publisher"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publisher_rating")),
        sa.UniqueConstraint(
            "publisher_id", "label_key", name=op.f("uq_publisher_rating_publisher_id_label_key")
        ),
    )
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("url_sha256", sa.String(length=64), nullable=False),
        sa.Column("headline", sa.String(length=1000), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_time_known", sa.Boolean(), nullable=False),
        sa.Column("rating_label", sa.Text(), nullable=True),
        sa.Column("rating_label_key", sa.String(length=LABEL_LENGTH), nullable=True),
        sa.Column("rating_value", sa.Float(), nullable=True),
        sa.Column("rating_best", sa.Float(), nullable=True),
        sa.Column("rating_worst", sa.Float(), nullable=True),
        sa.Column("rating_original", sa.JSON(), nullable=True),
        sa.Column(
            "rating_status",
            sa.Enum(
                *STATUSES,
                name="rating_status",
                native_enum=False,
                create_constraint=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "rating_mapped_by",
            sa.Enum(
                *MAPPED_BY,
                name="rating_mapped_by",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("claimant_type", sa.String(length=16), nullable=True),
        sa.Column("claimant_url", sa.String(length=2048), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("language_detected", sa.Boolean(), nullable=False),
        *_recorded(),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_review_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["publisher_id"], ["publisher.id"], name=op.f("fk_review_publisher_id_publisher")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
        sa.UniqueConstraint("claim_id", "url_sha256", name=op.f("uq_review_claim_id_url_sha256")),
    )
    op.create_index(op.f("ix_review_claim_id"), "review", ["claim_id"], unique=False)
    op.create_index(op.f("ix_review_uid"), "review", ["uid"], unique=True)
    op.create_index(
        "ix_review_publisher_id_rating_label_key",
        "review",
        ["publisher_id", "rating_label_key"],
        unique=False,
    )
    op.create_table(
        "status_change_review",
        sa.Column("status_change_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["review.id"], name=op.f("fk_status_change_review_review_id_review")
        ),
        sa.ForeignKeyConstraint(
            ["status_change_id"],
            ["status_change.id"],
            name=op.f("fk_status_change_review_status_change_id_status_change"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "status_change_id", "review_id", name=op.f("pk_status_change_review")
        ),
    )
    op.create_index(
        op.f("ix_status_change_review_review_id"),
        "status_change_review",
        ["review_id"],
        unique=False,
    )
    _reviews_from_imported_claims(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f("ix_status_change_review_review_id"), table_name="status_change_review")
    op.drop_table("status_change_review")
    op.drop_index("ix_review_publisher_id_rating_label_key", table_name="review")
    op.drop_index(op.f("ix_review_uid"), table_name="review")
    op.drop_index(op.f("ix_review_claim_id"), table_name="review")
    op.drop_table("review")
    op.drop_table("publisher_rating")
    op.drop_index(op.f("ix_publisher_uid"), table_name="publisher")
    op.drop_table("publisher")


def _reviews_from_imported_claims(connection: sa.Connection) -> None:
    """A review for each claim a ClaimReview import made: its rating and its first evidence."""
    meta = sa.MetaData()
    claim = sa.Table("claim", meta, autoload_with=connection)
    evidence = sa.Table("evidence", meta, autoload_with=connection)
    publisher = sa.Table("publisher", meta, autoload_with=connection)
    review = sa.Table("review", meta, autoload_with=connection)
    cites_evidence = sa.Table("status_change_evidence", meta, autoload_with=connection)
    cites_review = sa.Table("status_change_review", meta, autoload_with=connection)
    earlier = evidence.alias("earlier")
    first_evidence = (
        sa.select(sa.func.min(earlier.c.id))
        .where(earlier.c.claim_id == claim.c.id)
        .scalar_subquery()
    )
    rows = connection.execute(
        sa.select(claim.c.original_rating, evidence)
        .select_from(claim)
        .join(evidence, evidence.c.id == first_evidence)
        .where(claim.c.original_rating.is_not(None))
        .order_by(claim.c.id)
    ).mappings()
    now = datetime.now(UTC)
    publishers: dict[str, int] = {}

    def new_uid():
        # Reflected, the uid column is PostgreSQL's UUID, or SQLite's CHAR(32) of hex digits
        # (how SQLAlchemy's Uuid type stores one there).
        made = uuid.uuid4()
        return made if connection.dialect.name == "postgresql" else made.hex

    for row in rows:
        rating = row["original_rating"] if isinstance(row["original_rating"], dict) else {}
        try:
            host, root = site_host(row["url"]), site_url(row["url"])
            url_key = hashlib.sha256(normalize_url(row["url"]).encode()).hexdigest()
        except ValueError:
            continue  # evidence with a URL that has no host: it stays evidence only
        if host not in publishers:
            found = connection.scalar(sa.select(publisher.c.id).where(publisher.c.host == host))
            if found is None:
                found = connection.execute(
                    publisher.insert().values(
                        uid=new_uid(),
                        name=(row["publisher"] or host)[:200],
                        url=root,
                        host=host,
                        created_at=now,
                        updated_at=now,
                        version=1,
                        created_by="migration 0014",
                    )
                ).inserted_primary_key[0]
            publishers[host] = found
        label = rating.get("alternateName") or rating.get("name")
        label = label if isinstance(label, str) else None
        status, mapped_by = rating_status(
            label, rating.get("ratingValue"), rating.get("bestRating"), rating.get("worstRating")
        )
        published = row["published_on"]
        review_id = connection.execute(
            review.insert().values(
                uid=new_uid(),
                claim_id=row["claim_id"],
                publisher_id=publishers[host],
                url=row["url"],
                url_sha256=url_key,
                headline=row["title"],
                body=row["summary"],
                published_at=datetime.combine(published, time(), tzinfo=UTC) if published else None,
                published_time_known=False,
                rating_label=label,
                rating_label_key=normalise(label)[:LABEL_LENGTH] if label else None,
                rating_value=_number(rating.get("ratingValue")),
                rating_best=_number(rating.get("bestRating")),
                rating_worst=_number(rating.get("worstRating")),
                rating_original=rating,
                rating_status=status.value if status else None,
                rating_mapped_by=mapped_by,
                language=row["language"],
                language_detected=row["language_detected"],
                original_author=row["original_author"],
                original_created_at=row["original_created_at"],
                created_at=now,
                updated_at=now,
                version=1,
                created_by="migration 0014",
            )
        ).inserted_primary_key[0]
        citing = connection.scalars(
            sa.select(cites_evidence.c.status_change_id).where(
                cites_evidence.c.evidence_id == row["id"]
            )
        ).all()
        if citing:
            connection.execute(
                cites_review.insert(),
                [{"status_change_id": change, "review_id": review_id} for change in citing],
            )


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None
