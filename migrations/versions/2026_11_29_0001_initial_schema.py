"""Initial schema: sources, claims, appearances, evidence and the status timeline.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 04:35:49.246534
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "factual",
                "promise",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("claimant", sa.String(length=300), nullable=True),
        sa.Column("claim_date", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
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
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_due", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'factual' AND status IN ('unverified', 'in_review', 'true', "
            "'mostly_true', 'mixed', 'mostly_false', 'false', 'unproven')) "
            "OR (kind = 'promise' AND status IN ('pending', 'in_progress', 'stalled', "
            "'fulfilled', 'partially_fulfilled', 'unfulfilled'))",
            name=op.f("ck_claim_status_of_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index("ix_claim_created_at_id", ["created_at", "id"], unique=False)
        batch_op.create_index(
            "ix_claim_kind_created_at_id", ["kind", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_claim_status_created_at_id", ["status", "created_at", "id"], unique=False
        )

    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("publisher", sa.String(length=200), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "article",
                "official_statement",
                "social_post",
                "report",
                "dataset",
                "other",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("text_sha256", sa.String(length=64), nullable=True),
        sa.Column("archived_url", sa.String(length=2048), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("url_sha256", name=op.f("uq_source_url_sha256")),
    )
    op.create_table(
        "appearance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("prefix", sa.String(length=32), nullable=True),
        sa.Column("suffix", sa.String(length=32), nullable=True),
        sa.Column(
            "anchor_state",
            sa.Enum(
                "anchored",
                "unanchored",
                name="anchor_state",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint('"start" >= 0 AND "end" > "start"', name=op.f("ck_appearance_offsets")),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_appearance_claim_id_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_appearance_source_id_source"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appearance")),
        sa.UniqueConstraint(
            "claim_id",
            "source_id",
            "start",
            "end",
            name=op.f("uq_appearance_claim_id_source_id_start_end"),
        ),
    )
    with op.batch_alter_table("appearance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appearance_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            "ix_appearance_source_id_claim_id", ["source_id", "claim_id"], unique=False
        )

    op.create_table(
        "claim_tag",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_tag_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("claim_id", "tag", name=op.f("pk_claim_tag")),
    )
    with op.batch_alter_table("claim_tag", schema=None) as batch_op:
        batch_op.create_index("ix_claim_tag_tag_claim_id", ["tag", "claim_id"], unique=False)

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("publisher", sa.String(length=200), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column(
            "stance",
            sa.Enum(
                "supports",
                "refutes",
                "mixed",
                "context",
                name="stance",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_evidence_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_evidence_source_id_source"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_source_id"), ["source_id"], unique=False)

    op.create_table(
        "status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("review_due", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_status_change_claim_id_claim"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_change")),
    )
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.create_index("ix_status_change_claim_id_id", ["claim_id", "id"], unique=False)

    op.create_table(
        "status_change_evidence",
        sa.Column("status_change_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_status_change_evidence_evidence_id_evidence"),
        ),
        sa.ForeignKeyConstraint(
            ["status_change_id"],
            ["status_change.id"],
            name=op.f("fk_status_change_evidence_status_change_id_status_change"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "status_change_id", "evidence_id", name=op.f("pk_status_change_evidence")
        ),
    )
    with op.batch_alter_table("status_change_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_change_evidence_evidence_id"), ["evidence_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("status_change_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_change_evidence_evidence_id"))

    op.drop_table("status_change_evidence")
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.drop_index("ix_status_change_claim_id_id")

    op.drop_table("status_change")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_source_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_claim_id"))

    op.drop_table("evidence")
    with op.batch_alter_table("claim_tag", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_tag_tag_claim_id")

    op.drop_table("claim_tag")
    with op.batch_alter_table("appearance", schema=None) as batch_op:
        batch_op.drop_index("ix_appearance_source_id_claim_id")
        batch_op.drop_index(batch_op.f("ix_appearance_claim_id"))

    op.drop_table("appearance")
    op.drop_table("source")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_status_created_at_id")
        batch_op.drop_index("ix_claim_kind_created_at_id")
        batch_op.drop_index("ix_claim_created_at_id")

    op.drop_table("claim")
