"""Full-text search over claims and sources, and an index for every filter and sort.

PostgreSQL: GIN indexes on to_tsvector('english', ...) expressions, as the models declare.
SQLite: FTS5 external-content tables (porter stemming, diacritics kept as PostgreSQL keeps
them), kept in step with their tables by triggers. A later migration that recreates `claim`
or `source` in batch mode drops those triggers with the table: it must create them again
and rebuild the index (see create_sqlite_fts below).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 05:41:57.153620
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKENIZER = "porter unicode61 remove_diacritics 0"
# table -> (its FTS5 table, the columns that table indexes)
FTS = {"claim": ("claim_fts", ("search_text",)), "source": ("source_fts", ("search_text",))}


def create_sqlite_fts(table: str) -> None:
    fts, columns = FTS[table]
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', "
        f"content_rowid='id', tokenize='{TOKENIZER}')"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_update AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END"
    )
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def drop_sqlite_fts(table: str) -> None:
    fts, _ = FTS[table]
    for event in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS {fts}_{event}")
    op.execute(f"DROP TABLE IF EXISTS {fts}")


def upgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
        batch_op.create_index(
            "ix_claim_claimant_created_at_id", ["claimant", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_claim_language_created_at_id", ["language", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_claim_status_changed_at_id", ["status_changed_at", "id"], unique=False
        )
    # What the claims already say: text, summary and quotes.
    op.execute(
        "UPDATE claim SET search_text = text || char(10) || coalesce(summary, '') || "
        "coalesce((SELECT group_concat(quote, char(10)) FROM appearance "
        "WHERE appearance.claim_id = claim.id), '')"
        if op.get_bind().dialect.name == "sqlite"
        else "UPDATE claim SET search_text = text || chr(10) || coalesce(summary, '') || "
        "coalesce((SELECT string_agg(quote, chr(10)) FROM appearance "
        "WHERE appearance.claim_id = claim.id), '')"
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.alter_column("search_text", server_default=None)

    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    op.execute(
        "UPDATE source SET search_text = coalesce(title, '') || "
        + ("char(10)" if op.get_bind().dialect.name == "sqlite" else "chr(10)")
        + " || coalesce(text, '')"
    )
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.alter_column("search_text", server_default=None)
        batch_op.create_index("ix_source_created_at_id", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_source_published_on", ["published_on"], unique=False)
        batch_op.create_index(
            "ix_source_publisher_created_at_id", ["publisher", "created_at", "id"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_claim_search",
            "claim",
            [sa.text("to_tsvector('english'::regconfig, search_text)")],
            postgresql_using="gin",
        )
        op.create_index(
            "ix_source_search",
            "source",
            [sa.text("to_tsvector('english'::regconfig, search_text)")],
            postgresql_using="gin",
        )
    else:
        create_sqlite_fts("claim")
        create_sqlite_fts("source")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_source_search", table_name="source")
        op.drop_index("ix_claim_search", table_name="claim")
    else:
        drop_sqlite_fts("source")
        drop_sqlite_fts("claim")

    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_index("ix_source_publisher_created_at_id")
        batch_op.drop_index("ix_source_published_on")
        batch_op.drop_index("ix_source_created_at_id")
        batch_op.drop_column("search_text")

    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_status_changed_at_id")
        batch_op.drop_index("ix_claim_language_created_at_id")
        batch_op.drop_index("ix_claim_claimant_created_at_id")
        batch_op.drop_column("search_text")
