"""ClaimReview in: other fact-checkers' reviews, kept as reviews with their publishers.

Accepts one ClaimReview object, a list of them, or a schema.org DataFeed (its elements bare
reviews or DataFeedItems holding them), in the shapes Google's fact-check documentation and
Data Commons' feed show. The document is parsed as it is read (claimreview_stream.py), one
element of the outer list or of `dataFeedElement` at a time, so a feed of any size takes the
memory of one review. Each review becomes a claim record that the import then checks like
any other:

- the claim: `claimReviewed`, said by `itemReviewed.author` on `itemReviewed.datePublished`,
  with appearances from `itemReviewed.appearance` and `firstAppearance` (URLs or
  CreativeWorks), their sources matched by normalised URL and unanchored, quoting the work's
  text if given, else `claimReviewed`. A claim stored already (same fingerprint) gains the
  review, unless it has one at that URL;
- the review: its publisher (`publisher`, else `author`: found by the host of its `url`, else
  of the review's, or created), `url`, `headline`, the author when a Person besides the
  publisher, `reviewBody`, `inLanguage`, `datePublished` with its time, the claimant's type and
  URL, and `reviewRating` verbatim. The store maps the rating (the publisher's vocabulary, then
  the built-in one, the number only without a label); a mapped verdict settles a new claim.

What can be repaired safely is, and the report's `warnings` say so: a date such as `2021-7-20`
or `2021-07-20 10:00:00` is normalised; an appearance without a usable URL is dropped; a
language tag such as `en-US` is cut to `en`, an unknown one dropped (the language is then
detected). A review without `datePublished` has no date, not the import's. What cannot be
repaired refuses the review: no or an empty `claimReviewed`, no usable `url`, no
`reviewRating`, a date that is no date. Errors and warnings name the review's own properties
(`itemReviewed.appearance.1.url`, not the record's `appearances.0.source.url`), once each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import Any, BinaryIO

from service.claims.statuses import STATUSES_BY_KIND, ClaimKind
from service.exchange.claimreview_stream import StreamedDocument, refused
from service.exchange.ratings import label_of, status_for
from service.exchange.readers import RECORD, Entry
from service.fields import WEB_URL_PATTERN
from service.json_bodies import unpaired_surrogate
from service.languages import LANGUAGE_CODES
from service.publishers.hosts import site_host, site_url
from service.reviews.dates import Published, published
from service.sources.urls import normalize_url

USABLE_URL = re.compile(WEB_URL_PATTERN)
CLAIMANT_TYPES = ("Person", "Organization")
# Where each part of a record comes from in its review; the parts that vary are added per review.
REVIEW_PROPERTIES = {
    "text": "claimReviewed",
    "kind": "reviewRating",
    "created_at": "datePublished",
    "appearances": "itemReviewed.appearance",
    "claim_date": "itemReviewed.datePublished",
    "claimant": "itemReviewed.author.name",
    "language": "inLanguage",
    "reviews": "reviewRating",
    "reviews.0.url": "url",
    "reviews.0.headline": "headline",
    "reviews.0.body": "reviewBody",
    "reviews.0.language": "inLanguage",
    "reviews.0.published_at": "datePublished",
    "reviews.0.rating": "reviewRating",
    "reviews.0.rating.label": "reviewRating.alternateName",
    "reviews.0.claimant_type": "itemReviewed.author.@type",
    "reviews.0.claimant_url": "itemReviewed.author.url",
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
            yield _entry(review, document.items, document.element_line, document.escapes_surrogates)
    if not document.items:
        raise refused("no ClaimReview in the document", line=1)


def record_from_review(review: Any, warn=None) -> tuple[dict[str, Any], dict[str, str]]:
    """The claim record a review makes, and which review property each part came from.

    `warn(property, message)` hears of what was repaired or dropped.
    """
    warn = warn or (lambda _property, _message: None)
    text, url, rating = _required(review)
    given_item = review.get("itemReviewed")
    item: dict[str, Any] = given_item if isinstance(given_item, dict) else {}
    reviewed = _date(review.get("datePublished"), "datePublished", warn)
    status = status_for(rating)
    kind = ClaimKind.PROMISE if status in STATUSES_BY_KIND[ClaimKind.PROMISE] else ClaimKind.FACTUAL
    publisher, publisher_property, author = _publisher(review, url)
    properties = {
        **REVIEW_PROPERTIES,
        "reviews.0.publisher": publisher_property,
        "reviews.0.publisher.name": f"{publisher_property}.name",
        "reviews.0.publisher.url": f"{publisher_property}.url",
        "reviews.0.author": "author.name",
    }
    claimant = _claimant(item)
    claimant_type = claimant.get("@type") if claimant.get("@type") in CLAIMANT_TYPES else None
    claimant_url = _usable_url(claimant.get("url"))
    if claimant.get("url") and claimant_url is None:
        warn("itemReviewed.author.url", "not a usable URL: left out")
    language = _language(review.get("inLanguage"), warn)
    review_record: dict[str, Any] = {
        "publisher": publisher,
        "url": url,
        "headline": _text(review.get("headline")) or _text(review.get("name")),
        "author": author,
        "body": _text(review.get("reviewBody")),
        "published_at": reviewed.isoformat() if reviewed else None,
        "rating": {
            "label": _text(label_of(rating)),
            "value": _number(rating.get("ratingValue")),
            "best": _number(rating.get("bestRating")),
            "worst": _number(rating.get("worstRating")),
            "original": rating,
        },
        "claimant_type": claimant_type,
        "claimant_url": claimant_url,
    }
    if not review.get("headline") and review.get("name"):
        properties["reviews.0.headline"] = "name"
    record: dict[str, Any] = {
        "text": text,
        "kind": kind.value,
        "appearances": _appearances(item, text, properties, warn),
        "reviews": [review_record],
    }
    if reviewed:
        record["created_at"] = reviewed.at.isoformat()
    name = _text(claimant.get("name"))
    if name:
        record["claimant"] = name
    claim_date = _date(item.get("datePublished"), "itemReviewed.datePublished", warn)
    if claim_date:
        record["claim_date"] = claim_date.at.date().isoformat()
    if language:
        record["language"] = review_record["language"] = language
    return record, properties


def _required(review: Any) -> tuple[str, str, dict[str, Any]]:
    """The claim's words, the review's URL and its rating: a review without them is refused."""
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
    if _usable_url(url) is None:
        raise ReviewError("url", "not a valid http(s) URL")
    rating = review.get("reviewRating")
    if isinstance(rating, list) and rating:
        rating = rating[0]
    if not isinstance(rating, dict):
        raise ReviewError("reviewRating", "required: a Rating object")
    return text, url, rating


def _claimant(item: dict[str, Any]) -> dict[str, Any]:
    """Who made the claim (`itemReviewed.author`, the first of a list) as an object."""
    claimant = item.get("author")
    if isinstance(claimant, list):
        claimant = claimant[0] if claimant else None
    return claimant if isinstance(claimant, dict) else {"name": claimant}


def _publisher(review: dict[str, Any], url: str) -> tuple[dict[str, str], str, str | None]:
    """Who published the review (`publisher`, else `author`), the property it was read from,
    and the review's author when that is a person besides the publisher.

    Its site is its own `url` when usable, else the review's: a publisher is one per host.
    """
    author, author_property = review.get("author"), "author"
    if isinstance(author, list):
        author, author_property = (author[0] if author else None), "author.0"
    named = review.get("publisher")
    person = None
    organisation, where = author, author_property
    if isinstance(named, dict | str) and named:
        if isinstance(author, dict) and author.get("@type") == "Person":
            person = _text(author.get("name"))
        organisation, where = named, "publisher"
    organisation = organisation if isinstance(organisation, dict) else {"name": organisation}
    site = _usable_url(organisation.get("url")) or url
    try:
        root = site_url(site)
        name = _text(organisation.get("name")) or site_host(site)
    except ValueError:
        root, name = site, _text(organisation.get("name")) or site
    return {"name": name, "url": root}, where, person


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _language(value: Any, warn) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    if primary not in LANGUAGE_CODES:
        warn("inLanguage", f"{value[:40]!r} is not a language code: the language is detected")
        return None
    if primary != value.strip():
        warn("inLanguage", f"read {value[:40]!r} as {primary!r}")
    return primary


def _usable_url(value: Any) -> str | None:
    if not isinstance(value, str) or not USABLE_URL.fullmatch(value.strip()):
        return None
    try:
        normalize_url(value)
    except ValueError:
        return None
    return value.strip()


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


def _entry(review: Any, item: int, line: int, escapes_surrogates: bool) -> Entry:
    entry = Entry(line=line, item=item)
    path = unpaired_surrogate(review) if escapes_surrogates else None
    if path is not None:
        return entry.error(path or RECORD, "holds an unpaired surrogate: not valid Unicode")
    try:
        entry.data, properties = record_from_review(review, entry.warn)
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
    item: dict[str, Any], claim_text: str, properties: dict[str, str], warn
) -> list[dict[str, Any]]:
    """The record's appearances; `properties` learns which work in the file each one is.

    A work without a usable URL is dropped, with a warning.
    """
    works = item.get("appearance") or []
    if isinstance(works, list):
        placed = [(f"itemReviewed.appearance.{index}", work) for index, work in enumerate(works)]
    else:
        placed = [("itemReviewed.appearance", works)]
    if item.get("firstAppearance"):
        placed.insert(0, ("itemReviewed.firstAppearance", item["firstAppearance"]))
    seen: set[str] = set()
    appearances: list[dict[str, Any]] = []
    for where, work in placed:
        at_url = where if isinstance(work, str) else f"{where}.url"
        work = {"url": work} if isinstance(work, str) else work
        given = work.get("url") if isinstance(work, dict) else None
        url = _usable_url(given)
        if url is None:
            shown = f"{given[:60]!r} is not" if isinstance(given, str) and given else "no"
            warn(at_url, f"{shown} usable URL: the appearance is dropped")
            continue
        key = normalize_url(url)
        if key in seen:
            continue
        seen.add(key)
        day = _date(work.get("datePublished"), f"{where}.datePublished", warn, drop=True)
        title_property = "headline" if work.get("headline") else "name"
        publisher, publisher_property = _named(work.get("publisher"), f"{where}.publisher")
        author, author_property = _named(work.get("author"), f"{where}.author")
        source = {
            "url": url,
            "title": _text(work.get(title_property)),
            "publisher": publisher,
            "author": author,
            "published_on": day.at.date().isoformat() if day else None,
        }
        quoted = isinstance(work.get("text"), str) and bool(work["text"].strip())
        if isinstance(work.get("text"), str) and not quoted:
            warn(f"{where}.text", "blank: the appearance quotes claimReviewed instead")
        at = f"appearances.{len(appearances)}"
        properties.update(
            {
                at: where,
                f"{at}.source.url": at_url,
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


def _date(value: Any, field_name: str, warn, *, drop: bool = False) -> Published | None:
    """A date as publishers write it, repaired with a warning; one that is no date refuses
    the review, or with `drop` is left out with a warning."""
    if value in (None, ""):
        return None
    try:
        if not isinstance(value, str):
            raise ValueError("not a date")
        found = published(value, lenient=True)
    except ValueError as error:
        if drop:
            warn(field_name, f"{error}: left out")
            return None
        raise ReviewError(field_name, f"{error}: {str(value)[:40]!r}") from None
    if found.repaired:
        warn(field_name, found.repaired)
    return found
