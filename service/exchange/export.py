"""Exports, streamed: claims read from a server-side cursor a chunk at a time, never all at once.

Each chunk's appearances, evidence, timelines and sources are loaded with one query per
relation (selectinload works with yield_per) and written out; nothing keeps them after that,
so memory stays flat however many claims there are (bench/export_memory.py measures it).
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, or_, select
from sqlalchemy.orm import Session, selectinload, undefer

from service.appearances.models import Appearance
from service.claimreview.builder import CONTEXT, claim_review, has_own_verdict, review_claim_review
from service.claims import service as claims
from service.claims.models import Claim
from service.claims.statuses import CONCLUSIONS
from service.evidence.models import Evidence
from service.exchange.schemas import ClaimRecord
from service.relations.models import Relation
from service.reviews.dates import Published
from service.reviews.models import Review
from service.sources.models import Source
from service.status_changes.models import StatusChange

CHUNK = 500
NDJSON = "application/x-ndjson"
CSV = "text/csv"
JSON_LD = "application/ld+json"
MEDIA_TYPES = {"ndjson": NDJSON, "csv": CSV}
CSV_COLUMNS = (
    "id",
    "uid",
    "text",
    "kind",
    "claimant",
    "claim_date",
    "language",
    "tags",
    "status",
    "status_changed_at",
    "review_due",
    "summary",
    "rating_label",
    "rating_value",
    "evidence_count",
    "appearance_count",
    "first_appearance_url",
    "created_at",
    "created_by",
    "fingerprint",
)
TAG_SEPARATOR = ";"
SOURCE_FIELDS = (
    "uid",
    "url",
    "title",
    "publisher",
    "author",
    "published_on",
    "language",
    "language_detected",
    "kind",
    "text",
    "archived_url",
    "created_at",
    "created_by",
    "original_author",
    "original_created_at",
)
EVIDENCE_FIELDS = (
    "uid",
    "url",
    "title",
    "publisher",
    "published_on",
    "language",
    "language_detected",
    "stance",
    "summary",
    "quote",
    "note",
    "created_at",
    "created_by",
    "original_author",
    "original_created_at",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def with_merged_default(filters: dict[str, Any], format: str) -> dict[str, Any]:
    """NDJSON exports hold merged claims unless asked not to; CSV, which cannot say that a
    claim is merged (an import would make it a claim of its own), leaves them out."""
    filters.setdefault("include_merged", format == "ndjson")
    return filters


def exported_claims(
    session: Session,
    filters: dict[str, Any],
    *,
    chunk: int = CHUNK,
    each: Callable[[Claim], None] | None = None,
) -> Iterator[Claim]:
    """Every claim the list would show for `filters`, in its order, with its relations.

    The filters are applied now, so that a bad one is an error before anything is sent.
    """
    selection = claims.select_claims(session, **filters)
    ordered = selection.statement.order_by(*(key.ordering() for key in selection.order))
    return stream(session, ordered, chunk, each)


def stream(
    session: Session,
    statement: Select,
    chunk: int = CHUNK,
    each: Callable[[Claim], None] | None = None,
) -> Iterator[Claim]:
    """`statement`'s claims with their relations, read `chunk` at a time; `each` sees each."""
    statement = statement.options(
        selectinload(Claim.appearances).selectinload(Appearance.source),
        selectinload(Claim.evidence).selectinload(Evidence.source),
        selectinload(Claim.reviews),
        selectinload(Claim.status_changes).selectinload(StatusChange.evidence),
        selectinload(Claim.status_changes).selectinload(StatusChange.reviews),
        selectinload(Claim.status_changes).undefer(StatusChange.merged_claim_uid),
        selectinload(Claim.relations).undefer(Relation.target_uid),
        undefer(Claim.merged_into_uid),
    ).execution_options(yield_per=chunk)
    for partition in session.scalars(statement).partitions():
        # Nothing else keeps the chunk: the session's identity map holds its rows weakly,
        # so they go once written (expunge_all would break the running result).
        for claim in partition:
            yield claim
            if each is not None:
                each(claim)


def ndjson_lines(claims_: Iterator[Claim]) -> Iterator[str]:
    for claim in claims_:
        yield json.dumps(claim_record(claim), ensure_ascii=False, separators=(",", ":")) + "\n"


def csv_lines(claims_: Iterator[Claim]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for claim in claims_:
        writer.writerow(csv_row(claim))
        yield flush()


def claimreview_feed(
    session: Session,
    filters: dict[str, Any],
    claim_url: Callable[[int], str],
    organization: str,
    each: Callable[[Claim], None] | None = None,
) -> Iterator[str]:
    """A schema.org DataFeed of ClaimReview, the shape of Data Commons' fact-check feed.

    One DataFeedItem per claim, holding one ClaimReview per review (its publisher as author)
    and, for a claim with a verdict or outcome of our own, ours, authored by `organization`.
    `publisher` (an id) keeps only that publisher's reviews. The claim list's filters narrow
    the claims further.
    """
    publisher_id = filters.pop("publisher", None)
    # A merged claim's reviews are its target's now, and its verdict the target's to give.
    filters["include_merged"] = False
    selection = claims.select_claims(session, **filters)
    reviewed = select(Review.id).where(Review.claim_id == Claim.id)
    wanted: ColumnElement[bool]
    if publisher_id is not None:
        reviewed = reviewed.where(Review.publisher_id == publisher_id)
        wanted = exists(reviewed)
    else:
        wanted = or_(exists(reviewed), Claim.status.in_(CONCLUSIONS))
    statement = selection.statement.where(wanted).order_by(
        *(key.ordering() for key in selection.order)
    )
    return _feed(session, statement, claim_url, organization, publisher_id, each)


def _feed(
    session: Session,
    statement: Select,
    claim_url: Callable[[int], str],
    organization: str,
    publisher_id: int | None,
    each: Callable[[Claim], None] | None,
) -> Iterator[str]:
    yield f'{{"@context":"{CONTEXT}","@type":"DataFeed","dataFeedElement":['
    separator = ""
    for claim in stream(session, statement, each=each):
        items = [
            review_claim_review(review, claim)
            for review in claim.reviews
            if publisher_id is None or review.publisher_id == publisher_id
        ]
        if publisher_id is None and has_own_verdict(claim):
            items.append(
                claim_review(
                    claim,
                    url=claim_url(claim.id),
                    organization=organization,
                    last_change_at=claim.status_changed_at,
                )
            )
        if not items:
            continue
        element = {
            "@type": "DataFeedItem",
            "dateCreated": claim.created_at.isoformat(),
            "dateModified": claim.status_changed_at.isoformat(),
            "item": items,
        }
        yield separator + json.dumps(element, ensure_ascii=False, separators=(",", ":"))
        separator = ","
    yield "]}\n"


# A claim's NDJSON line, field by field: everything an import needs to rebuild the claim,
# which is what it reads (schemas.ClaimRecord), no more and no less (checked below).
RECORD: dict[str, Callable[[Claim], Any]] = {
    "id": lambda claim: claim.id,
    "uid": lambda claim: str(claim.uid),
    "fingerprint": lambda claim: claim.fingerprint,
    "text": lambda claim: claim.text,
    "kind": lambda claim: claim.kind.value,
    "claimant": lambda claim: claim.claimant,
    "claim_date": lambda claim: _iso(claim.claim_date),
    "language": lambda claim: claim.language,
    "language_detected": lambda claim: claim.language_detected,
    "tags": lambda claim: list(claim.tags),
    "status": lambda claim: claim.status.value,
    "status_changed_at": lambda claim: _iso(claim.status_changed_at),
    "review_due": lambda claim: _iso(claim.review_due),
    "summary": lambda claim: claim.summary,
    "original_rating": lambda claim: claim.original_rating,
    "created_at": lambda claim: _iso(claim.created_at),
    "created_by": lambda claim: claim.created_by,
    "original_author": lambda claim: claim.original_author,
    "original_created_at": lambda claim: _iso(claim.original_created_at),
    "appearances": lambda claim: [_appearance(a) for a in claim.appearances],
    "evidence": lambda claim: [_evidence(e) for e in claim.evidence],
    "reviews": lambda claim: [review_record(r) for r in claim.reviews],
    "timeline": lambda claim: [_change(c) for c in claim.status_changes],
    # Relations from this claim (those to it are on the other claims' lines), and the claim
    # it was merged into: both by uid, linked again once the import has them all.
    "relations": lambda claim: [_relation(r) for r in claim.relations],
    "merged_into": lambda claim: _plain(claim.merged_into_uid),
}
if set(RECORD) != set(ClaimRecord().fields):
    raise ImportError(
        "an exported claim's fields must be those an import reads: "
        f"written only {sorted(set(RECORD) - set(ClaimRecord().fields))}, "
        f"read only {sorted(set(ClaimRecord().fields) - set(RECORD))}"
    )


def claim_record(claim: Claim) -> dict[str, Any]:
    """The claim as one NDJSON record: everything an import needs to rebuild it."""
    return {name: value(claim) for name, value in RECORD.items()}


def csv_row(claim: Claim) -> list[Any]:
    rating = claim.rating
    first = _first_appearance(claim)
    values = {
        "id": claim.id,
        "uid": str(claim.uid),
        "text": claim.text,
        "kind": claim.kind.value,
        "claimant": claim.claimant,
        "claim_date": _iso(claim.claim_date),
        "language": claim.language,
        "tags": TAG_SEPARATOR.join(claim.tags),
        "status": claim.status.value,
        "status_changed_at": _iso(claim.status_changed_at),
        "review_due": _iso(claim.review_due),
        "summary": claim.summary,
        "rating_label": rating["label"],
        "rating_value": rating["value"],
        "evidence_count": len(claim.evidence),
        "appearance_count": len(claim.appearances),
        "first_appearance_url": first.source.url if first else None,
        "created_at": _iso(claim.created_at),
        "created_by": claim.created_by,
        "fingerprint": claim.fingerprint,
    }
    return [_cell(values[name]) for name in CSV_COLUMNS]


def _cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: text that would start a formula gets a `'` first.

    Text that starts with `'`s before such a character gets one more, so that an import,
    which takes one `'` off (service/exchange/readers.py), always gives back the text.
    """
    if value is None:
        return ""
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


def source_record(source: Source) -> dict[str, Any]:
    return {name: _plain(getattr(source, name)) for name in SOURCE_FIELDS}


def _appearance(appearance: Appearance) -> dict[str, Any]:
    return {
        "uid": str(appearance.uid),
        "source": source_record(appearance.source),
        "quote": appearance.quote,
        "start": appearance.start,
        "end": appearance.end,
        "anchor_state": appearance.anchor_state.value,
        "created_at": _iso(appearance.created_at),
        "created_by": appearance.created_by,
        "original_author": appearance.original_author,
        "original_created_at": _iso(appearance.original_created_at),
    }


def _evidence(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.id,
        **{name: _plain(getattr(evidence, name)) for name in EVIDENCE_FIELDS},
        "source": source_record(evidence.source) if evidence.source else None,
    }


def review_record(review: Review) -> dict[str, Any]:
    """A review as an NDJSON record holds it; its status is mapped again where imported."""
    publisher = review.publisher
    when = review.published_at
    return {
        "id": review.id,
        "uid": str(review.uid),
        "publisher": {"uid": str(publisher.uid), "name": publisher.name, "url": publisher.url},
        "url": review.url,
        "headline": review.headline,
        "author": review.author,
        "body": review.body,
        "language": review.language,
        "language_detected": review.language_detected,
        "published_at": Published(when, review.published_time_known).isoformat() if when else None,
        "rating": {
            "label": review.rating_label,
            "value": review.rating_value,
            "best": review.rating_best,
            "worst": review.rating_worst,
            "original": review.rating_original,
        },
        "claimant_type": review.claimant_type,
        "claimant_url": review.claimant_url,
        "created_at": _iso(review.created_at),
        "created_by": review.created_by,
        "original_author": review.original_author,
        "original_created_at": _iso(review.original_created_at),
    }


def _relation(relation: Relation) -> dict[str, Any]:
    return {
        "uid": str(relation.uid),
        "type": relation.type.value,
        "target_uid": str(relation.target_uid),
        "note": relation.note,
        "created_at": _iso(relation.created_at),
        "created_by": relation.created_by,
        "original_author": relation.original_author,
        "original_created_at": _iso(relation.original_created_at),
    }


def _change(change: StatusChange) -> dict[str, Any]:
    return {
        "uid": str(change.uid),
        "from_status": change.from_status.value if change.from_status else None,
        "to_status": change.to_status.value,
        "rationale": change.rationale,
        "evidence_ids": change.evidence_ids,
        "review_ids": change.review_ids,
        # Of a merged claim, the evidence and reviews it cites are its target's now, on
        # another line: an import finds them by uid.
        "evidence_uids": [str(item.uid) for item in change.evidence],
        "review_uids": [str(item.uid) for item in change.reviews],
        "merged_claim_uid": _plain(change.merged_claim_uid),
        "review_due": _iso(change.review_due),
        "created_at": _iso(change.created_at),
        "created_by": change.created_by,
        "original_author": change.original_author,
        "original_created_at": _iso(change.original_created_at),
    }


def _first_appearance(claim: Claim) -> Appearance | None:
    if not claim.appearances:
        return None
    return min(claim.appearances, key=lambda a: (a.source.published_on or date.max, a.id))


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "value"):  # an enum
        return value.value
    return value


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
