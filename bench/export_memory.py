"""Peak memory of a whole-database export: does it stay flat however many claims there are?

    python -m bench.export_memory --database-url postgresql://postgres@127.0.0.1:5432/claimtrack_bench_export

The export runs in this process through the WSGI app (`GET /api/v1/export/claims`, the very
code the server runs), its body read chunk by chunk and thrown away, as a client saving it to
disk would. The baseline is this process's resident memory just before the request, once the
app is built and has answered one small request (imports, connection pool, caches); the
figure is the peak resident memory (getrusage ru_maxrss) over the export, minus nothing: both
are reported, with samples of the current RSS every tenth of the way to show its shape.
Writes bench/results/export-memory-<dialect>-<size>.md and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from bench.memory import current_rss_mb, peak_rss_mb

RESULTS = Path(__file__).parent / "results"
TARGET_PEAK_MB = 300


def count_claims(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(text("claim")))
    engine.dispose()
    return count


def measure(url: str, format: str) -> dict:
    from service.app import create_app

    size = count_claims(url)
    app = create_app({"database_url": url})
    client = app.test_client()
    # Warm up on a handful of claims (one source's): modules, pool and caches are the baseline.
    warm = client.get("/api/v1/export/claims", query_string={"format": format, "source_id": 1})
    warm.get_data()
    warm.close()
    baseline, peak_before = current_rss_mb(), peak_rss_mb()

    started = time.perf_counter()
    response = client.get("/api/v1/export/claims", query_string={"format": format})
    if response.status_code != 200:
        raise SystemExit(f"export answered {response.status_code}: {response.get_data()[:300]}")
    lines = size_bytes = 0
    samples = []
    every = max(size // 10, 1)
    for chunk in response.response:
        size_bytes += len(chunk)
        newlines = chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
        for _ in range(newlines):
            lines += 1
            if lines % every == 0:
                samples.append({"lines": lines, "rss_mb": round(current_rss_mb(), 1)})
    response.close()
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    return {
        "dialect": app.extensions["db"].engine.dialect.name,
        "size": size,
        "format": format,
        "lines": lines,
        "bytes": size_bytes,
        "seconds": round(seconds, 1),
        "claims_per_second": round(size / seconds) if seconds else None,
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_before_mb": round(peak_before, 1),
        "peak_rss_mb": round(peak, 1),
        "growth_mb": round(peak - baseline, 1),
        "target": f"peak RSS < {TARGET_PEAK_MB} MB",
        "met": peak < TARGET_PEAK_MB,
        "samples": samples,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench.export_memory " + " ".join(sys.argv[1:]),
        "pid": os.getpid(),
    }


def markdown(result: dict) -> str:
    samples = " · ".join(f"{s['lines']:,}: {s['rss_mb']:.0f}" for s in result["samples"])
    return "\n".join(
        [
            f"# Export memory: {result['dialect']}, {result['size']:,} claims "
            f"({result['started_at']})",
            "",
            f"`{result['command']}`",
            "",
            f"`GET /api/v1/export/claims?format={result['format']}` through the WSGI app in one "
            "process, the body read and discarded chunk by chunk.",
            "",
            "| figure | value |",
            "|---|---|",
            f"| baseline RSS (app built, one request answered) | {result['baseline_rss_mb']} MB |",
            f"| **peak RSS over the export** | **{result['peak_rss_mb']} MB** "
            f"(target: < {TARGET_PEAK_MB} MB: {'met' if result['met'] else 'NOT met'}) |",
            f"| growth over the baseline | {result['growth_mb']} MB |",
            f"| lines written | {result['lines']:,} ({result['bytes'] / 2**20:,.0f} MiB) |",
            f"| time | {result['seconds']} s ({result['claims_per_second']:,} claims/s) |",
            "",
            f"RSS in MB after each tenth of the lines: {samples}.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--format", choices=("ndjson", "csv"), default="ndjson")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    result = measure(args.database_url, args.format)
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"export-memory-{result['dialect']}-{result['size']}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
