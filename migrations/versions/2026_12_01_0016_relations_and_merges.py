"""Relations between claims, and merges (issue 15, items 3 and 4).

- `relation`: a typed link (duplicate_of, contradicts, supersedes, related) from one claim to
  another; one of each type between two claims, never from a claim to itself.
- `claim.merged_into_id`: the claim a claim was merged into. Lists, search and matching leave
  merged claims out, and their URLs redirect to the target.
- `status_change.merged_claim_id`: on the entry that records a merge, the claim merged.

Both new columns are added in place, on SQLite too (ADD COLUMN with its REFERENCES clause):
batch mode would copy `claim`, and that drops its FTS triggers (see 0004).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 00:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELATION_TYPES = ("duplicate_of", "contradicts", "supersedes", "related")


def add_reference(table: str, column: str, on_delete: str) -> None:
    """A nullable column referring to a claim, added in place on both databases.

    Alembic would add the foreign key as a constraint of its own, which SQLite cannot;
    SQLite takes it in the column's definition instead.
    """
    name = f"fk_{table}_{column}_claim"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
            f"CONSTRAINT {name} REFERENCES claim (id) ON DELETE {on_delete}"
        )
        return
    op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
    op.create_foreign_key(name, table, "claim", [column], ["id"], ondelete=on_delete)


def upgrade() -> None:
    op.create_table(
        "relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                *RELATION_TYPES, name="type", native_enum=False, create_constraint=True, length=16
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("uid", sa.Uuid(), nullable=False),
        sa.Column("original_author", sa.String(length=100), nullable=True),
        sa.Column("original_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("claim_id <> target_id", name=op.f("ck_relation_not_itself")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_relation_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["claim.id"],
            name=op.f("fk_relation_target_id_claim"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation")),
        sa.UniqueConstraint(
            "claim_id", "target_id", "type", name=op.f("uq_relation_claim_id_target_id_type")
        ),
    )
    op.create_index(op.f("ix_relation_uid"), "relation", ["uid"], unique=True)
    op.create_index("ix_relation_target_id_id", "relation", ["target_id", "id"], unique=False)

    add_reference("claim", "merged_into_id", "CASCADE")
    # Partial: the merged claims alone, which lists leave out by id (a small hashed set).
    op.create_index(
        "ix_claim_merged_into_id",
        "claim",
        ["merged_into_id"],
        unique=False,
        postgresql_where=sa.text("merged_into_id IS NOT NULL"),
        sqlite_where=sa.text("merged_into_id IS NOT NULL"),
    )
    add_reference("status_change", "merged_claim_id", "SET NULL")
    op.create_index(
        op.f("ix_status_change_merged_claim_id"), "status_change", ["merged_claim_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_status_change_merged_claim_id"), table_name="status_change")
    op.drop_index("ix_claim_merged_into_id", table_name="claim")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_status_change_merged_claim_id_claim", "status_change")
        op.drop_constraint("fk_claim_merged_into_id_claim", "claim")
    # SQLite (3.35+) drops a column in place, its REFERENCES clause with it; batch mode would
    # recreate the table.
    op.drop_column("status_change", "merged_claim_id")
    op.drop_column("claim", "merged_into_id")
    op.drop_index("ix_relation_target_id_id", table_name="relation")
    op.drop_index(op.f("ix_relation_uid"), table_name="relation")
    op.drop_table("relation")
