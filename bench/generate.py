"""Load N synthetic claims into a freshly migrated database.

    python -m bench.generate --size 1000000 --database-url postgresql://postgres@127.0.0.1/claimtrack_bench

The database is emptied, migrated with `claimtrack db upgrade`, then filled (see
bench/dataset.py for what a claim comes with, in which languages). `--if-needed` keeps a
database that already holds exactly that many claims in the schema the migrations make now.
"""

from __future__ import annotations

import argparse
import os
import time

from bench.database import Target, empty, loaded_state, migrate, migrated_schema, schema_of
from bench.dataset import NATIVE, SQLITE, Dataset
from bench.loaders import Loader, loader_for

DEFAULT_SIZE = 1_000_000
CLAIMS_PER_CHUNK = 20_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="claims to load")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="PostgreSQL or SQLite URL (default: $DATABASE_URL)",
    )
    parser.add_argument("--seed", type=int, default=20201217)
    parser.add_argument(
        "--if-needed",
        action="store_true",
        help="keep a database that holds --size claims in the schema the migrations make now",
    )
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    if args.size < 1:
        parser.error("--size must be at least 1")
    return args


def already_loaded(target: Target, size: int) -> bool:
    """`size` claims, ids 1..size, in exactly the schema the migrations make now."""
    if loaded_state(target) != (size, size):
        return False
    return schema_of(target) == migrated_schema(target)


def fill(loader: Loader, dataset: Dataset) -> None:
    """Every chunk of rows, then the indexes, keys and triggers taken off for the load."""
    restore: list[str] = []
    loader.timed("drop secondary indexes", lambda: restore.extend(loader.take_off_secondary()))

    def rows() -> None:
        claims = 0
        for chunk in dataset.chunks(CLAIMS_PER_CHUNK):
            loader.load(chunk)
            if chunk.get("claim"):
                claims += len(chunk["claim"])
                print(f"\r  {claims:,} / {dataset.size:,} claims", end="", flush=True)
        loader.connection.commit()
        print()

    loader.timed("rows", rows)
    loader.timed("indexes, keys, triggers", lambda: loader.put_back(restore))
    loader.timed("finish (sequences, FTS rebuild, ANALYZE)", loader.finish)


def generate(target: Target, size: int, seed: int) -> dict:
    started = time.perf_counter()
    empty(target)
    migrate(target)
    migrated = time.perf_counter() - started
    dataset = Dataset(size, SQLITE if target.dialect == "sqlite" else NATIVE, seed)
    schema = schema_of(target)
    with loader_for(target) as loader:
        fill(loader, dataset)
    if schema_of(target) != schema:
        raise SystemExit("the load did not put back every index, key and trigger it took off")
    elapsed = time.perf_counter() - started
    total_rows = sum(loader.counts.values())
    return {
        "dialect": target.dialect,
        "size": size,
        "rows": loader.counts,
        "languages": dataset.languages,
        "search_analysers": sorted(dataset.ids.analysers),
        "seconds": round(elapsed, 1),
        "migrate_seconds": round(migrated, 1),
        "steps_seconds": loader.timings,
        "rows_per_second": round(total_rows / loader.timings["rows"]),
        "rows_per_second_overall": round(total_rows / elapsed),
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    target = Target.from_url(args.database_url)
    if args.if_needed and already_loaded(target, args.size):
        print(f"{target.dialect} {target.name}: already holds {args.size:,} claims; kept")
        return
    print(f"loading {args.size:,} claims into {target.dialect} {target.name}")
    summary = generate(target, args.size, args.seed)
    for table, count in summary["rows"].items():
        print(f"  {table:<24}{count:>12,}")
    for table, counts in summary["languages"].items():
        print(f"  {table} languages: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"  search_analyser: {' '.join(summary['search_analysers'])}")
    for step, seconds in summary["steps_seconds"].items():
        print(f"  {step:<42}{seconds:>8.1f} s")
    print(
        f"done in {summary['seconds']:.1f} s: {sum(summary['rows'].values()):,} rows, "
        f"{summary['rows_per_second']:,} rows/s while loading rows, "
        f"{summary['rows_per_second_overall']:,} rows/s overall"
    )


if __name__ == "__main__":
    main()
