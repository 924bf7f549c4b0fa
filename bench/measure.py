"""Measuring: wrk for throughput, a keep-alive client and the raw driver for latency."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

LUA = Path(__file__).resolve().parent / "lua"


@dataclass(frozen=True)
class WrkSettings:
    threads: int = 2
    connections: int = 16
    seconds: int = 10


@dataclass(frozen=True)
class Throughput:
    requests_per_second: float
    requests: int
    failed: int  # non-2xx/3xx answers, socket errors and timeouts
    latency_p50_ms: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("the benchmark needs wrk: apt-get install -y wrk")
    return found


def _milliseconds(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output: str) -> Throughput:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if not rate or not total:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    median = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\b", output, re.MULTILINE)
    return Throughput(
        requests_per_second=float(rate[1]),
        requests=int(total[1]),
        failed=(int(failed[1]) if failed else 0)
        + (sum(map(int, errors.groups())) if errors else 0),
        latency_p50_ms=_milliseconds(*median.groups()) if median else None,
    )


def wrk(base_url: str, script: str, env: dict[str, str], settings: WrkSettings) -> Throughput:
    """One wrk run against `base_url` with a Lua script from bench/lua."""
    command = [
        require_wrk(),
        f"-t{settings.threads}",
        f"-c{settings.connections}",
        f"-d{settings.seconds}s",
        "--latency",
        "-s",
        str(LUA / script),
        base_url,
    ]
    done = subprocess.run(
        command, env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    return parse_wrk(done.stdout)


def alternate(
    rounds: int, runs: dict[str, Callable[[], Throughput]]
) -> dict[str, list[Throughput]]:
    """Each run once per round, the order reversed every other round (drift hits both alike)."""
    results: dict[str, list[Throughput]] = {name: [] for name in runs}
    names = list(runs)
    for round_number in range(rounds):
        for name in names if round_number % 2 == 0 else reversed(names):
            results[name].append(runs[name]())
            rate = results[name][-1].requests_per_second
            print(f"    round {round_number + 1} {name}: {rate:,.0f} req/s")
    return results


def percentiles(seconds: list[float]) -> dict[str, float]:
    """p50 and p95 in milliseconds."""
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return {"p50_ms": round(cuts[49] * 1000, 3), "p95_ms": round(cuts[94] * 1000, 3)}


class Client:
    """One keep-alive HTTP connection: the fixed-concurrency (1) client for latencies."""

    def __init__(self, base_url: str):
        host, port = base_url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=120)

    def get(self, path: str) -> tuple[int, bytes, float]:
        try:
            return self._get(path)
        except (http.client.RemoteDisconnected, ConnectionError):
            # gunicorn closes a keep-alive connection idle for a few seconds: connect again.
            self.connection.close()
            return self._get(path)

    def _get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started

    def close(self) -> None:
        self.connection.close()


def time_sql(connection, sql: str, params: dict) -> float:
    """Seconds to run `sql` and fetch every row, on a raw DB-API connection."""
    started = time.perf_counter()
    connection.execute(sql, params).fetchall()
    return time.perf_counter() - started
