"""Text analysis for issue 13: time per token for each analyser, and the memory it takes.

    .venv/bin/python -m bench.analysis_speed               # every analyser with a word list
    .venv/bin/python -m bench.analysis_speed --only fr,es,ar --words 5000

Words are real: distinct inflected forms drawn from simplemma's dictionary of the language
(loaded here only, in the timing process). Prints a markdown table:
- first: µs per word the first time it is seen (stemmer, dictionary lemmas, Arabic rules and
  folding, plus preparing and splitting the one-word text);
- again: µs per word when the word cache already holds it;
- text: µs per token over a text of --tokens tokens drawn from the words by Zipf's law (news
  repeats its words), the word cache emptied first;
- ratio: text over the same text's `re.findall(r"\\w+", text.casefold())`, timed alike: the
  machine is noisy, compare ratios between runs rather than µs.
Memory is measured in a fresh process (the timing one holds the word lists): RSS before
importing service.analysis, after importing it, after every analyser has analysed a
sentence (stemmers made, French and Spanish dictionaries loaded), and after the shared word
cache is full.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time

from bench.memory import current_rss_mb

# simplemma's code for the language, where it differs from the analyser's.
WORD_LIST = {"no": "nb", "sr": "hbs"}
SENTENCE = "The 2 consulates' photos: l'armée oraron وبالقنصلية İstanbul'da Ärzte ёлки"


def memory() -> dict[str, float]:
    """RSS at each step, in this (fresh) process."""
    figures = {"python": current_rss_mb()}
    from service import analysis
    from service.analysis.analysers import _word_terms

    figures["imported"] = current_rss_mb()
    for analyser in analysis.ANALYSERS:
        if analyser.id not in ("fr", "es"):
            analyser.terms(SENTENCE)
    figures["every analyser but fr, es used"] = current_rss_mb()
    analysis.analyser_for("fr").terms(SENTENCE)
    figures["fr used (its dictionary loaded)"] = current_rss_mb()
    analysis.analyser_for("es").terms(SENTENCE)
    figures["es used (its dictionary loaded)"] = current_rss_mb()
    plain = analysis.analyser_for(None)
    n = 0
    while _word_terms.cache_info().currsize < _word_terms.cache_info().maxsize:
        plain.terms(f"word{n} mot{n}")
        n += 1
    figures[f"word cache full ({_word_terms.cache_info().maxsize} words)"] = current_rss_mb()
    return figures


def words_of(code: str, count: int, seed: int = 13) -> list[str]:
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    dictionary = DefaultDictionaryFactory().get_dictionary(WORD_LIST.get(code, code))
    forms = sorted(w for w in dictionary if w.isalpha())
    return random.Random(seed).sample(forms, min(count, len(forms)))


def per_item(run, items: int, repeat: int = 3) -> float:
    """Best of `repeat` runs, in µs per item."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best / items * 1e6


def timing(code: str, words: list[str], tokens: int) -> dict[str, float]:
    from service.analysis import analyser_for
    from service.analysis.analysers import _word_terms

    analyser = analyser_for(code)
    analyser.terms(words[0])  # stemmer made, dictionary loaded: not a per-word cost

    def each_word() -> None:
        for word in words:
            analyser.terms(word)

    def first() -> None:
        _word_terms.cache_clear()
        each_word()

    weights = [1 / rank for rank in range(1, len(words) + 1)]
    text = " ".join(random.Random(7).choices(words, weights, k=tokens))

    def whole_text() -> None:
        _word_terms.cache_clear()
        analyser.terms(text)

    first_us = per_item(first, len(words))
    each_word()
    again_us = per_item(each_word, len(words))
    text_us = per_item(whole_text, tokens)
    baseline_us = per_item(lambda: re.findall(r"\w+", text.casefold()), tokens)
    return {
        "first": first_us,
        "again": again_us,
        "text": text_us,
        "ratio": text_us / baseline_us,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated analyser ids")
    parser.add_argument("--words", type=int, default=20_000, help="distinct words per language")
    parser.add_argument("--tokens", type=int, default=50_000, help="tokens in the Zipf text")
    parser.add_argument("--memory-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_worker:
        print(json.dumps(memory()))
        return

    from service.analysis import ANALYSERS

    worker = [sys.executable, "-m", "bench.analysis_speed", "--memory-worker"]
    figures = json.loads(subprocess.run(worker, check=True, capture_output=True).stdout)
    print("| step | RSS MB | + MB |\n| --- | ---: | ---: |")
    previous = None
    for step, mb in figures.items():
        added = "" if previous is None else f"{mb - previous:+.1f}"
        print(f"| {step} | {mb:.1f} | {added} |")
        previous = mb

    wanted = args.only.split(",") if args.only else [a.id for a in ANALYSERS if a.id != "x"]
    print("\n| analyser | words | first µs/word | again µs/word | text µs/token | ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for code in wanted:
        try:
            words = words_of(code, args.words)
        except ValueError:
            print(f"| {code} | no word list in simplemma | | | | |")
            continue
        row = timing(code, words, args.tokens)
        print(
            f"| {code} | {len(words)} | {row['first']:.2f} | {row['again']:.2f} "
            f"| {row['text']:.2f} | {row['ratio']:.1f} |"
        )


if __name__ == "__main__":
    main()
