"""Identity and provenance: a uid on every record, and what an import says of its authors.

Sources, claims, appearances, evidence and status changes get `uid` (a UUID, unique, never
changed), which exports write and imports match records by, and `original_author` /
`original_created_at`, where an import keeps who and when its file says wrote a record
(`created_by` / `created_at` stay the importer's).

Existing rows get random version-4 uids. Columns are added with plain ALTER TABLE ... ADD
COLUMN, never in batch mode: recreating `claim` or `source` on SQLite would drop their FTS5
triggers (see 0004). SQLite adds a NOT NULL column only with a default, so there `uid` is
added with an empty default that the backfill replaces at once and that no insert uses (the
models always set a uid). PostgreSQL fills the column in the ALTER itself, then drops the
default: one rewrite of each table, under its ACCESS EXCLUSIVE lock.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 16:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("source", "claim", "appearance", "evidence", "status_change")

# SQLite has no UUID function: 32 hex digits laid out as a version-4 UUID (4 at the 13th,
# 8, 9, a or b at the 17th), which is how SQLAlchemy's Uuid type stores one there.
SQLITE_UUID4 = (
    "lower(hex(randomblob(6)) || '4' || substr(hex(randomblob(2)), 2)"
    " || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2)"
    " || hex(randomblob(6)))"
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if postgresql:
            op.add_column(
                table,
                sa.Column(
                    "uid", sa.Uuid(), nullable=False, server_default=sa.text("gen_random_uuid()")
                ),
            )
            op.alter_column(table, "uid", server_default=None)
        else:
            op.add_column(
                table, sa.Column("uid", sa.Uuid(), nullable=False, server_default=sa.text("''"))
            )
            op.execute(f"UPDATE {table} SET uid = {SQLITE_UUID4}")
        op.create_index(f"ix_{table}_uid", table, ["uid"], unique=True)
        op.add_column(table, sa.Column("original_author", sa.String(length=100), nullable=True))
        op.add_column(
            table, sa.Column("original_created_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place; batch mode would recreate the table.
    for table in reversed(TABLES):
        op.drop_column(table, "original_created_at")
        op.drop_column(table, "original_author")
        op.drop_index(f"ix_{table}_uid", table_name=table)
        op.drop_column(table, "uid")
