"""Benchmark the service on a generated database; every figure a ratio against a baseline.

    python -m bench.run --database-url postgresql://postgres@127.0.0.1/claimtrack_bench

1. `GET /api/v1/claims/{id}` throughput, the app against bench/raw_app.py (same JSON, same
   database, same gunicorn settings), wrk in alternating rounds;
2. search latency p50/p95 at the API for `q`, `q`+`status` and `status`+`sort=review_due`,
   against the SQL of bench/search_sql.py on the driver;
3. the page at cursor depth 500,000 against the first page;
4. on SQLite, search throughput against Datasette serving the same file and SQL.
Results go to bench/results/<dialect>-<size>.json and .md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import secrets
import shlex
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from bench import latency, throughput
from bench.database import Target, languages, loaded_state
from bench.measure import WrkSettings, require_wrk
from bench.report import write
from bench.servers import REPO, GunicornSettings, datasette, gunicorn, running

RESULTS = Path(__file__).resolve().parent / "results"
DEEP_DEPTH = 500_000
PHASES = ("get", "search", "deep", "datasette")
APP = "service.app:create_app()"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--rounds", type=int, default=5, help="alternating wrk rounds")
    parser.add_argument("--seconds", type=int, default=10, help="length of one wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn WEB_CONCURRENCY")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn CLAIMTRACK_THREADS")
    parser.add_argument("--queries", type=int, default=200, help="requests per latency case")
    parser.add_argument("--depth", type=int, default=DEEP_DEPTH, help="deep page's position")
    parser.add_argument(
        "--search-sql",
        type=Path,
        default=Path(__file__).with_name("search_sql.py"),
        help="file with the baseline SQL of each search case",
    )
    parser.add_argument(
        "--app",
        default=APP,
        help="the gunicorn app spec to measure (try a variant of the app without editing it)",
    )
    parser.add_argument("--skip", action="append", default=[], choices=PHASES)
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    return args


def load_sql_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_search_sql", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def database_version(target: Target) -> str:
    with closing(target.connect()) as connection:
        if target.dialect == "postgresql":
            version = connection.execute("SHOW server_version").fetchone()[0]
            # What decides whether broad searches read from memory or from the OS cache.
            buffers = connection.execute("SHOW shared_buffers").fetchone()[0]
            return f"{version}, shared_buffers {buffers}"
        return connection.execute("SELECT sqlite_version()").fetchone()[0]


def describe(args: argparse.Namespace, target: Target, size: int) -> dict:
    dirty = " (uncommitted changes)" if _git("status", "--porcelain", "--", "service") else ""
    return {
        "dialect": target.dialect,
        "size": size,
        "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "app": args.app,
        "command": shlex.join(["python", "-m", "bench.run", *sys.argv[1:]]),
        "commit": _git("rev-parse", "--short", "HEAD") + dirty,
        "languages": languages(target),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{target.dialect} {database_version(target)}",
        "settings": {
            "workers": args.workers,
            "threads": args.threads,
            "wrk_threads": args.wrk_threads,
            "connections": args.connections,
            "seconds": args.seconds,
            "rounds": args.rounds,
            "queries": args.queries,
        },
    }


def guarded(step: Callable[[], dict]) -> dict:
    """A phase's figures, or why it failed: one broken phase must not lose the others."""
    try:
        return step()
    except Exception as error:  # reported in the results, with the rest of the run
        traceback.print_exc()
        return {"status": "error", "reason": f"{type(error).__name__}: {error}"}


def app_and_raw(args, target: Target, secret: str, logs: Path):
    settings = GunicornSettings(args.workers, args.threads)
    app = gunicorn("app", args.app, target, secret, settings, logs, "/health")
    raw = gunicorn(
        "raw", "bench.raw_app:create_app()", target, secret, settings, logs, "/api/v1/claims/1"
    )
    return app, raw


def main_phases(args, target: Target, size: int, results: dict, logs: Path) -> None:
    """Phases 1-3, against the app and the raw endpoint running side by side."""
    secret = secrets.token_urlsafe(32)
    wrk_settings = WrkSettings(args.wrk_threads, args.connections, args.seconds)
    sql_module = load_sql_module(args.search_sql)
    app, raw = app_and_raw(args, target, secret, logs)
    with running(app, raw):
        if "get" not in args.skip:
            print("GET /api/v1/claims/{id}: app and raw endpoint")
            results["get_by_id"] = guarded(
                lambda: throughput.get_by_id(app, raw, size, args.rounds, wrk_settings)
            )
        if "search" not in args.skip:
            print("search latency")
            results["search"] = latency.search(app.base_url, target, sql_module, args.queries)
        if "deep" not in args.skip:
            depth = min(args.depth, size // 2)
            print(f"page at depth {depth:,}")
            results["deep_page"] = guarded(
                lambda: latency.deep_page(app.base_url, target, secret, depth, args.queries)
            )


def datasette_phase(args, target: Target, results: dict, logs: Path) -> None:
    """Phase 4: one app process against one Datasette process, the same searches."""
    print("search throughput: app and Datasette, one process each")
    app = gunicorn(
        "app-1-worker",
        args.app,
        target,
        secrets.token_urlsafe(32),
        GunicornSettings(1, args.threads),
        logs,
        "/health",
    )
    peer = datasette(target, logs)
    wrk_settings = WrkSettings(args.wrk_threads, args.connections, args.seconds)
    with closing(target.connect()) as connection:
        analysers = latency.search_analysers(connection)
    with running(app, peer):
        for name in throughput.PEERS:
            print(f"  against {name}")
            results[name] = guarded(
                lambda name=name: throughput.versus_datasette(
                    app,
                    peer,
                    Path(target.name).stem,
                    load_sql_module(args.search_sql),
                    args.rounds,
                    wrk_settings,
                    logs,
                    analysers,
                    peer_paths=name,
                )
            )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    require_wrk()
    target = Target.from_url(args.database_url)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))  # stop the servers too
    state = loaded_state(target)
    if not state or state[0] == 0 or state[0] != state[1]:
        raise SystemExit("load the database first: python -m bench.generate --size N")
    size = state[0]
    logs = args.results_dir / "logs"
    started = time.monotonic()
    results = describe(args, target, size)
    main_phases(args, target, size, results, logs)
    if target.dialect == "sqlite" and "datasette" not in args.skip:
        datasette_phase(args, target, results, logs)
    results["elapsed_seconds"] = round(time.monotonic() - started)
    as_json, as_markdown = write(results, args.results_dir)
    print(as_markdown.read_text())
    print(f"wrote {as_json} and {as_markdown}")


if __name__ == "__main__":
    main()
