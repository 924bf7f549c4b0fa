"""Results as JSON and as a short Markdown table: each figure a ratio, absolute numbers beside."""

from __future__ import annotations

import json
import sys
from pathlib import Path

# What issue 5 asks of each figure at 1M claims on PostgreSQL.
TARGETS = {
    "get_by_id": "≥ 0.7",
    "q_status": "API p95 < 30 ms",
    "deep_page": "≤ 1.5",
    "datasette": "≥ 2",
}


def _ms(figures: dict) -> str:
    return f"{figures['p50_ms']:.2f} · {figures['p95_ms']:.2f} ms"


def _throughput_row(
    title: str, result: dict | None, names: tuple[str, str], target: str
) -> str | None:
    if not result:
        return None
    if result["status"] != "ok":
        return f"| {title} | {result['status']} | {result['reason']} | | {target} |"
    rates = result["requests_per_second"]
    measured, baseline = names
    rounds = ", ".join(f"{ratio:.2f}" for ratio in result["ratio_per_round"])
    failed = result["failed_requests"]

    def figure(name: str) -> str:
        note = f" ({failed[name]} failed requests)" if failed.get(name) else ""
        return f"{name} {rates[name]:,.0f} req/s{note}"

    return (
        f"| {title} | **{result['ratio']:.2f}** (rounds: {rounds}) "
        f"| {figure(baseline)} | {figure(measured)} | {target} |"
    )


def _latency_row(title: str, result: dict, names: tuple[str, str], target: str) -> str:
    if result["status"] != "ok":
        return f"| {title} | {result['status']} | {result['reason']} | | {target} |"
    measured, baseline = names
    return (
        f"| {title} | **{result['ratio_p50']:.2f} · {result['ratio_p95']:.2f}** "
        f"| {baseline} {_ms(result[baseline])} | {measured} {_ms(result[measured])} | {target} |"
    )


def markdown(results: dict) -> str:
    lines = [
        f"# {results['dialect']}, {results['size']:,} claims ({results['started_at']})",
        "",
        f"`{results['command']}`",
        "",
        "Ratios are measured / baseline from this run; latencies are p50 · p95. A throughput "
        "ratio is the median of the rounds' ratios (each round runs both back to back).",
        "",
        "| figure | ratio | baseline | measured | issue 5 asks |",
        "|---|---|---|---|---|",
        _throughput_row(
            "`GET /claims/{id}` throughput, app / raw driver",
            results.get("get_by_id"),
            ("app", "raw"),
            TARGETS["get_by_id"],
        ),
    ]
    for name, result in results.get("search", {}).items():
        lines.append(
            _latency_row(
                f"search {result['label']} latency, API / SQL",
                result,
                ("api", "sql"),
                TARGETS.get(name, ""),
            )
        )
    if "deep_page" in results:
        depth = results["deep_page"].get("depth", "")
        lines.append(
            _latency_row(
                f"page at depth {depth:,} / first page" if depth else "deep page / first page",
                results["deep_page"],
                ("deep", "first"),
                TARGETS["deep_page"],
            )
        )
    for name, title, target in (
        ("datasette", "Datasette's table search `?_search=`", TARGETS["datasette"]),
        ("datasette_array", "the same search, `&_shape=array`", ""),
        ("datasette_sql", "Datasette running the app's search SQL only", ""),
    ):
        lines.append(
            _throughput_row(
                f"search throughput, app / {title} (one process each)",
                results.get(name),
                ("app", "datasette"),
                target,
            )
        )
    lines += ["", _settings(results), ""]
    lines += _languages(results)
    return "\n".join(line for line in lines if line is not None)


def _shares(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    return ", ".join(f"{name} {count:,} ({count / total:.1%})" for name, count in counts.items())


def _languages(results: dict) -> list[str]:
    """The languages of the data, and the searches' figures in each query language."""
    if "languages" not in results:  # results from before the archive had languages
        return []
    lines = ["## Languages", ""]
    lines += [f"- {table}: {_shares(counts)}" for table, counts in results["languages"].items()]
    for result in results.get("search", {}).values():
        if result.get("status") != "ok" or not result.get("by_language"):
            continue
        lines += [
            "",
            f"Search {result['label']} by the query's language (a few searches each: "
            "p95 is about the slowest):",
            "",
            "| language | searches | found nothing | API p50 · p95 | SQL p50 · p95 |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {language} | {figures['requests']} | {figures['found_nothing']} "
            f"| {_ms(figures['api'])} | {_ms(figures['sql'])} |"
            for language, figures in result["by_language"].items()
        ]
    return [*lines, ""]


def _settings(results: dict) -> str:
    settings = results["settings"]
    return (
        f"gunicorn gthread {settings['workers']}×{settings['threads']} for both the app and the "
        f"raw endpoint; wrk -t{settings['wrk_threads']} -c{settings['connections']} "
        f"-d{settings['seconds']}s, {settings['rounds']} alternating rounds, median req/s; "
        f"latencies from one keep-alive client, {settings['queries']} requests per case, "
        f"interleaved with the SQL on the driver. Machine: {results['machine']}."
    )


def write(results: dict, directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{results['dialect']}-{results['size']}"
    as_json = directory / f"{stem}.json"
    as_markdown = directory / f"{stem}.md"
    as_json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    as_markdown.write_text(markdown(results))
    return as_json, as_markdown


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.report RESULTS.json...`: write each one's Markdown table again."""
    for name in argv if argv is not None else sys.argv[1:]:
        path = Path(name)
        path.with_suffix(".md").write_text(markdown(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
