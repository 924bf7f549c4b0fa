"""Does a learned re-ranker over matching's best candidates help? Fit on train, report dev.

The verified claims go into a database as bench/claim_matching.py loads them; each tweet's
candidates come from the service's own first step (service/claims/matching.candidates:
BM25 over index terms). The best RERANK_DEPTH get the features of bench/rerank_features.py
(and, with --embeddings, the cosine of the tweet with the claim's text and summary under a
sentence encoder: bench/embed_minilm.py). A logistic regression over them, pointwise (is this
claim relevant?) or pairwise (is this one above that one?), is chosen by 5-fold
cross-validation over train queries and fitted on all of train; dev is only measured.
scikit-learn runs here only (bench/requirements-rerank.txt).

Also measured: the re-ranker's CPU time per query (features and the weighted sum), against
the first step's (database lookups and BM25 in Python) in the same run.

    pip install -r bench/requirements-rerank.txt
    python -m bench.rerank_experiment [--embeddings bench/results/minilm.npz]
"""

from __future__ import annotations

import argparse
import json
import time

from bench import claim_matching as bench
from bench.rerank_features import FEATURES, RERANK_DEPTH, Fields, features

C_VALUES = (0.01, 0.1, 1.0)
FOLDS = 5
KINDS = ("pointwise", "pairwise")


def rows(archive: bench.Archive, split: str, timings: dict[str, list[float]]) -> list[dict]:
    """Per query: its best candidates' features, labels and vclaim ids, in BM25 order."""
    from sqlalchemy import select

    from service.claims import matching
    from service.claims.models import Claim
    from service.db import database

    found = []
    with archive.app.app_context(), database().engine.connect() as connection:
        for query in bench.queries(split):
            started = time.perf_counter()
            result = matching.candidates(connection, query.text)
            timings["first_step"].append((time.perf_counter() - started) * 1000)
            if result is None:
                found.append({"query": query, "x": [], "y": [], "ids": [], "claims": []})
                continue
            analysed, ranked = result
            ranked = ranked[:RERANK_DEPTH]
            claims = [candidate.claim_id for candidate in ranked]
            started = time.perf_counter()
            statement = select(Claim.id, Claim.text, Claim.summary, Claim.language)
            fields = {
                claim_id: Fields(text, summary, language)
                for claim_id, text, summary, language in connection.execute(
                    statement.where(Claim.id.in_(claims))
                )
            }
            timings["read_fields"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            x = features(analysed, ranked, fields)
            timings["features"].append((time.perf_counter() - started) * 1000)
            ids = [archive.ids[claim_id] for claim_id in claims]
            found.append(
                {
                    "query": query,
                    "x": x,
                    "y": [1 if each & query.relevant else 0 for each in ids],
                    "ids": ids,
                    "claims": claims,
                }
            )
    return found


def with_embeddings(found: list[dict], split: str, path: str, records: list[dict]) -> None:
    """Add the cosine of the tweet with each candidate's text and summary to its features."""
    import numpy

    stored = dict(numpy.load(path))
    position = {key: index for index, key in enumerate(stored["keys"])}
    record_of = {v: index for index, r in enumerate(records) for v in bench.vclaim_ids(r)}
    for row in found:
        query = stored["queries"][position[f"{split}:{row['query'].id}"]]
        for x, ids in zip(row["x"], row["ids"], strict=True):
            record = record_of[min(ids)]
            x += [float(stored["text"][record] @ query), float(stored["summary"][record] @ query)]


def fit(found: list[dict], kind: str, c: float):
    import numpy
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    if kind == "pointwise":
        x = numpy.array([each for row in found for each in row["x"]])
        y = numpy.array([each for row in found for each in row["y"]])
        scaler = StandardScaler().fit(x)
        model = LogisticRegression(C=c, max_iter=5000).fit(scaler.transform(x), y)
    else:
        x, y = [], []
        for row in found:
            features_ = numpy.array(row["x"]) if row["x"] else None
            for i, relevant in enumerate(row["y"]):
                for j, other in enumerate(row["y"]):
                    if relevant and not other:
                        x += [features_[i] - features_[j], features_[j] - features_[i]]
                        y += [1, 0]
        x = numpy.array(x)
        scaler = StandardScaler(with_mean=False).fit(x)
        model = LogisticRegression(C=c, max_iter=5000, fit_intercept=False)
        model.fit(scaler.transform(x), y)
    return lambda rows_: model.decision_function(scaler.transform(rows_))


def evaluate(score, found: list[dict]) -> dict[str, float]:
    """Measures of each query's candidates ranked by `score` (None: BM25's order)."""
    measured = []
    for row in found:
        ids = row["ids"]
        if score is not None and ids:
            scores = score(row["x"])
            ids = [ids[i] for i in sorted(range(len(ids)), key=lambda i: (-scores[i], i))]
        measured.append(bench.measures(ids, row["query"].relevant))
    return bench.mean(measured)


def cross_validated(found: list[dict], kind: str, c: float) -> float:
    total = 0.0
    for fold in range(FOLDS):
        training = [row for index, row in enumerate(found) if index % FOLDS != fold]
        held_out = [row for index, row in enumerate(found) if index % FOLDS == fold]
        total += evaluate(fit(training, kind, c), held_out)["map5"] * len(held_out)
    return round(total / len(found), 4)


def percentile(values: list[float], share: float) -> float:
    return round(bench.percentile(values, share), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{bench.RESULTS / 'claim-matching.sqlite3'}",
        help="an empty database, or one bench.claim_matching filled before",
    )
    parser.add_argument("--embeddings", help="an .npz of bench/embed_minilm.py")
    args = parser.parse_args()
    records = bench.records()
    archive = bench.Archive(args.database_url, records)
    timings: dict[str, list[float]] = {"first_step": [], "read_fields": [], "features": []}
    train = rows(archive, "train", timings)
    dev = rows(archive, "dev", timings)
    names = list(FEATURES)
    if args.embeddings:
        with_embeddings(train, "train", args.embeddings, records)
        with_embeddings(dev, "dev", args.embeddings, records)
        names += ["cosine_text", "cosine_summary"]
    result = {
        "database": archive.dialect,
        "depth": RERANK_DEPTH,
        "features": names,
        "train_reachable": round(sum(any(row["y"]) for row in train) / len(train), 4),
        "bm25": {"train": evaluate(None, train), "dev": evaluate(None, dev)},
        "cross_validated_train_map5": {},
    }
    for kind in KINDS:
        for c in C_VALUES:
            result["cross_validated_train_map5"][f"{kind} C={c}"] = cross_validated(train, kind, c)
            print(kind, c, result["cross_validated_train_map5"][f"{kind} C={c}"], flush=True)
    chosen = max(result["cross_validated_train_map5"].items(), key=lambda item: item[1])[0]
    kind, c = chosen.split(" C=")
    score = fit(train, kind, float(c))
    result["chosen"] = chosen
    result["reranked"] = {"train": evaluate(score, train), "dev": evaluate(score, dev)}
    started = time.perf_counter()
    for row in train + dev:
        if row["x"]:
            score(row["x"])
    weighing = (time.perf_counter() - started) * 1000 / len(train + dev)
    result["ms_per_query"] = {
        name: {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95)}
        for name, values in timings.items()
    }
    features_mean = sum(timings["features"]) / len(timings["features"])
    first_mean = sum(timings["first_step"]) / len(timings["first_step"])
    result["ms_per_query"]["mean"] = {
        "first_step": round(first_mean, 3),
        "features": round(features_mean, 3),
        "weighing (numpy, per query)": round(weighing, 3),
        "features / first_step": round(features_mean / first_mean, 3),
    }
    suffix = "-embeddings" if args.embeddings else ""
    stem = bench.RESULTS / f"rerank-experiment-{archive.dialect}{suffix}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
