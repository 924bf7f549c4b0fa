"""The built-in rating vocabulary, and a rating's status by label or, lacking one, by number.

The vocabulary (data/builtin.json) holds labels fact-checkers publish, each with the status it
maps to, the publisher's own class and the source that says so. A label maps:

1. whole, when its normalised form is in the vocabulary (an entry with status null is a
   decision: not a verdict, so unmapped);
2. otherwise as free text, by the verdict words it contains: the longest vocabulary phrase at
   each place, read left to right. It maps only when every phrase found names one and the same
   status; two different ones (صحيح and زائف), a non-verdict among them (satire), or a
   negation just before one ("not false", "n'est pas faux") leave it unmapped. So does a word
   that looks like an inflected form of another status's verdict word ("prawda ... fałszywe",
   "ложь и манипуляции"), since inflections are not in the vocabulary to be counted. Arabic
   words are read without the article and the feminine ending: "الصورة زائفة" has زائف.

A wrong status is worse than none: an unknown label is unmapped even when the rating carries a
number, because the number only decides when there is no label at all.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from service.claims.statuses import Status
from service.ratings.normalise import normalise

MappedBy = Literal["publisher", "builtin", "number"]

# (lowest position on the scale, status), best first: 1..5 lands on 5 true ... 1 false.
NUMERIC_BANDS: tuple[tuple[float, Status], ...] = (
    (0.875, Status.TRUE),
    (0.625, Status.MOSTLY_TRUE),
    (0.375, Status.MIXED),
    (0.125, Status.MOSTLY_FALSE),
    (0.0, Status.FALSE),
)
DEFAULT_BEST, DEFAULT_WORST = 5.0, 1.0  # schema.org's defaults for Rating

# Words that turn the verdict word after them around; found within NEGATION_REACH words before
# a verdict phrase, they leave free text unmapped rather than risk the opposite verdict.
NEGATORS = frozenset(
    normalise(word)
    for word in (
        "not no never isn aren wasn weren doesn don didn nor without hardly "  # en
        "pas non ni sans jamais "  # fr
        "sin nunca "  # es
        "não nem sem "  # pt
        "né senza mai "  # it
        "nicht kein keine keinen nie ohne "  # de
        "niet geen "  # nl
        "ikke ej inte ingen "  # da, no, sv
        "не нет ні "  # ru, uk
        "değil "  # tr
        "tidak bukan tak "  # id
        "nu nuk jo nije "  # ro, sq, sr
        "ليس ليست غير لا لم لن ما "  # ar
        "نه نیست "  # fa
        "नहीं न"  # hi
    ).split()
)
NEGATION_REACH = 3
LONGEST_PHRASE = 5  # words; longer entries match only as whole labels

DATA = resources.files("service.ratings") / "data" / "builtin.json"


@dataclass(frozen=True)
class Entry:
    """One published label, the status it maps to (None: not a verdict) and why."""

    label: str
    lang: str
    status: Status | None
    source: str
    publisher_class: str
    publisher: str | None = None
    note: str | None = None
    scan: bool = True


@dataclass(frozen=True, repr=False)
class Vocabulary:
    entries: tuple[Entry, ...]
    sources: Mapping[str, Mapping[str, str]]
    labels: Mapping[str, Status | None]  # normalised label -> status
    phrases: Mapping[tuple[str, ...], Status | None]  # the ones free text is read for, stemmed
    # The first letters of one-word verdicts, by their first four: a word starting with one is
    # read as an inflection of that verdict (falso/falsa, prawda/prawdziwe, زائف/زائفة).
    stems: Mapping[str, tuple[tuple[str, Status | None], ...]]

    def __repr__(self) -> str:
        return f"<Vocabulary of {len(self.labels)} labels from {len(self.entries)} entries>"

    def knows(self, label: str) -> bool:
        return normalise(label) in self.labels

    def status(self, label: str) -> Status | None:
        """The status a label maps to, whole or as free text; None when it does not map."""
        key = normalise(label)
        if key in self.labels:
            return self.labels[key]
        return self.in_text(key)

    def in_text(self, text: str) -> Status | None:
        """The one status the verdict phrases in normalised free text agree on, if any."""
        words = text.split()
        stems = [_stem(word) for word in words]
        found: set[Status | None] = set()
        others: list[str] = []
        start = 0
        while start < len(words):
            for size in range(min(LONGEST_PHRASE, len(words) - start), 0, -1):
                phrase = tuple(stems[start : start + size])
                if phrase in self.phrases:
                    if NEGATORS.intersection(words[max(0, start - NEGATION_REACH) : start]):
                        return None
                    found.add(self.phrases[phrase])
                    start += size
                    break
            else:
                others.append(stems[start])
                start += 1
        if len(found) != 1:
            return None
        (status,) = found
        for word in others:
            for stem, stem_status in self.stems.get(word[:4], ()):
                if stem_status != status and word.startswith(stem):
                    return None
        return status


def load(path: Path | Any = DATA) -> Vocabulary:
    """Read a vocabulary file, refusing one whose entries disagree on a label."""
    document = json.loads(path.read_text(encoding="utf-8"))
    sources = document["sources"]
    entries = tuple(_entry(raw, sources) for raw in document["entries"])
    labels: dict[str, Status | None] = {}
    first: dict[str, Entry] = {}
    unscanned: set[str] = set()
    for entry in entries:
        key = normalise(entry.label)
        if not key:
            raise ValueError(f"entry {entry.label!r} has no letters to match")
        if key in labels and labels[key] != entry.status:
            raise ValueError(
                f"{entry.label!r} ({entry.source}) maps to {entry.status}, but "
                f"{first[key].label!r} ({first[key].source}) to {labels[key]}"
            )
        labels[key] = entry.status
        first.setdefault(key, entry)
        if not entry.scan:
            unscanned.add(key)
    scanned = {
        key: status
        for key, status in labels.items()
        if key not in unscanned and len(key.split()) <= LONGEST_PHRASE
    }
    phrases = {tuple(_stem(word) for word in key.split()): s for key, s in scanned.items()}
    # A one-word verdict minus its last letter catches its inflections; used only to refuse a
    # mapping, never to make one.
    stems: dict[str, list[tuple[str, Status | None]]] = {}
    for key, status in scanned.items():
        word = _stem(key)
        if " " not in key and len(word) >= 4:
            stem = word[: max(4, len(word) - 1)]
            stems.setdefault(stem[:4], []).append((stem, status))
    return Vocabulary(
        entries=entries,
        sources=sources,
        labels=labels,
        phrases=phrases,
        stems={prefix: tuple(pairs) for prefix, pairs in stems.items()},
    )


@functools.cache
def builtin() -> Vocabulary:
    return load()


def rating_status(
    label: str | None,
    value: Any = None,
    best: Any = None,
    worst: Any = None,
    *,
    own: Mapping[str, Status | None] | None = None,
) -> tuple[Status | None, MappedBy | None]:
    """A rating's status and what decided it: its label, or its number when it has no label.

    `own` is the publisher's vocabulary (normalised label -> status): an entry there beats the
    built-in one, even one whose status is None (the publisher's label is no verdict).
    """
    if label is not None and (key := normalise(label)):
        if own is not None and key in own:
            status = own[key]
            return (status, "publisher") if status is not None else (None, None)
        status = builtin().status(label)
        return (status, "builtin") if status is not None else (None, None)
    status = number_status(value, best, worst)
    return (status, "number") if status is not None else (None, None)


def number_status(value: Any, best: Any = None, worst: Any = None) -> Status | None:
    """The status of `value` placed on its own scale, worst..best (either way round)."""
    value = _number(value)
    best = _number(DEFAULT_BEST if best is None else best)
    worst = _number(DEFAULT_WORST if worst is None else worst)
    if value is None or best is None or worst is None or best == worst:
        return None
    position = (value - worst) / (best - worst)
    if not 0.0 <= position <= 1.0:
        return None
    return next(status for lowest, status in NUMERIC_BANDS if position >= lowest)


_ARTICLES = ("وال", "بال", "فال", "كال", "لل", "ال")


def _stem(word: str) -> str:
    """An Arabic word without its article or feminine ending; any other word as it is."""
    if not any("\u0600" <= ch <= "\u06ff" for ch in word):
        return word
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 3:
            word = word[len(article) :]
            break
    if word.endswith("ه") and len(word) >= 4:  # ة, normalised to ه
        word = word[:-1]
    return word


def _entry(raw: Mapping[str, Any], sources: Mapping[str, Any]) -> Entry:
    if raw["source"] not in sources:
        raise ValueError(f"entry {raw['label']!r} cites unknown source {raw['source']!r}")
    status = raw["status"]
    return Entry(
        label=raw["label"],
        lang=raw["lang"],
        status=None if status is None else Status(status),
        source=raw["source"],
        publisher_class=raw["class"],
        publisher=raw.get("publisher"),
        note=raw.get("note"),
        scan=raw.get("scan", True),
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
