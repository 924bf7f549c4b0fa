"""ClaimReview in: other fact-checkers' reviews turned into claim records.

Accepts one ClaimReview object, a list of them, or a schema.org DataFeed (its elements bare
reviews or DataFeedItems holding them), in the shapes Google's fact-check documentation and
Data Commons' feed show. Each review becomes a claim record that the import then checks like
any other:

- the claim: `claimReviewed`, said by `itemReviewed.author` on `itemReviewed.datePublished`;
- its status from `reviewRating` (service/exchange/ratings.py), the rating kept verbatim in
  `original_rating`; a rating that does not map leaves the claim `in_review`;
- the review article itself (`url`) as evidence: a verdict needs evidence here too;
- one move to that status, dated `datePublished` of the review, whose rationale names the
  rating and its author, followed by `reviewBody` when there is one;
- appearances from `itemReviewed.appearance` and `firstAppearance` (URLs or CreativeWorks),
  their sources matched by normalised URL and unanchored, quoting the work's text if given,
  else `claimReviewed`.

The move's author is left to the importer's key: the review's author is named in the
rationale and as the evidence's publisher.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

from service.claims.service import CREATION_RATIONALE
from service.claims.statuses import INITIAL_STATUS, STATUSES_BY_KIND, ClaimKind, Status
from service.db import utcnow
from service.exchange.ratings import status_for
from service.exchange.readers import BOM, RECORD, Entry, ImportRefusedError, RecordError
from service.json_bodies import unpaired_surrogate
from service.sources.urls import normalize_url

MAX_RATIONALE = 10_000
STANCES = {
    Status.TRUE: "supports",
    Status.MOSTLY_TRUE: "supports",
    Status.FULFILLED: "supports",
    Status.MIXED: "mixed",
    Status.PARTIALLY_FULFILLED: "mixed",
    Status.MOSTLY_FALSE: "refutes",
    Status.FALSE: "refutes",
    Status.UNFULFILLED: "refutes",
}


class ReviewError(Exception):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field, self.message = field_name, message


def claimreview_entries(body: bytes) -> list[Entry]:
    """One entry per ClaimReview in the document (a JSON text, read whole)."""
    try:
        text = body.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise _refused(line, f"not UTF-8: byte {body[error.start]:#04x} on line {line}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _refused(error.lineno, f"not JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise _refused(1, "not JSON this service reads: nested too deeply") from None
    entries = []
    for index, review in enumerate(_reviews(document), start=1):
        entry = Entry(item=index)
        path = unpaired_surrogate(review)
        if path is not None:
            entries.append(entry.error(path or RECORD, "holds an unpaired surrogate"))
            continue
        try:
            entry.data = record_from_review(review)
        except ReviewError as error:
            entry.error(error.field, error.message)
        entries.append(entry)
    if not entries:
        raise _refused(1, "no ClaimReview in the document")
    return entries


def record_from_review(review: Any) -> dict[str, Any]:
    if not isinstance(review, dict) or review.get("@type") not in ("ClaimReview", None):
        raise ReviewError("@type", "not a ClaimReview")
    text = review.get("claimReviewed")
    if not isinstance(text, str):
        raise ReviewError("claimReviewed", "required: the claim's words")
    url = review.get("url")
    if not isinstance(url, str):
        raise ReviewError("url", "required: the review article's URL")
    rating = review.get("reviewRating")
    if isinstance(rating, list) and rating:
        rating = rating[0]
    if not isinstance(rating, dict):
        raise ReviewError("reviewRating", "required: a Rating object")
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
    reviewer = _name(review.get("author")) or "an unnamed reviewer"
    reviewed_on = _date(review.get("datePublished"), "datePublished")
    at = datetime.combine(reviewed_on, time(), tzinfo=UTC) if reviewed_on else utcnow()
    status = status_for(rating)
    kind = ClaimKind.PROMISE if status in STATUSES_BY_KIND[ClaimKind.PROMISE] else ClaimKind.FACTUAL
    initial = INITIAL_STATUS[kind]
    label = rating.get("alternateName") or rating.get("name") or _scale(rating)
    rationale = f"Rated “{label}” by {reviewer} (ClaimReview)."
    if status is None:
        status = Status.IN_REVIEW
        rationale += " No status here matches that rating, so the claim awaits review."
    body = review.get("reviewBody")
    if isinstance(body, str) and body.strip():
        rationale = f"{rationale}\n\n{body.strip()}"[:MAX_RATIONALE]
    record: dict[str, Any] = {
        "text": text,
        "kind": kind.value,
        "status": status.value,
        "original_rating": rating,
        "created_at": at.isoformat(),
        "evidence": [
            {
                "id": 1,
                "url": url,
                "title": _text(review.get("headline") or review.get("name")),
                "publisher": _name(review.get("author")),
                "published_on": reviewed_on.isoformat() if reviewed_on else None,
                "stance": STANCES.get(status, "context"),
                "summary": _text(body),
            }
        ],
        "timeline": [
            {
                "to_status": initial.value,
                "rationale": CREATION_RATIONALE,
                "created_at": at.isoformat(),
            }
        ],
        "appearances": _appearances(item, text),
    }
    if status != initial:
        record["timeline"].append(
            {
                "from_status": initial.value,
                "to_status": status.value,
                "rationale": rationale,
                "evidence_ids": [1],
                "created_at": at.isoformat(),
            }
        )
    claimant = _name(item.get("author"))
    if claimant:
        record["claimant"] = claimant
    claim_date = _date(item.get("datePublished"), "itemReviewed.datePublished")
    if claim_date:
        record["claim_date"] = claim_date.isoformat()
    if isinstance(review.get("inLanguage"), str):
        record["language"] = review["inLanguage"]
    if isinstance(body, str) and body.strip():
        record["summary"] = body.strip()
    return record


def _reviews(document: Any) -> list[Any]:
    if isinstance(document, list):
        return [review for element in document for review in _reviews(element)]
    if isinstance(document, dict) and document.get("@type") == "DataFeed":
        return _reviews(document.get("dataFeedElement") or [])
    if isinstance(document, dict) and document.get("@type") == "DataFeedItem":
        items = document.get("item")
        return _reviews(items if isinstance(items, list) else [items])
    return [document]


def _appearances(item: dict[str, Any], claim_text: str) -> list[dict[str, Any]]:
    works = item.get("appearance") or []
    works = works if isinstance(works, list) else [works]
    if item.get("firstAppearance"):
        works = [item["firstAppearance"], *works]
    seen: set[str] = set()
    appearances = []
    for index, work in enumerate(works):
        work = {"url": work} if isinstance(work, str) else work
        url = work.get("url") if isinstance(work, dict) else None
        if not isinstance(url, str):
            raise ReviewError(f"itemReviewed.appearance.{index}", "needs a url")
        try:
            key = normalize_url(url)
        except ValueError:
            raise ReviewError(f"itemReviewed.appearance.{index}.url", "not a valid URL") from None
        if key in seen:
            continue
        seen.add(key)
        published = _date(work.get("datePublished"), f"itemReviewed.appearance.{index}")
        source = {
            "url": url,
            "title": _text(work.get("headline") or work.get("name")),
            "publisher": _name(work.get("publisher")),
            "author": _name(work.get("author")),
            "published_on": published.isoformat() if published else None,
        }
        quote = work.get("text") if isinstance(work.get("text"), str) else claim_text
        appearances.append(
            {
                "source": {name: value for name, value in source.items() if value is not None},
                "quote": quote,
                "anchor_state": "unanchored",
            }
        )
    return appearances


def _name(value: Any) -> str | None:
    """An author or publisher: a string, a Person/Organization, or a list of them."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _text(value)


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _date(value: Any, field_name: str) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ReviewError(field_name, "not a date")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise ReviewError(field_name, f"not an ISO 8601 date: {value[:40]!r}") from None


def _scale(rating: dict[str, Any]) -> str:
    value = rating.get("ratingValue")
    return f"{value} of {rating.get('worstRating', 1)}–{rating.get('bestRating', 5)}"


def _refused(line: int, message: str) -> ImportRefusedError:
    error = RecordError(RECORD, message, line=line)
    return ImportRefusedError.listing(f"The ClaimReview document is unusable: {message}", [error])
