"""Import and export: a claim's fingerprint (its identity across databases) and the rating
another fact-checker gave it, kept verbatim.

Columns are added with plain ALTER TABLE ... ADD COLUMN, never in batch mode: recreating
`claim` on SQLite would drop its FTS5 triggers (see 0004). Existing claims get their
fingerprints here, a batch of ids at a time, so that a large table needs little memory. The
migration is one transaction, so `claim` stays locked while it runs: 2 min 13 s for a million
claims on PostgreSQL here (bench.generate data); plan the deploy of a big database for it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 07:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from service.claims.fingerprint import claim_fingerprint

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5_000
claim = sa.table(
    "claim",
    sa.column("id", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("claimant", sa.String),
    sa.column("claim_date", sa.Date),
    sa.column("fingerprint", sa.String),
)


def backfill_fingerprints() -> None:
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(claim.c.id, claim.c.text, claim.c.claimant, claim.c.claim_date)
            .where(claim.c.id > last)
            .order_by(claim.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            claim.update().where(claim.c.id == sa.bindparam("row_id")),
            [{"row_id": row.id, "fingerprint": claim_fingerprint(*row[1:])} for row in rows],
        )
        last = rows[-1].id


def upgrade() -> None:
    op.add_column("claim", sa.Column("fingerprint", sa.String(length=64), nullable=True))
    op.add_column("claim", sa.Column("original_rating", sa.JSON(), nullable=True))
    backfill_fingerprints()
    op.create_index("ix_claim_fingerprint", "claim", ["fingerprint"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_claim_fingerprint", table_name="claim")
    # SQLite (3.35+) drops a column in place; batch mode would recreate the table.
    op.drop_column("claim", "original_rating")
    op.drop_column("claim", "fingerprint")
