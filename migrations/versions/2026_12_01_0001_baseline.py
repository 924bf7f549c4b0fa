"""Baseline: the whole schema, on an empty database.

Nothing had been released when the development migrations were squashed into this one, so
the schema starts here: there is no upgrade path from databases made by those development
revisions (recreate them, README.md). Migrations written after this one start at 0002.

Besides the tables the models declare, this makes what they cannot declare, and what
migrations/env.py leaves out of autogenerate's comparison: the full-text search structures
beside `claim` and `source` (postgresql_search, sqlite_search below). Both index
`search_text`, which holds terms, not text: each term behind the id of the analyser that
made it (service/search.py, service/indexing.py). `search_analyser` lists the analysers
whose terms the index holds, so that a query is analysed under those alone.

Revision ID: 0001
Revises:
Create Date: 2026-12-01 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As of this revision; frozen here rather than read from the app, which may change.
FACTUAL_STATUSES = (
    "unverified",
    "in_review",
    "true",
    "mostly_true",
    "mixed",
    "mostly_false",
    "false",
    "unproven",
)
PROMISE_STATUSES = (
    "pending",
    "in_progress",
    "stalled",
    "fulfilled",
    "partially_fulfilled",
    "unfulfilled",
)
STATUSES = FACTUAL_STATUSES + PROMISE_STATUSES
RELATION_TYPES = ("duplicate_of", "contradicts", "supersedes", "related")
RATING_MAPPED_BY = ("publisher", "builtin", "number")
LABEL_LENGTH = 500


def is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    create_api_keys_and_audit()
    create_idempotency_keys()
    create_sources()
    create_claims()
    create_appearances_and_tags()
    create_evidence()
    create_status_changes()
    create_publishers_and_reviews()
    create_relations()
    op.create_table(
        "search_analyser",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_analyser")),
    )
    if is_sqlite():
        sqlite_search()
    else:
        postgresql_search()


def downgrade() -> None:
    if is_sqlite():
        drop_sqlite_search()
    else:
        drop_postgresql_search()
    for table in (
        "search_analyser",
        "relation",
        "status_change_review",
        "review",
        "publisher_rating",
        "publisher",
        "status_change_evidence",
        "status_change",
        "evidence",
        "claim_tag",
        "appearance",
        "claim",
        "source",
        "idempotency_key",
        "audit_event",
        "api_key",
    ):
        op.drop_table(table)  # and its indexes


# Columns ---------------------------------------------------------------------------------


def enum(*values: str, name: str, length: int, constraint: bool = True) -> sa.Enum:
    """A string column of `values`, checked by a constraint named after `name` (not native)."""
    return sa.Enum(
        *values, name=name, native_enum=False, create_constraint=constraint, length=length
    )


def on_sqlite(default):
    """`default` as a server default on SQLite, none on PostgreSQL.

    On SQLite, the columns that were added to tables with rows in them during development
    carry the default they were added with (SQLite adds a NOT NULL column only with one):
    `uid` (empty), `language_detected` (false) and evidence's `language` (`und`). No insert
    relies on them, the models always set these columns; they are kept so that this
    schema is the one those revisions built.
    """
    return default if is_sqlite() else None


def uid(server_default=None) -> sa.Column:
    """A record's identity across databases: a UUID, unique, never changed.

    Exports write it and imports match records by it (create_uid_index).
    """
    return sa.Column("uid", sa.Uuid(), nullable=False, server_default=server_default)


def provenance() -> list[sa.Column]:
    """Who and when an imported file says wrote a record (created_* stay the importer's)."""
    return [
        sa.Column("original_author", sa.String(length=100), nullable=True),
        sa.Column("original_created_at", sa.DateTime(timezone=True), nullable=True),
    ]


def recorded() -> list[sa.Column]:
    """Identity, provenance, times, version and authors: publisher's and review's, in order."""
    return [
        uid(),
        *provenance(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
    ]


def language_detected() -> sa.Column:
    """Whether `language` was detected from the record's words rather than given."""
    return sa.Column(
        "language_detected", sa.Boolean(), nullable=False, server_default=on_sqlite(sa.false())
    )


def create_uid_index(table: str) -> None:
    op.create_index(op.f(f"ix_{table}_uid"), table, ["uid"], unique=True)


def add_claim_reference(table: str, column: str, on_delete: str) -> None:
    """A nullable column referring to a claim, added after its table on both databases.

    SQLite holds this foreign key in the column's definition (ADD COLUMN ... REFERENCES),
    where its reflection reads neither the key's name nor its ON DELETE: migrations/env.py
    leaves these two keys out of autogenerate's comparison there (SQLITE_INLINE_KEYS).
    """
    name = f"fk_{table}_{column}_claim"
    if is_sqlite():
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
            f"CONSTRAINT {name} REFERENCES claim (id) ON DELETE {on_delete}"
        )
        return
    op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
    op.create_foreign_key(name, table, "claim", [column], ["id"], ondelete=on_delete)


# Tables ----------------------------------------------------------------------------------


def create_api_keys_and_audit() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "role", enum("researcher", "editor", "admin", name="role", length=16), nullable=False
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
            "action", enum("create", "update", "delete", name="action", length=16), nullable=False
        ),
        sa.Column("resource", sa.String(length=32), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index("ix_audit_event_actor_id", "audit_event", ["actor", "id"])
    op.create_index(
        "ix_audit_event_resource_resource_id_id", "audit_event", ["resource", "resource_id", "id"]
    )


def create_idempotency_keys() -> None:
    """A retried POST gets its first answer again, and writes nothing.

    One row per key a client sent with a POST, scoped to the API key that sent it, inserted
    by the request's own commit; the answer (status, a few headers, body) is added just
    after. Rows older than 24 hours are deleted as new ones come, through the index on
    `created_at`.
    """
    op.create_table(
        "idempotency_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_key")),
        sa.UniqueConstraint("owner", "key", name=op.f("uq_idempotency_key_owner_key")),
    )
    op.create_index(op.f("ix_idempotency_key_created_at"), "idempotency_key", ["created_at"])


def create_sources() -> None:
    source_kinds = ("article", "official_statement", "social_post", "report", "dataset", "other")
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("publisher", sa.String(length=200), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("kind", enum(*source_kinds, name="kind", length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("text_sha256", sa.String(length=64), nullable=True),
        sa.Column("archived_url", sa.String(length=2048), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        uid(on_sqlite(sa.text("''"))),
        *provenance(),
        language_detected(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("url_sha256", name=op.f("uq_source_url_sha256")),
    )
    op.create_index("ix_source_created_at_id", "source", ["created_at", "id"])
    op.create_index("ix_source_published_on", "source", ["published_on"])
    op.create_index(
        "ix_source_publisher_created_at_id", "source", ["publisher", "created_at", "id"]
    )
    create_uid_index("source")


def quoted(values: Sequence[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def create_claims() -> None:
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", enum("factual", "promise", name="kind", length=16), nullable=False),
        sa.Column("claimant", sa.String(length=300), nullable=True),
        sa.Column("claim_date", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("status", enum(*STATUSES, name="status", length=32), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_due", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        # The claim's identity across databases (service/claims/fingerprint.py), and the
        # rating another fact-checker gave it, kept verbatim by an import.
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("original_rating", sa.JSON(), nullable=True),
        uid(on_sqlite(sa.text("''"))),
        *provenance(),
        language_detected(),
        sa.CheckConstraint(
            f"(kind = 'factual' AND status IN ({quoted(FACTUAL_STATUSES)})) "
            f"OR (kind = 'promise' AND status IN ({quoted(PROMISE_STATUSES)}))",
            name=op.f("ck_claim_status_of_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
    )
    # The claim a claim was merged into: lists, search and matching leave merged claims out,
    # and their URLs redirect to the target.
    add_claim_reference("claim", "merged_into_id", "CASCADE")
    # An index for each filter and sort of the claim list, ending in id (the pages' order).
    for columns in (
        ("created_at", "id"),
        ("kind", "created_at", "id"),
        ("status", "created_at", "id"),
        ("review_due", "id"),  # the follow-up queue
        ("claimant", "created_at", "id"),
        ("language", "created_at", "id"),
        ("status_changed_at", "id"),
    ):
        op.create_index(f"ix_claim_{'_'.join(columns)}", "claim", list(columns))
    op.create_index("ix_claim_fingerprint", "claim", ["fingerprint"])
    create_uid_index("claim")
    # Partial: the merged claims alone, which lists leave out by id (a small hashed set).
    op.create_index(
        "ix_claim_merged_into_id",
        "claim",
        ["merged_into_id"],
        postgresql_where=sa.text("merged_into_id IS NOT NULL"),
        sqlite_where=sa.text("merged_into_id IS NOT NULL"),
    )


def create_appearances_and_tags() -> None:
    op.create_table(
        "appearance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("prefix", sa.String(length=32), nullable=True),
        sa.Column("suffix", sa.String(length=32), nullable=True),
        sa.Column(
            "anchor_state",
            enum("anchored", "unanchored", name="anchor_state", length=16),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        uid(on_sqlite(sa.text("''"))),
        *provenance(),
        sa.CheckConstraint('"start" >= 0 AND "end" > "start"', name=op.f("ck_appearance_offsets")),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_appearance_claim_id_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_appearance_source_id_source"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appearance")),
        sa.UniqueConstraint(
            "claim_id",
            "source_id",
            "start",
            "end",
            name=op.f("uq_appearance_claim_id_source_id_start_end"),
        ),
    )
    op.create_index(op.f("ix_appearance_claim_id"), "appearance", ["claim_id"])
    op.create_index("ix_appearance_source_id_claim_id", "appearance", ["source_id", "claim_id"])
    create_uid_index("appearance")

    op.create_table(
        "claim_tag",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_tag_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("claim_id", "tag", name=op.f("pk_claim_tag")),
    )
    op.create_index("ix_claim_tag_tag_claim_id", "claim_tag", ["tag", "claim_id"])


def create_evidence() -> None:
    stances = ("supports", "refutes", "mixed", "context")
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("publisher", sa.String(length=200), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("stance", enum(*stances, name="stance", length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        uid(on_sqlite(sa.text("''"))),
        *provenance(),
        sa.Column(
            "language", sa.String(length=35), nullable=False, server_default=on_sqlite("und")
        ),
        language_detected(),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_evidence_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_evidence_source_id_source"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    op.create_index(op.f("ix_evidence_claim_id"), "evidence", ["claim_id"])
    op.create_index(op.f("ix_evidence_source_id"), "evidence", ["source_id"])
    create_uid_index("evidence")


def create_status_changes() -> None:
    """A claim's status timeline, and the evidence each change cites."""
    op.create_table(
        "status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("review_due", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        uid(on_sqlite(sa.text("''"))),
        *provenance(),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_status_change_claim_id_claim"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_change")),
    )
    # On the entry that records a merge: the claim merged.
    add_claim_reference("status_change", "merged_claim_id", "SET NULL")
    op.create_index("ix_status_change_claim_id_id", "status_change", ["claim_id", "id"])
    create_uid_index("status_change")
    op.create_index(op.f("ix_status_change_merged_claim_id"), "status_change", ["merged_claim_id"])

    op.create_table(
        "status_change_evidence",
        sa.Column("status_change_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_status_change_evidence_evidence_id_evidence"),
        ),
        sa.ForeignKeyConstraint(
            ["status_change_id"],
            ["status_change.id"],
            name=op.f("fk_status_change_evidence_status_change_id_status_change"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "status_change_id", "evidence_id", name=op.f("pk_status_change_evidence")
        ),
    )
    op.create_index(
        op.f("ix_status_change_evidence_evidence_id"), "status_change_evidence", ["evidence_id"]
    )


def create_publishers_and_reviews() -> None:
    """Other fact-checkers' verdicts, kept with who checked what.

    - `publisher`: a fact-checking organisation, unique by the normalised host of its site;
    - `publisher_rating`: a publisher's own rating vocabulary (label -> status);
    - `review`: one publisher's verdict on a claim, its rating kept as written;
    - `status_change_review`: the reviews a status change cites, as status_change_evidence
      does for evidence (no ON DELETE: a cited review cannot be deleted).
    """
    op.create_table(
        "publisher",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("host", sa.String(length=300), nullable=False),
        *recorded(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publisher")),
        sa.UniqueConstraint("host", name=op.f("uq_publisher_host")),
    )
    create_uid_index("publisher")
    op.create_table(
        "publisher_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=LABEL_LENGTH), nullable=False),
        sa.Column("label_key", sa.String(length=LABEL_LENGTH), nullable=False),
        sa.Column("status", enum(*STATUSES, name="status", length=32), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["publisher.id"],
            name=op.f("fk_publisher_rating_publisher_id_publisher"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publisher_rating")),
        sa.UniqueConstraint(
            "publisher_id", "label_key", name=op.f("uq_publisher_rating_publisher_id_label_key")
        ),
    )
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("url_sha256", sa.String(length=64), nullable=False),
        sa.Column("headline", sa.String(length=1000), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_time_known", sa.Boolean(), nullable=False),
        sa.Column("rating_label", sa.Text(), nullable=True),
        sa.Column("rating_label_key", sa.String(length=LABEL_LENGTH), nullable=True),
        sa.Column("rating_value", sa.Float(), nullable=True),
        sa.Column("rating_best", sa.Float(), nullable=True),
        sa.Column("rating_worst", sa.Float(), nullable=True),
        sa.Column("rating_original", sa.JSON(), nullable=True),
        sa.Column(
            "rating_status",
            enum(*STATUSES, name="rating_status", length=32, constraint=False),
            nullable=True,
        ),
        sa.Column(
            "rating_mapped_by",
            enum(*RATING_MAPPED_BY, name="rating_mapped_by", length=16),
            nullable=True,
        ),
        sa.Column("claimant_type", sa.String(length=16), nullable=True),
        sa.Column("claimant_url", sa.String(length=2048), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("language_detected", sa.Boolean(), nullable=False),
        *recorded(),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_review_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["publisher_id"], ["publisher.id"], name=op.f("fk_review_publisher_id_publisher")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
        sa.UniqueConstraint("claim_id", "url_sha256", name=op.f("uq_review_claim_id_url_sha256")),
    )
    op.create_index(op.f("ix_review_claim_id"), "review", ["claim_id"])
    create_uid_index("review")
    op.create_index(
        "ix_review_publisher_id_rating_label_key", "review", ["publisher_id", "rating_label_key"]
    )
    op.create_table(
        "status_change_review",
        sa.Column("status_change_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["review.id"], name=op.f("fk_status_change_review_review_id_review")
        ),
        sa.ForeignKeyConstraint(
            ["status_change_id"],
            ["status_change.id"],
            name=op.f("fk_status_change_review_status_change_id_status_change"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "status_change_id", "review_id", name=op.f("pk_status_change_review")
        ),
    )
    op.create_index(
        op.f("ix_status_change_review_review_id"), "status_change_review", ["review_id"]
    )


def create_relations() -> None:
    """A typed link from one claim to another: one of each type between two claims, never
    from a claim to itself."""
    op.create_table(
        "relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("type", enum(*RELATION_TYPES, name="type", length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        uid(),
        *provenance(),
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
    create_uid_index("relation")
    op.create_index("ix_relation_target_id_id", "relation", ["target_id", "id"])


# Search on PostgreSQL --------------------------------------------------------------------

# A tsvector of space-separated terms, positions counted from 1 (PostgreSQL keeps 16,383).
# The terms go in as they are: no text-search parser or dictionary in between, so the
# server's locale cannot split or change a term.
TERMS_VECTOR = (
    "CREATE FUNCTION claimtrack_terms_vector(terms text) RETURNS tsvector "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN coalesce(("
    "SELECT string_agg(format('%L:%s', term, least(position, 16383)), ' ') "
    "FROM unnest(string_to_array(terms, ' ')) WITH ORDINALITY AS t(term, position) "
    "WHERE term <> ''), '')::tsvector"
)
# Ten times the default statistics target: PostgreSQL keeps ten times this many terms
# (most_common_elems) of each partition of claim_search.
STATISTICS_TARGET = 1000


def postgresql_search() -> None:
    """Stored tsvectors, so that ranking reads a column instead of parsing text again.

    Sources keep theirs in a generated column, under a GIN index. Claims keep theirs in
    `claim_search`, a table partitioned by status (create_claim_search). The column and the
    table are not mapped (the models are dialect-neutral and nothing writes them but
    PostgreSQL); service/search.py names them.
    """
    op.execute(TERMS_VECTOR)
    op.execute(
        "ALTER TABLE source ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (claimtrack_terms_vector(search_text)) STORED"
    )
    op.execute("CREATE INDEX ix_source_search_vector ON source USING gin (search_vector)")
    create_claim_search()


def create_claim_search() -> None:
    """Claims' search vectors in `claim_search`, a table partitioned by status.

    Ranking reads the vector of every match. In `claim` each vector would sit in a wide row
    among the claim's other columns, so a broad search filtered by status would touch one
    page of that table per match. `claim_search` holds only (claim_id, status,
    search_vector), partitioned by status: the claims of one status sit together, and a
    search within a status reads its partition and that partition's GIN index, never
    `claim` (bench/README.md). The list query writes statuses into its SQL
    (service.claims.service.status_is), so the planner prunes partitions even in a prepared
    statement's generic plan.

    It is to PostgreSQL what `claim_fts` is to SQLite: a search structure beside the table,
    kept in step by triggers on `claim`. A change of status moves the row to its partition
    (and puts back a row that went missing); a deleted claim takes its row along (the
    foreign key cascades). The vector is computed by the trigger from `search_text`, which
    the app keeps. A status added later lands in the default partition, found as it should
    be, until a migration gives it its own; tests/test_query_plans.py fails on PostgreSQL
    until it has it.
    """
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
    # One GIN index per partition, made and named by PostgreSQL from this one.
    op.execute(
        "CREATE INDEX ix_claim_search_search_vector ON claim_search USING gin (search_vector)"
    )
    # A search without a status reads every partition. With the default statistics target
    # (100) the planner keeps the 1,000 most common terms of each and guesses for the
    # others: a promise verb ("pledged") that no factual claim uses got dozens of guessed
    # matches in each factual partition, enough for the planner to walk each of them in id
    # order to the end (1.2 s for "local pledged" at a million claims). Keeping 10,000
    # terms, it knows such a word is rare there and collects its few matches from the GIN
    # index instead (47 ms); ANALYZE reads more rows for it. Set after the partitions are
    # made, so that it reaches theirs too.
    op.execute(
        f"ALTER TABLE claim_search ALTER COLUMN search_vector SET STATISTICS {STATISTICS_TARGET}"
    )

    # The functions keep the search_path they were made with: the table they write is the
    # one beside `claim`, whatever the session that fires them has set.
    #
    # Inserts are handled once per statement: the trigger reads the statement's new rows
    # from its transition table and writes their claim_search rows in one INSERT ... SELECT.
    # An import COPYs 500 claims at a time; a row-level trigger ran a statement of its own
    # for each (10,000 claims: 1.9 s to insert with it, 1.0 s with this one, 0.4 s with
    # none). The rows are written when the statement ends.
    op.execute(
        "CREATE FUNCTION claim_search_insert() RETURNS trigger LANGUAGE plpgsql "
        "SET search_path FROM CURRENT AS $$ BEGIN "
        "INSERT INTO claim_search (claim_id, status, search_vector) "
        "SELECT id, status, claimtrack_terms_vector(search_text) FROM new_claims; "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER claim_search_insert AFTER INSERT ON claim "
        "REFERENCING NEW TABLE AS new_claims "
        "FOR EACH STATEMENT EXECUTE FUNCTION claim_search_insert()"
    )
    # Updates come one claim at a time: a row-level trigger, fired only when what the row
    # in claim_search holds has changed.
    new_vector = "claimtrack_terms_vector(NEW.search_text)"
    op.execute(
        "CREATE FUNCTION claim_search_update() RETURNS trigger LANGUAGE plpgsql "
        "SET search_path FROM CURRENT AS $$ BEGIN "
        f"UPDATE claim_search SET status = NEW.status, search_vector = {new_vector} "
        "WHERE claim_id = OLD.id AND status = OLD.status; "
        "IF NOT FOUND THEN "
        "INSERT INTO claim_search (claim_id, status, search_vector) "
        f"VALUES (NEW.id, NEW.status, {new_vector}); "
        "END IF; "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER claim_search_update AFTER UPDATE OF status, search_text ON claim "
        "FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status "
        "OR OLD.search_text IS DISTINCT FROM NEW.search_text) "
        "EXECUTE FUNCTION claim_search_update()"
    )


def drop_postgresql_search() -> None:
    for event in ("insert", "update"):
        op.execute(f"DROP TRIGGER claim_search_{event} ON claim")
        op.execute(f"DROP FUNCTION claim_search_{event}()")
    op.execute("DROP TABLE claim_search")  # and its partitions
    op.execute("ALTER TABLE source DROP COLUMN search_vector")  # and its index
    op.execute("DROP FUNCTION claimtrack_terms_vector(text)")


# Search on SQLite ------------------------------------------------------------------------

# table -> its FTS5 table
FTS = {"claim": "claim_fts", "source": "source_fts"}
# Splits at spaces only and keeps every non-ASCII character in its term (the default
# tokenizer splits Indic words at their vowel signs).
TOKENIZER = "ascii"


def sqlite_search() -> None:
    """FTS5 external-content tables over `search_text`, kept in step by triggers.

    FTS5 stores what bm25 needs, so ranking reads no text again. A migration that recreates
    `claim` or `source` (batch mode copies a table to alter it) drops these triggers with
    the table: add and drop columns in place instead (plain ALTER TABLE ... ADD/DROP
    COLUMN), or make the triggers again and rebuild the index
    (INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')).
    """
    for table, fts in FTS.items():
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', "
            f"content_rowid='id', tokenize='{TOKENIZER}')"
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


def drop_sqlite_search() -> None:
    for fts in FTS.values():
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER {fts}_{event}")
        op.execute(f"DROP TABLE {fts}")  # and its shadow tables
