"""PostgreSQL: `claim` drops its own search vector, now that `claim_search` holds it (0008).

The column goes with its GIN index and 0007's per-status indexes, so each claim's vector is
stored once, and a write to a claim computes it once. App servers of releases before 0008
search that column: upgrade a deployment that runs several of them in two steps (README.md,
"Deploying on PostgreSQL"), to 0008 while they roll over, then here.

Dropping a column frees no space until the table is rewritten (`VACUUM FULL claim`: 652 MB
to 447 MB at a million claims). The downgrade computes the column again for every claim.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 12:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As of 0007, whose indexes the downgrade makes again.
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


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE claim DROP COLUMN search_vector")  # and the indexes over it


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE claim ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, search_text)) STORED"
    )
    op.execute("CREATE INDEX ix_claim_search_vector ON claim USING gin (search_vector)")
    for status in STATUSES:
        op.execute(
            f"CREATE INDEX ix_claim_{status}_search_vector ON claim "
            f"USING gin (search_vector) WHERE status = '{status}'"
        )
