"""Throughput through the proxy: one app instance behind nginx against two (issue 16, item 8).

    python -m bench.stack_throughput [--database-url URL] [--rounds 5] [--seconds 10]

Starts the stack as `make stack` does (deploy/stack.sh: nginx on :8080, gunicorn on :8101 and
:8102, the demo in an empty database), with the proxy's rate limits lifted so that they measure
the app and not the limiter. Each round, nginx is reloaded to send everything to one instance
(:8101), then to both, the order swapped every other round, and wrk reads claims and pages of
the list through :8080 for the same number of seconds. The figure is the ratio two / one, per
round and its median; requests per second beside it, for context only. Stops the stack at the
end. Results: bench/results/stack-throughput.{md,json}.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bench.measure import Throughput, WrkSettings, alternate, require_wrk, wrk

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "deploy" / "stack.sh"
RESULTS = Path(__file__).resolve().parent / "results"
PROXY = "http://127.0.0.1:8080"
# nginx counts in milliseconds: requests within the same one add up whatever the rate, so the
# bursts are lifted too.
UNLIMITED = {
    "CLAIMTRACK_PROXY_KEY_RATE": "1000000r/s",
    "CLAIMTRACK_PROXY_ADDRESS_RATE": "1000000r/s",
    "CLAIMTRACK_PROXY_KEY_BURST": "100000",
    "CLAIMTRACK_PROXY_ADDRESS_BURST": "100000",
    "CLAIMTRACK_PROXY_CONNECTIONS": "60000",
}
UPSTREAMS = {"one instance": "8101", "two instances": "8101 8102"}


def stack(command: str, env: dict[str, str], **extra: str) -> None:
    subprocess.run([str(STACK), command], env={**env, **extra}, check=True, timeout=300)


def paths_file(directory: Path) -> Path:
    """The demo's 14 claims by id, and list pages: what a reader's browser asks for."""
    paths = [f"/api/v1/claims/{claim_id}" for claim_id in range(1, 15)]
    paths += ["/api/v1/claims?limit=5", "/api/v1/claims?limit=20&kind=promise"]
    file = directory / "paths.txt"
    file.write_text("\n".join(paths) + "\n", encoding="utf-8")
    return file


def cpu_seconds(run_dir: Path, database: str) -> dict[str, float]:
    """CPU time (user + system) so far of the app servers' and nginx's process trees, and of
    the PostgreSQL backends serving `database` (from /proc; a local server only)."""
    tick = os.sysconf("SC_CLK_TCK")
    parent, used, backends = {}, {}, []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if command.startswith("postgres: ") and f" {database} " in command:
            backends.append(int(entry.name))
        fields = raw[raw.rindex(")") + 2 :].split()
        parent[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick

    def tree(root: int) -> float:
        return sum(t for pid, t in used.items() if pid == root or parent.get(pid) == root)

    roots = {
        "app": [int(f.read_text()) for f in run_dir.glob("app-*.pid")],
        "nginx": [int((run_dir / "nginx.pid").read_text())],
    }
    totals = {name: sum(map(tree, pids)) for name, pids in roots.items()}
    totals["postgres"] = sum(used[pid] for pid in backends)
    return totals


def measure(
    env: dict[str, str], run_dir: Path, paths: Path, rounds: int, settings: WrkSettings
) -> dict:
    cpu_per_request: dict[str, list[dict[str, float]]] = {name: [] for name in UPSTREAMS}
    database = make_url(env["DATABASE_URL"]).database

    def run(name: str, upstream: str):
        def one() -> Throughput:
            stack("reload", env, STACK_UPSTREAM_PORTS=upstream)
            time.sleep(1.5)  # nginx's old workers finish their requests
            wrk_env = {"BENCH_PATHS": str(paths)}
            wrk(PROXY, "paths.lua", wrk_env, WrkSettings(settings.threads, settings.connections, 2))
            before = cpu_seconds(run_dir, database)
            measured = wrk(PROXY, "paths.lua", wrk_env, settings)
            after = cpu_seconds(run_dir, database)
            cpu_per_request[name].append(
                {
                    part: round((after[part] - before[part]) * 1000 / measured.requests, 2)
                    for part in after
                }
            )
            return measured

        return one

    results = alternate(rounds, {name: run(name, ports) for name, ports in UPSTREAMS.items()})
    one, two = results["one instance"], results["two instances"]
    per_round = [
        round(b.requests_per_second / a.requests_per_second, 3)
        for a, b in zip(one, two, strict=True)
    ]
    return {
        "cpu_ms_per_request": {
            name: {part: round(statistics.median(r[part] for r in runs), 2) for part in runs[0]}
            for name, runs in cpu_per_request.items()
        },
        "app_cpu_seconds_per_second": {
            name: round(
                statistics.median(
                    c["app"] * t.requests_per_second / 1000
                    for c, t in zip(cpu_per_request[name], results[name], strict=True)
                ),
                2,
            )
            for name in UPSTREAMS
        },
        "ratio_two_to_one": round(statistics.median(per_round), 3),
        "ratio_per_round": per_round,
        "requests_per_second": {
            name: round(statistics.median(r.requests_per_second for r in runs), 1)
            for name, runs in results.items()
        },
        "failed_requests": {name: sum(r.failed for r in runs) for name, runs in results.items()},
        "runs": {name: [r.as_dict() for r in runs] for name, runs in results.items()},
    }


def report(result: dict, args: argparse.Namespace, command: str) -> str:
    rps = result["requests_per_second"]
    cpu = result["cpu_ms_per_request"]
    return "\n".join(
        [
            "# Throughput through nginx: one app instance against two",
            "",
            f"{result['date']}, {result['machine']}. Command: `{command}`",
            "",
            f"Each instance: gunicorn with WEB_CONCURRENCY={result['web_concurrency']} workers x "
            f"CLAIMTRACK_THREADS={result['threads']} threads; wrk -t{args.threads} "
            f"-c{args.connections} -d{args.seconds}s through :8080, {args.rounds} rounds, "
            "GET of the demo's claims by id and two list pages, on PostgreSQL.",
            "",
            "| | requests/s (median) | CPU ms / request: app | nginx | PostgreSQL "
            "| cores busy in the app | failed |",
            "|---|---|---|---|---|---|---|",
            *(
                f"| {name} | {rps[name]:,.0f} | {cpu[name]['app']} | {cpu[name]['nginx']} "
                f"| {cpu[name]['postgres']} "
                f"| {result['app_cpu_seconds_per_second'][name]} "
                f"| {result['failed_requests'][name]} |"
                for name in UPSTREAMS
            ),
            "",
            f"**Two instances / one: {result['ratio_two_to_one']}** (median of the rounds; "
            f"per round: {', '.join(map(str, result['ratio_per_round']))}). Load average "
            f"before the run: {result['load_average']} (the machine is shared).",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/claimtrack_stack_bench",
        help="created when missing; the demo goes into it when it is empty",
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    require_wrk()

    run_dir = Path(tempfile.mkdtemp(prefix="claimtrack-stack-bench-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CLAIMTRACK_PROXY_", "STACK_"))
    }
    env.update(
        UNLIMITED,
        DATABASE_URL=args.database_url,
        STACK_RUN_DIR=str(run_dir),
        STACK_BIN=str(Path(sys.executable).parent),
    )
    load_average = " ".join(f"{x:.1f}" for x in os.getloadavg())
    stack("start", env)
    try:
        settings = WrkSettings(args.threads, args.connections, args.seconds)
        result = measure(env, run_dir, paths_file(run_dir), args.rounds, settings)
    finally:
        stack("stop", env)
        shutil.rmtree(run_dir, ignore_errors=True)
    result.update(
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=f"{os.cpu_count()} cores, {platform.platform()}",
        load_average=load_average,
        web_concurrency=int(env.get("WEB_CONCURRENCY", "2")),
        threads=int(env.get("CLAIMTRACK_THREADS", "4")),
    )
    command = "python -m bench.stack_throughput " + " ".join(
        f"--{name.replace('_', '-')} {value}"
        for name, value in vars(args).items()
        if name != "database_url"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "stack-throughput.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "stack-throughput.md").write_text(report(result, args, command))
    print(report(result, args, command))


if __name__ == "__main__":
    main()
