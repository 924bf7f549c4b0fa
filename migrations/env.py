"""Alembic's entry point: the models' metadata, and the database from the config or env."""

from __future__ import annotations

from alembic import context

from service.config import Settings
from service.engine import make_engine
from service.models import Base
from service.search import VECTOR_COLUMN

config = context.config
target_metadata = Base.metadata


SEARCH_TABLES = ("claim_fts", "source_fts", "claim_search")


def include_name(name, type_, _parent_names) -> bool:
    """Leave to the migrations what the models cannot declare.

    That is SQLite's FTS5 tables (with their shadow tables), and PostgreSQL's stored search
    vectors with their GIN indexes, claims' in a partitioned table.
    """
    if type_ == "table":
        return not (name and name.startswith(SEARCH_TABLES))
    if type_ == "column":
        return name != VECTOR_COLUMN
    if type_ == "index":
        return not (name and name.endswith(f"_{VECTOR_COLUMN}"))
    return True


# Foreign keys that SQLite holds in a column's definition (as ADD COLUMN ... REFERENCES made them):
# its reflection reads neither their names nor their ON DELETE there, so autogenerate would
# see them as different. PostgreSQL compares them in full; on SQLite, tests/relations check
# them with PRAGMA foreign_key_list.
SQLITE_INLINE_KEYS = {("claim", ("merged_into_id",)), ("status_change", ("merged_claim_id",))}


def include_object(object_, _name, type_, _reflected, _compare_to) -> bool:
    if type_ != "foreign_key_constraint" or context.get_bind().dialect.name != "sqlite":
        return True
    columns = tuple(column.name for column in object_.columns)
    return (object_.table.name, columns) not in SQLITE_INLINE_KEYS


def database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        include_name=include_name,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(database_url(), sqlite_foreign_keys=False)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite alters tables by copying them; batch mode does that for us.
            render_as_batch=True,
            compare_type=True,
            include_name=include_name,
            include_object=include_object,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # App servers that start together migrate one at a time; the others wait,
                # then find the schema at head already.
                connection.exec_driver_sql(
                    "SELECT pg_advisory_xact_lock(hashtext('claimtrack-migrations'))"
                )
            context.run_migrations()
            if connection.dialect.name == "sqlite":
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
