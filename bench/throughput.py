"""Throughput figures with wrk: GET by id against the raw endpoint, search against Datasette."""

from __future__ import annotations

import json
import random
import statistics
import urllib.error
import urllib.request
from collections.abc import Collection
from functools import partial
from pathlib import Path
from types import ModuleType
from urllib.parse import urlencode

from bench.latency import CLAIMS, unavailable
from bench.measure import Throughput, WrkSettings, alternate, wrk
from bench.search_sql import search_terms
from bench.servers import Server
from bench.vocabulary import Dice, Writer

WARM_UP = WrkSettings(seconds=3)
PEERS = ("datasette", "datasette_array", "datasette_sql")  # see search_paths


def compare(
    rounds: int, settings: WrkSettings, script: str, runs: dict[str, tuple[Server, dict]]
) -> dict[str, list[Throughput]]:
    """Warm every server up, then wrk each in alternating rounds."""
    for server, env in runs.values():
        wrk(server.base_url, script, env, WARM_UP)
    return alternate(
        rounds,
        {
            name: partial(wrk, server.base_url, script, env, settings)
            for name, (server, env) in runs.items()
        },
    )


def summarize(results: dict[str, list[Throughput]], measured: str, baseline: str) -> dict:
    """The ratio: the median of each round's ratio (two runs back to back, so the machine's
    drift between rounds cancels out); the median requests/s of each beside it."""
    medians = {
        name: round(statistics.median(run.requests_per_second for run in runs), 1)
        for name, runs in results.items()
    }
    per_round = [
        round(a.requests_per_second / b.requests_per_second, 3)
        for a, b in zip(results[measured], results[baseline], strict=True)
    ]
    return {
        "status": "ok",
        "requests_per_second": medians,
        "ratio": round(statistics.median(per_round), 3),
        "ratio_of_medians": round(medians[measured] / medians[baseline], 3),
        "ratio_per_round": per_round,
        "failed_requests": {
            name: sum(run.failed for run in runs) for name, runs in results.items()
        },
        "runs": {name: [run.as_dict() for run in runs] for name, runs in results.items()},
    }


def same_documents(app: Server, raw: Server, size: int, samples: int = 20) -> None:
    """The raw endpoint must answer what the API answers, byte for byte, or the ratio lies."""
    for claim_id in random.Random(size).sample(range(1, size + 1), min(samples, size)):
        bodies = []
        for server in (app, raw):
            with urllib.request.urlopen(f"{server.base_url}{CLAIMS}/{claim_id}") as response:
                bodies.append(response.read())
        if bodies[0] != bodies[1]:
            raise SystemExit(
                f"claim {claim_id}: the raw endpoint's JSON differs from the API's; fix "
                f"bench/raw_app.py first\n  api: {bodies[0][:300]!r}\n  raw: {bodies[1][:300]!r}"
            )


def get_by_id(app: Server, raw: Server, size: int, rounds: int, settings: WrkSettings) -> dict:
    same_documents(app, raw, size)
    env = {"BENCH_MAX_ID": str(size)}
    results = compare(rounds, settings, "random_id.lua", {"app": (app, env), "raw": (raw, env)})
    return summarize(results, "app", "raw")


def _answers(url: str) -> str | None:
    """None when `url` answers 200; otherwise why not."""
    try:
        with urllib.request.urlopen(url, timeout=60):
            return None
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            detail = json.loads(body).get("detail")
        except (ValueError, AttributeError):
            detail = body[:200]
        return f"{error.code}: {detail}"


def search_paths(
    sql_module: ModuleType, database: str, count: int, analysers: Collection[str]
) -> dict[str, list[str]]:
    """The same two-word searches, 20 results each, as paths of the API and of Datasette.

    The index holds analysed terms (service/search.py), which Datasette cannot make of a
    user's words: it is given the FTS5 query the app makes of them (the query analysed under
    each of `analysers`), as raw FTS5 (`_searchmode=raw`), so that both look up the same terms.
    - `datasette`: Datasette's search of a table, as its search box asks it
      (`claim.json?_search=`, its defaults: it counts every match and suggests facets);
    - `datasette_array`: the same as a bare array of rows, the shape scripts ask for (it
      still counts, it suggests no facets);
    - `datasette_sql`: Datasette running the app's search SQL (bench/search_sql.py) and
      nothing else: the floor of what it does, against all of what the app does.
    """
    writer = Writer(Dice(random.Random("datasette")), pool_size=2_000)
    queries = [writer.query() for _ in range(count)]
    paths: dict[str, list[str]] = {name: [] for name in ("app", *PEERS)}
    for query in queries:
        paths["app"].append(f"{CLAIMS}?{urlencode({'q': query})}")
        terms = search_terms("sqlite", query, analysers)
        search = {"_search": terms, "_searchmode": "raw", "_size": 20}
        paths["datasette"].append(f"/{database}/claim.json?{urlencode(search)}")
        search["_shape"] = "array"
        paths["datasette_array"].append(f"/{database}/claim.json?{urlencode(search)}")
        sql, params = sql_module.q("sqlite", query, analysers)
        as_sql = {"sql": sql, **params, "_shape": "array"}
        paths["datasette_sql"].append(f"/{database}.json?{urlencode(as_sql)}")
    return paths


def versus_datasette(
    app: Server,
    peer: Server,
    database: str,
    sql_module: ModuleType,
    rounds: int,
    settings: WrkSettings,
    workdir: Path,
    analysers: Collection[str],
    peer_paths: str = "datasette",
) -> dict:
    """Search throughput of the API against Datasette answering the same searches."""
    paths = search_paths(sql_module, database, 200, analysers)
    for server, name in ((app, "app"), (peer, peer_paths)):
        refused = _answers(server.base_url + paths[name][0])
        if refused:
            return unavailable(f"{server.name} answered {refused}")
    envs = {}
    for name in ("app", peer_paths):
        file = workdir / f"paths-{name}.txt"
        file.write_text("\n".join(paths[name]) + "\n")
        envs[name] = {"BENCH_PATHS": str(file)}
    results = compare(
        rounds,
        settings,
        "paths.lua",
        {"app": (app, envs["app"]), "datasette": (peer, envs[peer_paths])},
    )
    examples = {"app": paths["app"][0], "datasette": paths[peer_paths][0]}
    return {"examples": examples} | summarize(results, "app", "datasette")
