"""Bulk loading into a migrated schema: COPY on PostgreSQL, one executemany transaction on SQLite.

Secondary indexes and foreign keys are taken off while loading and put back afterwards from
their own definitions, so the schema ends exactly as the migrations made it (one index build
beats a million index updates, a GIN index most of all). SQLite's triggers go too, and its
FTS5 tables are rebuilt at the end; PostgreSQL's stay, and fill `claim_search` as the claims
arrive.
"""

from __future__ import annotations

import time
from operator import itemgetter

from bench.database import Target
from bench.dataset import COLUMNS


class MissingColumnError(SystemExit):
    pass


def _plan(table: str, writable: dict[str, bool]) -> tuple[list[str], itemgetter | None]:
    """The columns to write (ours that the table has), and how to cut our rows down to them.

    `writable` maps each column the table lets us write to whether it must be given a value.
    """
    ours = COLUMNS[table]
    unknown = [name for name, needed in writable.items() if needed and name not in ours]
    if unknown:
        raise MissingColumnError(
            f"{table}: the generator does not fill the required column(s) {', '.join(unknown)}; "
            "add them to bench/dataset.py"
        )
    present = [name for name in ours if name in writable]
    if present == ours:
        return ours, None
    return present, itemgetter(*(ours.index(name) for name in present))


class Loader:
    """What both databases share: plans per table, row counts, timing."""

    def __init__(self, target: Target):
        self.target = target
        self.connection = None
        self.plans: dict[str, tuple[list[str], itemgetter | None]] = {}
        self.counts = dict.fromkeys(COLUMNS, 0)
        self.timings: dict[str, float] = {}

    def __enter__(self):
        self.connection = self.target.connect(autocommit=False)
        self.plans = {table: _plan(table, self.writable_columns(table)) for table in COLUMNS}
        return self

    def __exit__(self, *exc_info):
        self.connection.close()

    def load(self, rows_by_table: dict[str, list[tuple]]) -> None:
        for table, rows in rows_by_table.items():
            columns, cut = self.plans[table]
            self.write(table, columns, rows if cut is None else map(cut, rows))
            self.counts[table] += len(rows)

    def timed(self, label: str, step) -> None:
        started = time.perf_counter()
        step()
        self.timings[label] = round(time.perf_counter() - started, 2)

    def writable_columns(self, table: str) -> dict[str, bool]:
        raise NotImplementedError

    def write(self, table: str, columns: list[str], rows) -> None:
        raise NotImplementedError


class PostgresLoader(Loader):
    def writable_columns(self, table: str) -> dict[str, bool]:
        found = self.connection.execute(
            "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL "
            "FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = %s AND is_generated = 'NEVER'",
            (table,),
        ).fetchall()
        return dict(found)

    def write(self, table: str, columns: list[str], rows) -> None:
        from psycopg import sql

        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with self.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def take_off_secondary(self) -> list[str]:
        """Drop foreign keys and indexes that back no constraint; the DDL that restores them."""
        connection = self.connection
        # A partitioned table's keys and indexes go and come back whole, with its partitions'.
        foreign_keys = connection.execute(
            "SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', conrelid::regclass, conname), "
            "format('ALTER TABLE %I ADD CONSTRAINT %I ', conrelid::regclass, conname) "
            "|| pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace "
            "AND conparentid = 0"
        ).fetchall()
        indexes = connection.execute(
            # A partitioned table's index is defined ON ONLY the parent: put back whole.
            "SELECT format('DROP INDEX %I', indexname), replace(indexdef, ' ON ONLY ', ' ON ') "
            "FROM pg_indexes "
            "WHERE schemaname = 'public' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u', 'x')) "
            "AND indexname NOT IN (SELECT inhrelid::regclass::text FROM pg_inherits)"
        ).fetchall()
        for drop, _ in foreign_keys + indexes:
            connection.execute(drop)
        connection.commit()
        return [create for _, create in indexes + foreign_keys]

    def put_back(self, ddl: list[str]) -> None:
        self.connection.execute("SET maintenance_work_mem = '1GB'")
        for statement in ddl:
            self.connection.execute(statement)
        self.connection.commit()

    def finish(self) -> None:
        """Sequences past the loaded ids, then VACUUM ANALYZE (plans and index-only scans)."""
        connection = self.connection
        connection.commit()
        sequences = connection.execute(
            "SELECT table_name, pg_get_serial_sequence(quote_ident(table_name), 'id') "
            "FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id'"
        ).fetchall()
        for table, sequence in sequences:
            if sequence:
                connection.execute(
                    f'SELECT setval(%s, coalesce((SELECT max(id) FROM "{table}"), 0) + 1, false)',
                    (sequence,),
                )
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")


class SqliteLoader(Loader):
    def __enter__(self):
        super().__enter__()
        self.connection.execute("PRAGMA synchronous = OFF")
        self.connection.execute("PRAGMA foreign_keys = OFF")
        return self

    def writable_columns(self, table: str) -> dict[str, bool]:
        # table_xinfo's `hidden` is 2 or 3 for generated columns, which take no values.
        rows = self.connection.execute(f'PRAGMA table_xinfo("{table}")').fetchall()
        return {
            name: bool(notnull) and default is None and not primary_key
            for _, name, _, notnull, default, primary_key, hidden in rows
            if hidden == 0
        }

    def write(self, table: str, columns: list[str], rows) -> None:
        names = ", ".join(f'"{name}"' for name in columns)
        marks = ", ".join("?" * len(columns))
        self.connection.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def take_off_secondary(self) -> list[str]:
        """Drop the loaded tables' indexes and triggers; the DDL that restores them."""
        found = self.connection.execute(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN "
            f"({', '.join('?' * len(COLUMNS))})",
            tuple(COLUMNS),
        ).fetchall()
        for kind, name, _ in found:
            self.connection.execute(f'DROP {kind.upper()} "{name}"')
        self.connection.commit()
        return [ddl for _, _, ddl in found]

    def put_back(self, ddl: list[str]) -> None:
        for statement in ddl:
            self.connection.execute(statement)
        self.connection.commit()

    def fts_tables(self) -> list[str]:
        """Every FTS5 table: rebuilt from its content table after loading."""
        rows = self.connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'"
        ).fetchall()
        return [name for (name,) in rows]

    def finish(self) -> None:
        """Rebuild the FTS5 indexes (their triggers were off while loading), then ANALYZE."""
        connection = self.connection
        connection.commit()
        for table in self.fts_tables():
            connection.execute(f'INSERT INTO "{table}"("{table}") VALUES (\'rebuild\')')
        connection.commit()
        connection.execute("ANALYZE")
        connection.commit()


def loader_for(target: Target) -> Loader:
    return PostgresLoader(target) if target.dialect == "postgresql" else SqliteLoader(target)
