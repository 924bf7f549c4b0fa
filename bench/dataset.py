"""The synthetic archive, as rows ready for the database, made in chunks of claims.

One source per `CLAIMS_PER_SOURCE` claims, each claim quoted once in its source's text (offsets
and context exactly where the app would put them), 1-4 evidence items, and a timeline: the
creation entry and 0-3 status changes along paths a newsroom takes. A claim's status,
status_changed_at and review_due are those of its last change. Ids are assigned here, so that
the loader can COPY without RETURNING and the benchmark knows every id from 1 to the size.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bench.vocabulary import PUBLISHERS, Dice, Writer, weighted

CLAIMS_PER_SOURCE = 5
CONTEXT_LENGTH = 32  # what service.appearances.anchoring keeps either side of a quote
FIRST_CLAIM_AT = datetime(2018, 1, 1, tzinfo=UTC)
LAST_CLAIM_AT = datetime(2026, 10, 1, tzinfo=UTC)
REVIEW_DUE_FROM, REVIEW_DUE_DAYS = date(2020, 1, 1), (date(2027, 12, 31) - date(2020, 1, 1)).days
AUTHORS = ("ana", "karim", "lea", "omar", "desk", None)

# Column order of each table's rows. A column the database lacks is left out when loading.
COLUMNS = {
    "source": (
        "id url url_sha256 title publisher author published_on language kind text text_sha256 "
        "search_text archived_url created_by updated_by created_at updated_at version"
    ).split(),
    "claim": (
        "id text kind claimant claim_date language status status_changed_at review_due summary "
        "search_text created_by updated_by created_at updated_at version"
    ).split(),
    "claim_tag": ["claim_id", "tag"],
    "appearance": (
        "id claim_id source_id quote start end prefix suffix anchor_state created_by updated_by "
        "created_at updated_at version"
    ).split(),
    "evidence": (
        "id claim_id source_id url title publisher published_on stance summary quote note "
        "created_by updated_by created_at updated_at version"
    ).split(),
    "status_change": (
        "id claim_id from_status to_status rationale review_due created_by created_at"
    ).split(),
    "status_change_evidence": ["status_change_id", "evidence_id"],
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


NATIVE = Formats(timestamp=lambda value: value, date=lambda value: value)
SQLITE = Formats(
    # SQLAlchemy's SQLite DateTime storage: UTC, no offset, always microseconds.
    timestamp=lambda value: value.replace(tzinfo=None).isoformat(" ", "microseconds"),
    date=date.isoformat,
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Counters:
    evidence: int = 0
    status_change: int = 0


class Dataset:
    """Rows for claims 1..size, made chunk by chunk from one seed."""

    def __init__(self, size: int, formats: Formats, seed: int = 20201217):
        self.size = size
        self.formats = formats
        self.dice = Dice(random.Random(seed))
        self.writer = Writer(self.dice)
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
        # Whole sources in each chunk: a source's claims are loaded with it.
        per_chunk = max(1, claims_per_chunk // CLAIMS_PER_SOURCE) * CLAIMS_PER_SOURCE
        for first in range(1, self.size + 1, per_chunk):
            last = min(first + per_chunk - 1, self.size)
            rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS}
            for source_first in range(first, last + 1, CLAIMS_PER_SOURCE):
                claim_ids = range(source_first, min(source_first + CLAIMS_PER_SOURCE, last + 1))
                self._source_with_claims(rows, claim_ids)
            yield rows

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
        speakers = [writer.person() for _ in claim_ids]
        statements = [writer.statement(language, kind == "promise") for kind in kinds]
        text, quote_starts = self._source_text(speakers, statements)
        created = self._claim_time(claim_ids[0]) - timedelta(minutes=dice.between(1, 240))
        publisher, domain = dice.pick(PUBLISHERS)
        url = f"https://www.{domain}/{created:%Y/%m}/{source_id}-{statements[0][:40]}"
        url = url.replace(" ", "-").lower()
        ts, day = self.formats.timestamp(created), self.formats.date(created.date())
        title = writer.title()[:500]
        rows["source"].append(
            (source_id, url, sha256(url), title, publisher, dice.pick(AUTHORS), day, language,
             self._choose("source_kind"), text, sha256(text), f"{title}\n{text}", None, "import",
             "import", ts, ts, 1)
        )  # fmt: skip
        for claim_id, kind, speaker, statement, start in zip(
            claim_ids, kinds, speakers, statements, quote_starts, strict=True
        ):
            anchor = (start, start + len(statement), text)
            self._claim(rows, claim_id, kind, speaker, statement, language, source_id, anchor)

    def _source_text(self, speakers: list[str], statements: list[str]) -> tuple[str, list[int]]:
        """Filler sentences around each claimant's words; where each quote starts."""
        writer = self.writer
        parts = [writer.filler() for _ in range(self.dice.between(1, 3))]
        starts = []
        length = sum(len(p) + 1 for p in parts)
        for speaker, statement in zip(speakers, statements, strict=True):
            lead = f'{speaker} said: "'
            starts.append(length + len(lead))
            parts.append(f'{lead}{statement}."')
            length += len(parts[-1]) + 1
            for _ in range(self.dice.between(0, 2)):
                parts.append(writer.filler())
                length += len(parts[-1]) + 1
        return " ".join(parts), starts

    def _claim(self, rows, claim_id, kind, speaker, statement, language, source_id, anchor):
        dice, fmt = self.dice, self.formats
        created = self._claim_time(claim_id)
        summary = self.writer.finding() if dice.chance(0.6) else None
        evidence_ids, evidence_done = self._evidence(rows, claim_id, source_id, created)
        changes = self._timeline(rows, claim_id, kind, created, evidence_done, evidence_ids)
        status, changed_at, review_due = changes
        claim_text = statement + "."
        start, end, source_text = anchor
        search_text = "\n".join([claim_text, summary or "", statement])
        ts = fmt.timestamp(created)
        updated = fmt.timestamp(max(changed_at, evidence_done))
        claim_date = None if dice.chance(0.1) else created.date() - timedelta(dice.below(30))
        rows["claim"].append(
            (claim_id, claim_text, kind, speaker, claim_date and fmt.date(claim_date), language,
             status, fmt.timestamp(changed_at), review_due and fmt.date(review_due), summary,
             search_text, "import", "import", ts, updated, 1)
        )  # fmt: skip
        rows["claim_tag"].extend((claim_id, tag) for tag in self.writer.tag_set())
        rows["appearance"].append(
            (claim_id, claim_id, source_id, statement, start, end,
             source_text[max(0, start - CONTEXT_LENGTH) : start],
             source_text[end : end + CONTEXT_LENGTH], "anchored", "import", "import", ts, ts, 1)
        )  # fmt: skip

    def _evidence(self, rows, claim_id, source_id, created) -> tuple[list[int], datetime]:
        """1-4 evidence items added within a day of the claim; their ids and the last time."""
        dice, fmt, writer = self.dice, self.formats, self.writer
        ids, at = [], created
        for _ in range(dice.between(1, 4)):
            self.ids.evidence += 1
            evidence_id = self.ids.evidence
            at = at + timedelta(minutes=dice.between(5, 360))
            publisher, domain = dice.pick(PUBLISHERS)
            cited_source = dice.between(1, source_id)
            rows["evidence"].append(
                (evidence_id, claim_id, cited_source if dice.chance(0.2) else None,
                 f"https://{domain}/{at:%Y/%m/%d}/evidence-{evidence_id}", writer.title()[:500],
                 publisher, fmt.date(at.date() - timedelta(dice.below(60))),
                 self._choose("stance"), writer.finding(),
                 writer.filler() if dice.chance(0.3) else None, None, "import", "import",
                 fmt.timestamp(at), fmt.timestamp(at), 1)
            )  # fmt: skip
            ids.append(evidence_id)
        return ids, at

    def _timeline(self, rows, claim_id, kind, created, evidence_done, evidence_ids):
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
            rationale = self.writer.finding()
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
            (self.ids.status_change, claim_id, from_status, to_status, rationale,
             review_due and fmt.date(review_due), "import", fmt.timestamp(at))
        )  # fmt: skip
        return self.ids.status_change
