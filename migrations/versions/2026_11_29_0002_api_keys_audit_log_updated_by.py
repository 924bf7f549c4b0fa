"""API keys, the audit log, and updated_by on every record that can change.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 05:04:14.117001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "researcher",
                "editor",
                "admin",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_key_prefix")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "create",
                "update",
                "delete",
                name="action",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("resource", sa.String(length=32), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_actor_id", ["actor", "id"], unique=False)
        batch_op.create_index(
            "ix_audit_event_resource_resource_id_id",
            ["resource", "resource_id", "id"],
            unique=False,
        )

    # Appearances can change: they get updated_at, which starts out as created_at.
    with op.batch_alter_table("appearance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE appearance SET updated_at = created_at")
    with op.batch_alter_table("appearance", schema=None) as batch_op:
        batch_op.alter_column("updated_at", nullable=False)

    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_by", sa.String(length=100), nullable=True))

    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_by", sa.String(length=100), nullable=True))

    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_by", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_column("updated_by")

    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_column("updated_by")

    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_column("updated_by")

    with op.batch_alter_table("appearance", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("updated_by")

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_resource_resource_id_id")
        batch_op.drop_index("ix_audit_event_actor_id")

    op.drop_table("audit_event")
    op.drop_table("api_key")
