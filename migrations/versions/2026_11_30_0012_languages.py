"""Languages: ISO 639-1 codes or `und`, detected where nobody gave one.

Claims and sources get `language_detected`; evidence gets `language` and
`language_detected`. Until now a record without a language became `en`: those rows get the
language detected from their own words (a claim's text; a source's title and text;
evidence's title and summary), as new ones do, and `language_detected` is set. Other
languages keep their ISO 639-1 primary subtag (`pt-BR` becomes `pt`), or become `und`.

Detection runs here, in Python, a batch of rows at a time: about a minute per million
claims on this machine, in the migration's one transaction.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 17:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from service.languages import detect, primary_code

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5_000
OLD_DEFAULT = "en"
# table -> the columns whose words tell its language
WORDS = {"claim": ("text",), "source": ("title", "text"), "evidence": ("title", "summary")}


def detect_languages(table: str, every_row: bool) -> None:
    """Detect the language of the table's rows that carry the old default (or of all)."""
    rows_table = sa.table(
        table,
        sa.column("id", sa.Integer),
        sa.column("language", sa.String),
        sa.column("language_detected", sa.Boolean),
        *(sa.column(name, sa.Text) for name in WORDS[table]),
    )
    connection = op.get_bind()
    wanted = sa.true() if every_row else rows_table.c.language == OLD_DEFAULT
    last = 0
    while True:
        rows = connection.execute(
            sa.select(rows_table.c.id, *(rows_table.c[name] for name in WORDS[table]))
            .where(wanted, rows_table.c.id > last)
            .order_by(rows_table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            rows_table.update().where(rows_table.c.id == sa.bindparam("row_id")),
            [
                {
                    "row_id": row.id,
                    "language": detect("\n".join(part or "" for part in row[1:])),
                    "language_detected": True,
                }
                for row in rows
            ],
        )
        last = rows[-1].id


def keep_primary_codes(table: str) -> None:
    connection = op.get_bind()
    languages = connection.scalars(sa.text(f"SELECT DISTINCT language FROM {table}")).all()
    for language in languages:
        if primary_code(language) != language:
            connection.execute(
                sa.text(f"UPDATE {table} SET language = :new WHERE language = :old"),
                {"new": primary_code(language), "old": language},
            )


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode (see 0010); SQLite keeps the defaults, which the
    # models always override.
    op.add_column(
        "evidence",
        sa.Column("language", sa.String(length=35), nullable=False, server_default="und"),
    )
    for table in WORDS:
        op.add_column(
            table,
            sa.Column("language_detected", sa.Boolean(), nullable=False, server_default=sa.false()),
        )
    detect_languages("claim", every_row=False)
    detect_languages("source", every_row=False)
    detect_languages("evidence", every_row=True)
    keep_primary_codes("claim")
    keep_primary_codes("source")
    if op.get_bind().dialect.name == "postgresql":
        for table in WORDS:
            op.alter_column(table, "language_detected", server_default=None)
        op.alter_column("evidence", "language", server_default=None)


def downgrade() -> None:
    # Detected languages stay; they were `en` before, and are valid tags either way.
    for table in reversed(WORDS):
        op.drop_column(table, "language_detected")
    op.drop_column("evidence", "language")
