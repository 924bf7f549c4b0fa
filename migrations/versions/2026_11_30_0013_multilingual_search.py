"""Search in each record's language: the index holds analysed terms, on both databases alike.

`search_text` now holds terms, each behind the id of the analyser that made it (service/
search.py, service/indexing.py), rather than raw text that each database stemmed as
English. This migration writes it again for every claim and source, in Python.

PostgreSQL builds its tsvectors from those terms as they are, through
claimtrack_terms_vector(): no text-search parser or dictionary in between, so the server's
locale cannot split or change a term. Claims' vectors stay in claim_search (0008), whose
triggers now call it; sources' generated column is made again with it. SQLite's FTS5 tables
are made again with the `ascii` tokenizer, which splits at spaces and keeps every non-ASCII
character in its term (the default tokenizer splits Indic words at their vowel signs).

`search_analyser` lists the analysers whose terms the index holds, so that a query is
analysed under those alone (service/indexing.py); the rebuild fills it.

The claim table is rewritten row by row, in this migration's one transaction.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from service import indexing

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A tsvector of space-separated terms, positions counted from 1 (PostgreSQL keeps 16,383).
TERMS_VECTOR = (
    "CREATE FUNCTION claimtrack_terms_vector(terms text) RETURNS tsvector "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN coalesce(("
    "SELECT string_agg(format('%L:%s', term, least(position, 16383)), ' ') "
    "FROM unnest(string_to_array(terms, ' ')) WITH ORDINALITY AS t(term, position) "
    "WHERE term <> ''), '')::tsvector"
)
ENGLISH = "to_tsvector('english'::regconfig, {})"
TERMS = "claimtrack_terms_vector({})"
FTS = {"claim": "claim_fts", "source": "source_fts"}
TERMS_TOKENIZER = "ascii"
ENGLISH_TOKENIZER = "porter unicode61 remove_diacritics 0"


def claim_search_functions(vector: str) -> None:
    """claim_search's triggers (0008), writing `vector` of NEW.search_text."""
    new_vector = vector.format("NEW.search_text")
    op.execute(
        "CREATE OR REPLACE FUNCTION claim_search_insert() RETURNS trigger LANGUAGE plpgsql "
        "SET search_path FROM CURRENT AS $$ BEGIN "
        "INSERT INTO claim_search (claim_id, status, search_vector) "
        f"VALUES (NEW.id, NEW.status, {new_vector}); "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION claim_search_update() RETURNS trigger LANGUAGE plpgsql "
        "SET search_path FROM CURRENT AS $$ BEGIN "
        f"UPDATE claim_search SET status = NEW.status, search_vector = {new_vector} "
        "WHERE claim_id = OLD.id AND status = OLD.status; "
        "IF NOT FOUND THEN "
        "INSERT INTO claim_search (claim_id, status, search_vector) "
        f"VALUES (NEW.id, NEW.status, {new_vector}); "
        "END IF; "
        "RETURN NULL; END $$"
    )


def source_vector(vector: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_source_search_vector")
    op.execute("ALTER TABLE source DROP COLUMN search_vector")
    op.execute(
        "ALTER TABLE source ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({vector.format('search_text')}) STORED"
    )
    op.execute("CREATE INDEX ix_source_search_vector ON source USING gin (search_vector)")


def sqlite_fts(table: str, tokenizer: str) -> None:
    """FTS5 over `table`.search_text, kept by triggers (as 0004 made it), with `tokenizer`."""
    fts = FTS[table]
    for event in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS {fts}_{event}")
    op.execute(f"DROP TABLE IF EXISTS {fts}")
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', "
        f"content_rowid='id', tokenize='{tokenizer}')"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_update AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def drop_sqlite_fts(table: str) -> None:
    fts = FTS[table]
    for event in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS {fts}_{event}")
    op.execute(f"DROP TABLE IF EXISTS {fts}")


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "search_analyser",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_analyser")),
    )
    if postgresql:
        op.execute(TERMS_VECTOR)
        claim_search_functions(TERMS)
    else:
        # Rewriting search_text under the old FTS tables would make them re-index it twice.
        for table in FTS:
            drop_sqlite_fts(table)
    # Claims' rows in claim_search follow, by trigger. No reviews yet at this revision.
    indexing.rebuild(op.get_bind(), reviews=False)
    if postgresql:
        source_vector(TERMS)
    else:
        for table in FTS:
            sqlite_fts(table, TERMS_TOKENIZER)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        claim_search_functions(ENGLISH)
    else:
        for table in FTS:
            drop_sqlite_fts(table)
    # The raw text each database stemmed as English: 0004's search_text.
    op.execute(
        "UPDATE claim SET search_text = text || char(10) || coalesce(summary, '') || "
        "coalesce((SELECT char(10) || group_concat(quote, char(10)) FROM appearance "
        "WHERE appearance.claim_id = claim.id), '')"
        if not postgresql
        else "UPDATE claim SET search_text = text || chr(10) || coalesce(summary, '') || "
        "coalesce((SELECT chr(10) || string_agg(quote, chr(10)) FROM appearance "
        "WHERE appearance.claim_id = claim.id), '')"
    )
    op.execute(
        "UPDATE source SET search_text = coalesce(title, '') || "
        + ("chr(10)" if postgresql else "char(10)")
        + " || coalesce(text, '')"
    )
    if postgresql:
        source_vector(ENGLISH)
        op.execute("DROP FUNCTION claimtrack_terms_vector(text)")
    else:
        for table in FTS:
            sqlite_fts(table, ENGLISH_TOKENIZER)
    op.drop_table("search_analyser")
