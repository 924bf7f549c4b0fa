"""An index for the follow-up queue: claims by review_due, then id.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 05:28:18.525502
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index("ix_claim_review_due_id", ["review_due", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_review_due_id")
