"""The synthetic archive, as rows ready for the database, made in chunks of claims.

One source per `CLAIMS_PER_SOURCE` claims, each claim quoted once in its source's text (offsets
and context exactly where the app would put them), 1-4 evidence items, and a timeline: the
creation entry and 0-3 status changes along paths a newsroom takes. A claim's status,
status_changed_at and review_due are those of its last change. Ids are assigned here, so that
the loader can COPY without RETURNING and the benchmark knows every id from 1 to the size.

Each source is written in one language (bench/vocabulary.py LANGUAGE_SHARES), and so are its
claims; evidence mostly in its claim's language, else in English. What the app derives from a
record is derived by the app's own functions: `search_text` (service.indexing), the analysers
it holds (`search_analyser`, the last chunk), a claim's fingerprint.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote as url_quote

from bench.vocabulary import PUBLISHERS, UNDETERMINED, Dice, Writer, weighted
from service.claims.fingerprint import claim_fingerprint
from service.indexing import analysers_of, claim_search_text, source_search_text

CLAIMS_PER_SOURCE = 5
CONTEXT_LENGTH = 32  # what service.appearances.anchoring keeps either side of a quote
FIRST_CLAIM_AT = datetime(2018, 1, 1, tzinfo=UTC)
LAST_CLAIM_AT = datetime(2026, 10, 1, tzinfo=UTC)
REVIEW_DUE_FROM, REVIEW_DUE_DAYS = date(2020, 1, 1), (date(2027, 12, 31) - date(2020, 1, 1)).days
AUTHORS = ("ana", "karim", "lea", "omar", "desk", None)
EVIDENCE_IN_CLAIM_LANGUAGE = 0.7  # else English: a wire service, the World Bank, the WHO
LANGUAGE_DETECTED = 0.3  # records whose writer gave no language (`und` ones always)
# What an import keeps of its file's authors: (original_author, original_created_at) for this
# share of claims and sources.
ORIGINAL_AUTHORS = ("Fact-check desk", "Regional bureau", "Archive team")
WITH_ORIGINAL_AUTHOR = 0.3

# Column order of each table's rows. A column the database lacks is left out when loading.
COLUMNS = {
    "source": (
        "id uid url url_sha256 title publisher author published_on language language_detected "
        "kind text text_sha256 search_text archived_url created_by updated_by original_author "
        "original_created_at created_at updated_at version"
    ).split(),
    "claim": (
        "id uid text kind claimant claim_date language language_detected status "
        "status_changed_at review_due summary search_text fingerprint created_by updated_by "
        "original_author original_created_at created_at updated_at version"
    ).split(),
    "claim_tag": ["claim_id", "tag"],
    "appearance": (
        "id uid claim_id source_id quote start end prefix suffix anchor_state created_by "
        "updated_by created_at updated_at version"
    ).split(),
    "evidence": (
        "id uid claim_id source_id url title publisher published_on stance summary quote note "
        "language language_detected created_by updated_by created_at updated_at version"
    ).split(),
    "status_change": (
        "id uid claim_id from_status to_status rationale review_due created_by created_at"
    ).split(),
    "status_change_evidence": ["status_change_id", "evidence_id"],
    # The analysers whose terms the search texts hold: the last chunk, once all are written.
    "search_analyser": ["id"],
}
VERDICTS = (("false", 30), ("mostly_false", 20), ("mixed", 15), ("mostly_true", 15))
VERDICTS += (("true", 15), ("unproven", 5))
OUTCOMES = (("fulfilled", 30), ("partially_fulfilled", 25), ("unfulfilled", 30), ("stalled", 15))
# The moves after creation, with how often each happens; "V"/"O" stand for a verdict/outcome.
FACTUAL_PATHS = (((), 25), (("in_review",), 20), (("in_review", "V"), 45), (("V",), 5))
FACTUAL_PATHS += ((("in_review", "V", "V"), 5),)
PROMISE_PATHS = (((), 30), (("in_progress",), 25), (("in_progress", "O"), 30), (("stalled",), 5))
PROMISE_PATHS += ((("in_progress", "stalled", "in_progress"), 10),)
CONCLUSIONS = frozenset(s for s, _ in VERDICTS + OUTCOMES) - {"stalled"}
STANCES = (("refutes", 40), ("supports", 30), ("context", 20), ("mixed", 10))
SOURCE_KINDS = (("article", 70), ("official_statement", 12), ("social_post", 10), ("report", 8))


@dataclass(frozen=True)
class Formats:
    """How timestamps and dates are handed to the driver (SQLite stores SQLAlchemy's strings)."""

    timestamp: Callable[[datetime], object]
    date: Callable[[date], object]
    uid: Callable[[uuid.UUID], object]


NATIVE = Formats(timestamp=lambda value: value, date=lambda value: value, uid=lambda value: value)
SQLITE = Formats(
    # SQLAlchemy's SQLite DateTime storage: UTC, no offset, always microseconds.
    timestamp=lambda value: value.replace(tzinfo=None).isoformat(" ", "microseconds"),
    date=date.isoformat,
    # Its Uuid storage where the database has no UUID type: 32 hex digits.
    uid=lambda value: value.hex,
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Counters:
    evidence: int = 0
    status_change: int = 0
    # Rows per language: {"claim": Counter({"en": ...}), "source": ..., "evidence": ...}
    languages: dict[str, Counter] = field(
        default_factory=lambda: {table: Counter() for table in ("claim", "source", "evidence")}
    )
    analysers: set[str] = field(default_factory=set)


class Dataset:
    """Rows for claims 1..size, made chunk by chunk from one seed."""

    def __init__(self, size: int, formats: Formats, seed: int = 20201217):
        self.size = size
        self.formats = formats
        self.dice = Dice(random.Random(seed))
        self.writer = Writer(self.dice)
        # uids from a generator of their own: the same data for a seed, and the other draws
        # do not move when the uids change.
        self.uid_bits = random.Random(seed ^ 0x5EED).getrandbits
        self.ids = Counters()
        self.step = (LAST_CLAIM_AT - FIRST_CLAIM_AT).total_seconds() / max(size, 1)
        self.weighted = {
            name: weighted(choices)
            for name, choices in {
                "V": VERDICTS,
                "O": OUTCOMES,
                "factual": FACTUAL_PATHS,
                "promise": PROMISE_PATHS,
                "stance": STANCES,
                "source_kind": SOURCE_KINDS,
            }.items()
        }

    def chunks(self, claims_per_chunk: int) -> Iterator[dict[str, list[tuple]]]:
        """Rows of every table, a chunk of claims at a time; `search_analyser` last."""
        # Whole sources in each chunk: a source's claims are loaded with it.
        per_chunk = max(1, claims_per_chunk // CLAIMS_PER_SOURCE) * CLAIMS_PER_SOURCE
        for first in range(1, self.size + 1, per_chunk):
            last = min(first + per_chunk - 1, self.size)
            rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS}
            del rows["search_analyser"]
            for source_first in range(first, last + 1, CLAIMS_PER_SOURCE):
                claim_ids = range(source_first, min(source_first + CLAIMS_PER_SOURCE, last + 1))
                self._source_with_claims(rows, claim_ids)
            yield rows
        yield {"search_analyser": [(analyser,) for analyser in sorted(self.ids.analysers)]}

    @property
    def languages(self) -> dict[str, dict[str, int]]:
        """Rows per language so far, per table, commonest first."""
        return {table: dict(counts.most_common()) for table, counts in self.ids.languages.items()}

    def _uid(self):
        return self.formats.uid(uuid.UUID(int=self.uid_bits(128), version=4))

    def _detected(self, language: str) -> bool:
        return language == UNDETERMINED or self.dice.chance(LANGUAGE_DETECTED)

    def _original(self, at: datetime) -> tuple[str | None, object]:
        """(original_author, original_created_at): what an imported file said, now and then."""
        if not self.dice.chance(WITH_ORIGINAL_AUTHOR):
            return None, None
        earlier = at - timedelta(days=self.dice.between(0, 30))
        return self.dice.pick(ORIGINAL_AUTHORS), self.formats.timestamp(earlier)

    def _noted(self, search_text: str) -> str:
        """The search text, its analysers noted for `search_analyser`."""
        self.ids.analysers |= analysers_of(search_text)
        return search_text

    def _choose(self, name: str):
        return self.dice.pick(self.weighted[name])

    def _claim_time(self, claim_id: int) -> datetime:
        offset = (claim_id - 1 + self.dice.random()) * self.step
        return FIRST_CLAIM_AT + timedelta(seconds=offset)

    def _review_due(self) -> date:
        return REVIEW_DUE_FROM + timedelta(days=self.dice.below(REVIEW_DUE_DAYS + 1))

    def _source_with_claims(self, rows: dict[str, list[tuple]], claim_ids: range) -> None:
        """A source whose text quotes each of its claims, then the claims themselves."""
        writer, dice = self.writer, self.dice
        source_id = (claim_ids[0] - 1) // CLAIMS_PER_SOURCE + 1
        language = writer.language()
        kinds = ["promise" if dice.chance(0.35) else "factual" for _ in claim_ids]
        speakers = [writer.person(language) for _ in claim_ids]
        statements = [writer.statement(language, kind == "promise") for kind in kinds]
        text, quote_starts = self._source_text(language, speakers, statements)
        created = self._claim_time(claim_ids[0]) - timedelta(minutes=dice.between(1, 240))
        publisher, domain = dice.pick(PUBLISHERS)
        slug = url_quote(statements[0][:40].replace(" ", "-").lower(), safe="-")
        url = f"https://www.{domain}/{created:%Y/%m}/{source_id}-{slug}"
        ts, day = self.formats.timestamp(created), self.formats.date(created.date())
        title = writer.title(language)[:500]
        search_text = self._noted(source_search_text(language, title, text))
        rows["source"].append(
            (source_id, self._uid(), url, sha256(url), title, publisher, dice.pick(AUTHORS), day,
             language, self._detected(language), self._choose("source_kind"), text, sha256(text),
             search_text, None, "import", "import", *self._original(created), ts, ts, 1)
        )  # fmt: skip
        self.ids.languages["source"][language] += 1
        for claim_id, kind, speaker, statement, start in zip(
            claim_ids, kinds, speakers, statements, quote_starts, strict=True
        ):
            anchor = (start, start + len(statement), text)
            self._claim(rows, claim_id, kind, speaker, statement, language, source_id, anchor)

    def _source_text(
        self, language: str, speakers: list[str], statements: list[str]
    ) -> tuple[str, list[int]]:
        """Filler sentences around each claimant's words; where each quote starts."""
        writer = self.writer
        before, after = writer.quote(language)
        parts = [writer.filler(language) for _ in range(self.dice.between(1, 3))]
        starts = []
        length = sum(len(p) + 1 for p in parts)
        for speaker, statement in zip(speakers, statements, strict=True):
            lead = before.format(speaker=speaker)
            starts.append(length + len(lead))
            parts.append(f"{lead}{statement}{after}")
            length += len(parts[-1]) + 1
            for _ in range(self.dice.between(0, 2)):
                parts.append(writer.filler(language))
                length += len(parts[-1]) + 1
        return " ".join(parts), starts

    def _claim(self, rows, claim_id, kind, speaker, statement, language, source_id, anchor):
        dice, fmt = self.dice, self.formats
        created = self._claim_time(claim_id)
        summary = self.writer.finding(language) if dice.chance(0.6) else None
        evidence, evidence_done = self._evidence(rows, claim_id, source_id, language, created)
        evidence_ids = [evidence_id for evidence_id, *_ in evidence]
        changes = self._timeline(
            rows, claim_id, kind, language, created, evidence_done, evidence_ids
        )
        status, changed_at, review_due = changes
        claim_text = statement + "."
        start, end, source_text = anchor
        # As Claim.refresh_search_text: the quote in its source's language (the claim's here).
        search_text = claim_search_text(
            language, claim_text, summary, [(language, statement)], [e[1:] for e in evidence]
        )
        ts = fmt.timestamp(created)
        updated = fmt.timestamp(max(changed_at, evidence_done))
        claim_date = None if dice.chance(0.1) else created.date() - timedelta(dice.below(30))
        rows["claim"].append(
            (claim_id, self._uid(), claim_text, kind, speaker, claim_date and fmt.date(claim_date),
             language, self._detected(language), status, fmt.timestamp(changed_at),
             review_due and fmt.date(review_due), summary, self._noted(search_text),
             claim_fingerprint(claim_text, speaker, claim_date), "import", "import",
             *self._original(created), ts, updated, 1)
        )  # fmt: skip
        self.ids.languages["claim"][language] += 1
        rows["claim_tag"].extend((claim_id, tag) for tag in self.writer.tag_set())
        rows["appearance"].append(
            (claim_id, self._uid(), claim_id, source_id, statement, start, end,
             source_text[max(0, start - CONTEXT_LENGTH) : start],
             source_text[end : end + CONTEXT_LENGTH], "anchored", "import", "import", ts, ts, 1)
        )  # fmt: skip

    def _evidence(self, rows, claim_id, source_id, claim_language, created):
        """1-4 evidence items added within a day of the claim: (id, language, title, summary)
        of each, and the time of the last."""
        dice, fmt, writer = self.dice, self.formats, self.writer
        items, at = [], created
        for _ in range(dice.between(1, 4)):
            self.ids.evidence += 1
            evidence_id = self.ids.evidence
            at = at + timedelta(minutes=dice.between(5, 360))
            publisher, domain = dice.pick(PUBLISHERS)
            cited_source = dice.between(1, source_id)
            language = claim_language if dice.chance(EVIDENCE_IN_CLAIM_LANGUAGE) else "en"
            title, finding = writer.title(language)[:500], writer.finding(language)
            rows["evidence"].append(
                (evidence_id, self._uid(), claim_id,
                 cited_source if dice.chance(0.2) else None,
                 f"https://{domain}/{at:%Y/%m/%d}/evidence-{evidence_id}", title,
                 publisher, fmt.date(at.date() - timedelta(dice.below(60))),
                 self._choose("stance"), finding,
                 writer.filler(language) if dice.chance(0.3) else None, None,
                 language, self._detected(language), "import", "import",
                 fmt.timestamp(at), fmt.timestamp(at), 1)
            )  # fmt: skip
            self.ids.languages["evidence"][language] += 1
            items.append((evidence_id, language, title, finding))
        return items, at

    def _timeline(self, rows, claim_id, kind, language, created, evidence_done, evidence_ids):
        """The creation entry and the moves after it; the claim's status, time and due date."""
        status = "pending" if kind == "promise" else "unverified"
        review_due = self._review_due() if kind == "promise" else None
        self._change(rows, claim_id, None, status, "Claim recorded.", review_due, created)
        changed_at, at = created, evidence_done  # conclusions rest on evidence added before
        for step in self._choose(kind):
            to_status = self._choose(step) if step in ("V", "O") else step
            while to_status == status:
                to_status = self._choose(step)
            at += timedelta(hours=self.dice.between(1, 24 * 45))
            at = changed_at = min(at, LAST_CLAIM_AT + timedelta(days=45))
            review_due = self._next_review_due(kind, to_status)
            rationale = self.writer.finding(language)
            change_id = self._change(rows, claim_id, status, to_status, rationale, review_due, at)
            if to_status in CONCLUSIONS:
                rows["status_change_evidence"].append((change_id, self.dice.pick(evidence_ids)))
            status = to_status
        return status, changed_at, review_due

    def _next_review_due(self, kind: str, status: str) -> date | None:
        if kind == "promise":
            return self._review_due()
        if status == "in_review" and self.dice.chance(0.5):
            return self._review_due()
        return None

    def _change(self, rows, claim_id, from_status, to_status, rationale, review_due, at) -> int:
        self.ids.status_change += 1
        fmt = self.formats
        rows["status_change"].append(
            (self.ids.status_change, self._uid(), claim_id, from_status, to_status, rationale,
             review_due and fmt.date(review_due), "import", fmt.timestamp(at))
        )  # fmt: skip
        return self.ids.status_change
