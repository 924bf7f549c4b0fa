"""ClaimReview in: other fact-checkers' reviews turned into claim records.

Accepts one ClaimReview object, a list of them, or a schema.org DataFeed (its elements bare
reviews or DataFeedItems holding them), in the shapes Google's fact-check documentation and
Data Commons' feed show. The document is parsed as it is read (claimreview_stream.py), one
element of the outer list or of `dataFeedElement` at a time, so a feed of any size takes the
memory of one review. Each review becomes a claim record that the import then checks like
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
rationale and as the evidence's publisher. Errors name the review's own properties
(`itemReviewed.appearance.1.url`, not the record's `appearances.0.source.url`), once each.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from functools import partial
from typing import Any, BinaryIO

from service.claims.service import CREATION_RATIONALE
from service.claims.statuses import INITIAL_STATUS, STATUSES_BY_KIND, ClaimKind, Status
from service.db import utcnow
from service.exchange.claimreview_stream import StreamedDocument, refused
from service.exchange.ratings import status_for
from service.exchange.readers import RECORD, Entry
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
# Where each part of a record comes from in its review; the parts that vary are added per review.
REVIEW_PROPERTIES = {
    "text": "claimReviewed",
    "kind": "reviewRating",
    "status": "reviewRating",
    "original_rating": "reviewRating",
    "created_at": "datePublished",
    "evidence": "url",
    "evidence.0.url": "url",
    "evidence.0.published_on": "datePublished",
    "evidence.0.stance": "reviewRating",
    "evidence.0.summary": "reviewBody",
    "timeline": "reviewRating",
    "timeline.0.created_at": "datePublished",
    "timeline.1.created_at": "datePublished",
    "timeline.1.rationale": "reviewBody",
    "appearances": "itemReviewed.appearance",
    "claim_date": "itemReviewed.datePublished",
    "language": "inLanguage",
    "summary": "reviewBody",
}


class ReviewError(Exception):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field, self.message = field_name, message


def claimreview_entries(body: BinaryIO) -> Iterator[Entry]:
    """One entry per ClaimReview in the document, read from the start of `body` as it is
    parsed: neither the document nor its entries are ever held whole."""
    document = StreamedDocument(body)
    for element in document.elements():
        for review in _reviews(element):
            document.items += 1
            yield _entry(review, document.items)
    if not document.items:
        raise refused("no ClaimReview in the document", line=1)


def record_from_review(review: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The claim record a review makes, and which review property each part of it came from."""
    if not isinstance(review, dict) or review.get("@type") not in ("ClaimReview", None):
        raise ReviewError("@type", "not a ClaimReview")
    text = review.get("claimReviewed")
    if not isinstance(text, str):
        raise ReviewError("claimReviewed", "required: the claim's words")
    if not text.strip():
        raise ReviewError("claimReviewed", "empty: the claim's words are required")
    url = review.get("url")
    if not isinstance(url, str):
        raise ReviewError("url", "required: the review article's URL")
    rating = review.get("reviewRating")
    if isinstance(rating, list) and rating:
        rating = rating[0]
    if not isinstance(rating, dict):
        raise ReviewError("reviewRating", "required: a Rating object")
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
    reviewer, reviewer_property = _named(review.get("author"), "author")
    reviewed_on = _date(review.get("datePublished"), "datePublished")
    at = datetime.combine(reviewed_on, time(), tzinfo=UTC) if reviewed_on else utcnow()
    status = status_for(rating)
    kind = ClaimKind.PROMISE if status in STATUSES_BY_KIND[ClaimKind.PROMISE] else ClaimKind.FACTUAL
    initial = INITIAL_STATUS[kind]
    label = rating.get("alternateName") or rating.get("name") or _scale(rating)
    rationale = f"Rated “{label}” by {reviewer or 'an unnamed reviewer'} (ClaimReview)."
    if status is None:
        status = Status.IN_REVIEW
        rationale += " No status here matches that rating, so the claim awaits review."
    body = review.get("reviewBody")
    if isinstance(body, str) and body.strip():
        rationale = f"{rationale}\n\n{body.strip()}"[:MAX_RATIONALE]
    title_property = "headline" if review.get("headline") else "name"
    claimant, claimant_property = _named(item.get("author"), "itemReviewed.author")
    properties = {
        **REVIEW_PROPERTIES,
        "evidence.0.title": title_property,
        "evidence.0.publisher": reviewer_property,
        "claimant": claimant_property,
    }
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
                "title": _text(review.get(title_property)),
                "publisher": reviewer,
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
        "appearances": _appearances(item, text, properties),
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
    if claimant:
        record["claimant"] = claimant
    claim_date = _date(item.get("datePublished"), "itemReviewed.datePublished")
    if claim_date:
        record["claim_date"] = claim_date.isoformat()
    if isinstance(review.get("inLanguage"), str):
        record["language"] = review["inLanguage"]
    if isinstance(body, str) and body.strip():
        record["summary"] = body.strip()
    return record, properties


def _in_review_terms(
    properties: dict[str, str], messages: dict[str, list[str]]
) -> dict[str, list[str]]:
    """A record's error messages ({path: messages}) under the review properties the paths
    came from, one message each: a fault that breaks two parts of the record is named once."""
    named: dict[str, list[str]] = {}
    for path, texts in messages.items():
        key = path
        while key not in properties and "." in key:
            key = key.rpartition(".")[0]
        named.setdefault(properties.get(key, path), texts[:1])
    return named


def _entry(review: Any, item: int) -> Entry:
    entry = Entry(item=item)
    path = unpaired_surrogate(review)
    if path is not None:
        return entry.error(path or RECORD, "holds an unpaired surrogate: not valid Unicode")
    try:
        entry.data, properties = record_from_review(review)
    except ReviewError as error:
        return entry.error(error.field, error.message)
    entry.rename = partial(_in_review_terms, properties)
    return entry


def _reviews(element: Any) -> list[Any]:
    if isinstance(element, list):
        return [review for inner in element for review in _reviews(inner)]
    if isinstance(element, dict) and element.get("@type") == "DataFeed":
        return _reviews(element.get("dataFeedElement") or [])
    if isinstance(element, dict) and element.get("@type") == "DataFeedItem":
        items = element.get("item")
        return _reviews(items if isinstance(items, list) else [items])
    return [element]


def _appearances(
    item: dict[str, Any], claim_text: str, properties: dict[str, str]
) -> list[dict[str, Any]]:
    """The record's appearances; `properties` learns which work in the file each one is."""
    works = item.get("appearance") or []
    if isinstance(works, list):
        placed = [(f"itemReviewed.appearance.{index}", work) for index, work in enumerate(works)]
    else:
        placed = [("itemReviewed.appearance", works)]
    if item.get("firstAppearance"):
        placed.insert(0, ("itemReviewed.firstAppearance", item["firstAppearance"]))
    seen: set[str] = set()
    appearances = []
    for where, work in placed:
        work = {"url": work} if isinstance(work, str) else work
        url = work.get("url") if isinstance(work, dict) else None
        if not isinstance(url, str):
            raise ReviewError(where, "needs a url")
        try:
            key = normalize_url(url)
        except ValueError:
            raise ReviewError(f"{where}.url", "not a valid URL") from None
        if key in seen:
            continue
        seen.add(key)
        published = _date(work.get("datePublished"), f"{where}.datePublished")
        title_property = "headline" if work.get("headline") else "name"
        publisher, publisher_property = _named(work.get("publisher"), f"{where}.publisher")
        author, author_property = _named(work.get("author"), f"{where}.author")
        source = {
            "url": url,
            "title": _text(work.get(title_property)),
            "publisher": publisher,
            "author": author,
            "published_on": published.isoformat() if published else None,
        }
        quoted = isinstance(work.get("text"), str)
        at = f"appearances.{len(appearances)}"
        properties.update(
            {
                at: where,
                f"{at}.source.url": f"{where}.url",
                f"{at}.source.title": f"{where}.{title_property}",
                f"{at}.source.publisher": publisher_property,
                f"{at}.source.author": author_property,
                f"{at}.source.published_on": f"{where}.datePublished",
                f"{at}.quote": f"{where}.text" if quoted else "claimReviewed",
            }
        )
        appearances.append(
            {
                "source": {name: value for name, value in source.items() if value is not None},
                "quote": work["text"] if quoted else claim_text,
                "anchor_state": "unanchored",
            }
        )
    return appearances


def _named(value: Any, path: str) -> tuple[str | None, str]:
    """An author's or publisher's name (a string, a Person/Organization, or a list of them),
    and the property it was read from."""
    if isinstance(value, list):
        value, path = (value[0] if value else None), f"{path}.0"
    if isinstance(value, dict):
        value, path = value.get("name"), f"{path}.name"
    return _text(value), path


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
