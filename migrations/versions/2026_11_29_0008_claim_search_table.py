"""PostgreSQL: claims' search vectors in `claim_search`, a table partitioned by status.

Ranking reads the vector of every match. In `claim` each vector sat in a 640-byte row among
the claim's other columns, so a broad search filtered by status touched one page of the
638 MB table per match (7,000 pages at the 95th percentile of the benchmark's searches at a
million claims). `claim_search` holds only (claim_id, status, search_vector), partitioned by
status: the claims of one status sit together, under 50 MB with its indexes for the largest,
and a search within a status reads its partition and that partition's GIN index, never
`claim` (bench/README.md: SQL p95 30 ms before, 11 ms after, for the same 200 searches).

It is to PostgreSQL what `claim_fts` is to SQLite: a search structure beside the table,
kept in step by triggers on `claim`. A change of status moves the row to its partition (and
puts back a row that went missing); a deleted claim takes its row along (the foreign key
cascades). The vector is computed by the trigger from `search_text`, which the app keeps. A
status added later lands in the default partition, found as it should be, until a migration
gives it its own.

This revision only adds: `claim.search_vector` and its indexes stay, so that app servers of
the release before keep working while a deployment rolls over to this one. 0009 drops them.
SQLite is unchanged.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 11:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As of this revision; frozen here rather than read from the app, which may change.
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
VECTOR = "to_tsvector('english'::regconfig, NEW.search_text)"  # as 0005's column


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE claim_search ("
        " claim_id integer NOT NULL"
        " CONSTRAINT fk_claim_search_claim_id_claim REFERENCES claim (id) ON DELETE CASCADE,"
        " status varchar(32) NOT NULL,"
        " search_vector tsvector NOT NULL,"
        " CONSTRAINT pk_claim_search PRIMARY KEY (claim_id, status)"
        ") PARTITION BY LIST (status)"
    )
    for status in STATUSES:
        op.execute(
            f"CREATE TABLE claim_search_{status} PARTITION OF claim_search "
            f"FOR VALUES IN ('{status}')"
        )
    op.execute("CREATE TABLE claim_search_other PARTITION OF claim_search DEFAULT")
    op.execute("INSERT INTO claim_search SELECT id, status, search_vector FROM claim")
    # One GIN index per partition, made and named by PostgreSQL from this one.
    op.execute(
        "CREATE INDEX ix_claim_search_search_vector ON claim_search USING gin (search_vector)"
    )
    # The functions keep the search_path they were made with: the table they write is the
    # one beside `claim`, whatever the session that fires them has set.
    op.execute(
        "CREATE FUNCTION claim_search_insert() RETURNS trigger LANGUAGE plpgsql "
        "SET search_path FROM CURRENT AS $$ BEGIN "
        "INSERT INTO claim_search (claim_id, status, search_vector) "
        f"VALUES (NEW.id, NEW.status, {VECTOR}); "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE FUNCTION claim_search_update() RETURNS trigger LANGUAGE plpgsql "
        "SET search_path FROM CURRENT AS $$ BEGIN "
        f"UPDATE claim_search SET status = NEW.status, search_vector = {VECTOR} "
        "WHERE claim_id = OLD.id AND status = OLD.status; "
        "IF NOT FOUND THEN "
        "INSERT INTO claim_search (claim_id, status, search_vector) "
        f"VALUES (NEW.id, NEW.status, {VECTOR}); "
        "END IF; "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER claim_search_insert AFTER INSERT ON claim "
        "FOR EACH ROW EXECUTE FUNCTION claim_search_insert()"
    )
    op.execute(
        "CREATE TRIGGER claim_search_update AFTER UPDATE OF status, search_text ON claim "
        "FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status "
        "OR OLD.search_text IS DISTINCT FROM NEW.search_text) "
        "EXECUTE FUNCTION claim_search_update()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for event in ("insert", "update"):
        op.execute(f"DROP TRIGGER claim_search_{event} ON claim")
        op.execute(f"DROP FUNCTION claim_search_{event}()")
    op.execute("DROP TABLE claim_search")  # and its partitions
