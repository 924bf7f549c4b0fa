"""Storing checked claim records, a batch at a time: sources found or made by URL, quotes
anchored, reviews with their publishers, timelines kept.

See service/exchange/imports.py for what an import keeps from the file and what it does not.
A batch looks up everything its records name in one query per kind (claims by uid and
fingerprint, sources by URL, publishers by host, their vocabularies, uids taken), builds the
rows in memory, and writes them in one flush: the ORM sends each table's rows as one
multi-row INSERT. Per record, only Python work is left (anchoring, language, search text).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select, union_all
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from service.appearances.anchoring import UNANCHORED, anchor_quote, apply_anchor
from service.appearances.models import AnchorState, Appearance
from service.claims.fingerprint import claim_fingerprint
from service.claims.models import Claim, ClaimTag
from service.claims.service import CREATION_RATIONALE
from service.claims.statuses import INITIAL_STATUS, Status
from service.engine import plan_for_values
from service.errors import FieldError
from service.evidence.models import Evidence
from service.exchange.links import Links
from service.exchange.rows import RowWriter, new_rows
from service.orm import utcnow
from service.publishers import service as publishers
from service.publishers.hosts import site_host
from service.publishers.models import Publisher
from service.reviews import service as reviews
from service.reviews.models import Review
from service.reviews.verdicts import adopted_status, rationale
from service.sources import service as sources
from service.sources.models import Source
from service.sources.urls import normalize_url
from service.status_changes.models import StatusChange

CHUNK = 500  # records stored in one batch, between two clear-outs of the session
# What a record says of itself, rather than of the thing it records (see provenance()).
PROVENANCE_KEYS = ("uid", "created_at", "created_by", "original_author", "original_created_at")
PARTS = (
    (Appearance, "appearances"),
    (Evidence, "evidence"),
    (Review, "reviews"),
    (StatusChange, "timeline"),
)


@dataclass
class Tally:
    """What a batch made: added to the import's counts only once the batch is stored."""

    sources_created: int = 0
    publishers_created: int = 0
    reviews_created: int = 0
    unmapped_labels: Counter = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.sources_created += other.sources_created
        self.publishers_created += other.publishers_created
        self.reviews_created += other.reviews_created
        self.unmapped_labels.update(other.unmapped_labels)


class Store:
    """Writes batches of records; remembers what it looked up until the session is cleared."""

    # What the batches so far looked up and made, until the session is cleared (_reset).
    sources: dict[str, Source]  # by url_sha256
    sources_by_uid: dict[uuid.UUID, Source]
    publishers: dict[str, Publisher]  # by host
    publishers_by_uid: dict[uuid.UUID, Publisher]
    vocabularies: dict[int, dict[str, Status | None]]
    claims_by_uid: dict[uuid.UUID, Claim | int]
    claims_by_fingerprint: dict[str, Claim | int]
    review_keys: set[tuple[Any, str]]  # (claim id or Claim, url_sha256)
    taken_uids: set[uuid.UUID]
    settling: list[tuple[Claim, Review]]
    unwritten: list[Any]  # new rows, in the order they are made
    made: Tally
    batch_links: Links

    def __init__(self, session: Session):
        self.session = session
        self.tally = Tally()
        self.writer = RowWriter(session)
        # Links to other claims (relations, merges) and to their records, by uid: made once
        # every record is stored (service/exchange/links.py), so that order does not matter.
        self.links = Links()
        # Each batch looks up as many sources, claims and publishers as the one before: the
        # same statement, which psycopg prepares after five runs. PostgreSQL's generic plan of
        # `url_sha256 IN ($1, …, $500)` then compared each row of a table that grew with every
        # batch against each value in turn (a quarter of the time of 40,000 NDJSON records,
        # and more the larger the file); planned with its values, it hashes them.
        plan_for_values(session.connection())
        self._reset()

    def record(self, data: dict[str, Any]) -> str:
        """Store one checked record: 'created', or 'existing' when the claim is known."""
        return self.batch([data])[0]

    def batch(self, records: list[dict[str, Any]]) -> list[str]:
        """Store checked records together; each is 'created' or 'existing' (the claim known).

        A record that carries a uid is the claim with that uid, whatever its text; one
        without (written by hand, another tool's, ClaimReview) is matched by its fingerprint.
        A known claim gains the record's reviews it does not have yet. On a ProblemError the
        caller rolls back and calls reset(): nothing of the batch is kept.
        """
        self.made = Tally()
        self.batch_links = Links()
        self._look_up(records)
        outcomes = [self._one(data) for data in records]
        self._write()
        self._flush()
        for claim, review in self.settling:
            claim.touch()  # its search text reads the new review's headline
            reviews.adopt_verdict(self.session, claim, review)
        self._flush()
        self.tally.add(self.made)
        self.links.add(self.batch_links)
        return outcomes

    def reset(self) -> None:
        """A batch failed and was rolled back: forget what it looked up or made."""
        self._reset()

    def clear(self) -> None:
        """Let the stored rows go, so that memory stays flat over a long file."""
        self._flush()
        self.session.expunge_all()
        self._reset()

    def _write(self) -> None:
        """Insert the rows made so far (service/exchange/rows.py). A claim written is known
        by its id from then on, and later changes to it go through the ORM."""
        written = {id(row): row.id for row in self.unwritten if isinstance(row, Claim)}
        self.writer.write(self.unwritten)
        self.unwritten = []
        if not written:
            return
        by_key: tuple[dict[Any, Claim | int], ...] = (
            self.claims_by_uid,
            self.claims_by_fingerprint,
        )
        for claims in by_key:
            for key, claim in claims.items():
                if isinstance(claim, Claim):
                    claims[key] = claim.id
        self.review_keys = {(written.get(claim, claim), url) for claim, url in self.review_keys}

    def _flush(self) -> None:
        """Flush what goes through the ORM (reviews of known claims, their verdicts), with
        ids given beforehand so that PostgreSQL needs no RETURNING."""
        self.writer.ids.assign(self.session.new)
        self.session.flush()

    def _reset(self) -> None:
        self.sources, self.sources_by_uid = {}, {}
        self.publishers, self.publishers_by_uid = {}, {}
        self.vocabularies = {}
        self.claims_by_uid, self.claims_by_fingerprint = {}, {}
        self.review_keys, self.taken_uids = set(), set()
        self.settling, self.unwritten = [], []
        self.made = Tally()
        self.batch_links = Links()

    # Look-ups: one query per kind of thing for the whole batch.

    def _look_up(self, records: list[dict[str, Any]]) -> None:
        self.settling = []
        claim_uids = {data["uid"] for data in records if data.get("uid") is not None}
        prints = {_fingerprint(data) for data in records if data.get("uid") is None}
        known: Sequence[tuple[int, uuid.UUID, str | None]] = []
        if claim_uids or prints:
            clauses = []
            if claim_uids:
                clauses.append(Claim.uid.in_(claim_uids))
            if prints:
                clauses.append(Claim.fingerprint.in_(prints))
            known = self.session.execute(
                select(Claim.id, Claim.uid, Claim.fingerprint).where(or_(*clauses))
            ).all()
        for claim_id, uid, fingerprint in sorted(known):
            self.claims_by_uid.setdefault(uid, claim_id)
            if fingerprint is not None:
                self.claims_by_fingerprint.setdefault(fingerprint, claim_id)
        known_ids = [claim_id for claim_id, _uid, _print in known]
        if known_ids:
            stored = self.session.execute(
                select(Review.claim_id, Review.url_sha256).where(Review.claim_id.in_(known_ids))
            )
            self.review_keys.update((claim_id, key) for claim_id, key in stored)
        self._look_up_sources(records)
        self._look_up_publishers(records)
        self._look_up_taken_uids(records)

    def _look_up_sources(self, records: list[dict[str, Any]]) -> None:
        """The sources the batch names, found or made now, and stored in one go: evidence
        needs their ids, and the records then find them all here."""
        named = [item["source"] for data in records for item in data["appearances"]]
        named += [
            item["source"] for data in records for item in data["evidence"] if item.get("source")
        ]
        by_key: dict[str, dict[str, Any]] = {}
        uids = set()
        for source in named:
            try:
                by_key.setdefault(sources.url_sha256(normalize_url(source["url"])), source)
            except ValueError:
                continue  # refused when its record is stored
            if source.get("uid") is not None:
                uids.add(source["uid"])
        keys = by_key.keys() - self.sources.keys()
        if keys or uids:
            found = self.session.scalars(
                select(Source).where(or_(Source.url_sha256.in_(keys), Source.uid.in_(uids)))
            )
            for source in found:
                self.sources[source.url_sha256] = source
                self.sources_by_uid[source.uid] = source
        for key in sorted(keys):
            if key not in self.sources and by_key[key].get("uid") not in self.sources_by_uid:
                self.source(by_key[key], "source")
        self._write()

    def _look_up_publishers(self, records: list[dict[str, Any]]) -> None:
        hosts, uids = set(), set()
        for data in records:
            for review in data["reviews"]:
                try:
                    hosts.add(site_host(review["publisher"]["url"]))
                except ValueError:
                    continue
                if review["publisher"].get("uid") is not None:
                    uids.add(review["publisher"]["uid"])
        hosts -= self.publishers.keys()
        if hosts or uids:
            found = self.session.scalars(
                select(Publisher).where(or_(Publisher.host.in_(hosts), Publisher.uid.in_(uids)))
            )
            for publisher in found:
                self.publishers[publisher.host] = publisher
                self.publishers_by_uid[publisher.uid] = publisher
        wanted = {p.id for p in self.publishers.values()} - self.vocabularies.keys()
        self.vocabularies.update(publishers.vocabularies(self.session, wanted))

    def _look_up_taken_uids(self, records: list[dict[str, Any]]) -> None:
        wanted = {
            item["uid"]
            for data in records
            for _model, name in PARTS
            for item in data[name]
            if item.get("uid") is not None
        }
        if wanted:
            taken = union_all(
                *(select(model.uid).where(model.uid.in_(wanted)) for model, _name in PARTS)
            )
            self.taken_uids.update(self.session.scalars(taken))

    # One record, built in memory.

    def _one(self, data: dict[str, Any]) -> str:
        known = self._known(data)
        if known is not None:
            for index, item in enumerate(data["reviews"]):
                self._review_of_known(known, item, index)
            if data.get("uid") is not None:  # its relations that are not stored yet
                self.batch_links.relations += [(data["uid"], item) for item in data["relations"]]
            return "existing"
        self._refuse_taken_uids(data)
        now = utcnow()
        appearances = [
            self._appearance(item, index) for index, item in enumerate(data["appearances"])
        ]
        _refuse_repeated_places(appearances)
        evidence = [self._evidence(item, index) for index, item in enumerate(data["evidence"])]
        evidence_by_id = _by_record_id(data["evidence"], evidence)
        claim = Claim(
            **_given(
                kind=data["kind"],
                claimant=data.get("claimant"),
                claim_date=data.get("claim_date"),
                summary=data.get("summary"),
                review_due=data.get("review_due"),
                original_rating=data.get("original_rating"),
                # Last: the fingerprint is made when the text is set, and made again when
                # the claimant or the date is set after it.
                text=data["text"],
            ),
            **provenance(data),
        )
        claim.keep_language(data, data["text"])
        # The claim is written by RowWriter, not by the session: its collections are set as
        # loaded, without the events and history the unit of work would need.
        tags = [ClaimTag(tag=tag) for tag in sorted(set(data["tags"]))]
        claim_reviews = [
            self._review(claim, item, index) for index, item in enumerate(data["reviews"])
        ]
        for name, rows in (
            ("tag_rows", tags),
            ("appearances", appearances),
            ("evidence", evidence),
            ("reviews", claim_reviews),
        ):
            set_committed_value(claim, name, rows)
        reviews_by_id = _by_record_id(data["reviews"], claim_reviews)
        timeline = data["timeline"] or [
            {
                "from_status": None,
                "to_status": INITIAL_STATUS[data["kind"]],
                "rationale": CREATION_RATIONALE,
                "evidence_ids": [],
                "review_ids": [],
                "review_due": data.get("review_due"),
                "created_at": data.get("created_at"),
                "created_by": data.get("created_by"),
            }
        ]
        timeline_rows = [
            self._change(data, change, evidence_by_id, reviews_by_id) for change in timeline
        ]
        set_committed_value(claim, "status_changes", timeline_rows)
        claim.uid = data.get("uid") or uuid.uuid4()  # what links to it find it by
        self.batch_links.relations += [(claim.uid, item) for item in data["relations"]]
        if data["merged_into"] is not None:
            self.batch_links.merges.append((claim.uid, data["merged_into"]))
        last_move = timeline[-1]
        claim.status = last_move["to_status"]
        claim.status_changed_at = data.get("status_changed_at") or _original_time(last_move) or now
        if not data["timeline"]:
            self._settle_new(claim, now)
        claim.refresh_search_text()
        self.unwritten += new_rows(claim)
        if data.get("uid"):
            self.claims_by_uid[data["uid"]] = claim
        else:
            self.claims_by_fingerprint[_fingerprint(data)] = claim
        return "created"

    def _change(
        self,
        data: dict[str, Any],
        change: dict[str, Any],
        evidence_by_id: dict[int, Evidence],
        reviews_by_id: dict[int, Review],
    ) -> StatusChange:
        """A timeline entry; what it cites outside the record (a merged claim's evidence,
        moved to its target) and the claim a merge entry names are linked later, by uid."""
        row = StatusChange(
            **_given(
                from_status=change["from_status"],
                to_status=change["to_status"],
                rationale=change["rationale"],
                review_due=change["review_due"],
            ),
            **provenance(change),
        )
        # Written by RowWriter, like its claim: what it cites is set as loaded.
        for name, cited, rows in (
            ("evidence", change["evidence_ids"], evidence_by_id),
            ("reviews", change.get("review_ids", []), reviews_by_id),
        ):
            set_committed_value(row, name, [rows[i] for i in dict.fromkeys(cited) if i in rows])
        elsewhere = data.get("merged_into") is not None
        own = {item.get("uid") for name in ("evidence", "reviews") for item in data[name]}
        evidence = [u for u in change.get("evidence_uids", []) if elsewhere and u not in own]
        reviews = [u for u in change.get("review_uids", []) if elsewhere and u not in own]
        merged_claim = change.get("merged_claim_uid")
        if evidence or reviews or merged_claim:
            row.uid = row.uid or uuid.uuid4()
            if evidence or reviews:
                self.batch_links.citations.append((row.uid, evidence, reviews))
            if merged_claim:
                self.batch_links.merge_entries.append((row.uid, merged_claim))
        return row

    def _settle_new(self, claim: Claim, now) -> None:
        """A new claim without a timeline takes the verdict of its first review that has one."""
        for review in claim.reviews:
            status = adopted_status(claim.kind, claim.status, review.rating_status)
            if status is None:
                continue
            change = StatusChange(
                from_status=claim.status,
                to_status=status,
                rationale=rationale(review.rating_label, review.publisher.name, review.url),
                **_given(original_created_at=review.published_at),
            )
            set_committed_value(change, "reviews", [review])
            claim.status_changes.append(change)
            claim.status, claim.status_changed_at = status, now
            return

    def _known(self, data: dict[str, Any]) -> Claim | int | None:
        if data.get("uid") is not None:
            return self.claims_by_uid.get(data["uid"])
        return self.claims_by_fingerprint.get(_fingerprint(data))

    def _review_of_known(self, known: Claim | int, item: dict[str, Any], index: int) -> None:
        """A review of a claim stored already (or earlier in the batch), unless it has it."""
        key = _review_key(item, index)
        if (_claim_key(known), key) in self.review_keys:
            return
        if item.get("uid") is not None and item["uid"] in self.taken_uids:
            return  # the same review, at another URL since
        if isinstance(known, Claim):
            # Made earlier in this batch: written now, then changed like any stored claim.
            self._write()
            known = known.id
        claim = self.session.get_one(Claim, known)
        review = self._review(claim, item, index, known)
        self.session.add(review)
        self.settling.append((claim, review))

    def _review(
        self, claim: Claim, item: dict[str, Any], index: int, claim_key: Any = None
    ) -> Review:
        path = f"reviews.{index}"
        key = _review_key(item, index)
        claim_key = _claim_key(claim) if claim_key is None else claim_key
        if (claim_key, key) in self.review_keys:
            raise FieldError(f"{path}.url", "the record has another review at this URL")
        self.review_keys.add((claim_key, key))
        publisher = self._publisher(item["publisher"], f"{path}.publisher")
        rating = item["rating"]
        when = item.get("published_at")
        review = Review(
            publisher=publisher,
            url=item["url"],
            url_sha256=key,
            published_time_known=bool(when and when.time_known),
            **_given(
                headline=item.get("headline"),
                author=item.get("author"),
                body=item.get("body"),
                published_at=when.at if when else None,
                rating_label=rating.get("label"),
                rating_label_key=reviews.rating_key(rating.get("label")),
                rating_value=rating.get("value"),
                rating_best=rating.get("best"),
                rating_worst=rating.get("worst"),
                rating_original=rating.get("original"),
                claimant_type=item.get("claimant_type"),
                claimant_url=item.get("claimant_url"),
            ),
            **provenance(item),
        )
        if claim.id is not None:
            review.claim_id = claim.id
        reviews.map_rating(review, self.vocabularies.get(publisher.id) if publisher.id else {})
        review.keep_language(item, _review_words(review, claim))
        if review.rating_status is None and review.rating_label:
            self.made.unmapped_labels[review.rating_label] += 1
        self.made.reviews_created += 1
        return review

    def _publisher(self, data: dict[str, Any], path: str) -> Publisher:
        """The review's publisher: by uid, then by host; made from `data` when unknown."""
        if data.get("uid") is not None and data["uid"] in self.publishers_by_uid:
            return self.publishers_by_uid[data["uid"]]
        try:
            host = site_host(data["url"])
        except ValueError:
            raise FieldError(f"{path}.url", "not a URL with a host") from None
        if host not in self.publishers:
            publisher = Publisher(name=data["name"], url=data["url"], host=host, **provenance(data))
            # Written at once, and known to the session: reviews of stored claims, which go
            # through the ORM, refer to it too.
            self.writer.write([publisher])
            make_transient_to_detached(publisher)
            self.session.add(publisher)
            self.publishers[host] = publisher
            self.made.publishers_created += 1
        return self.publishers[host]

    def source(self, data: dict[str, Any], path: str) -> Source:
        """The source the record names, created from `data` if unknown.

        Found by its uid first, then by normalised URL; a known source is never changed.
        """
        try:
            key = sources.url_sha256(normalize_url(data["url"]))
        except ValueError as error:
            raise FieldError(f"{path}.url", f"not a valid URL: {error}") from None
        if data.get("uid") is not None and data["uid"] in self.sources_by_uid:
            return self.sources_by_uid[data["uid"]]
        if key not in self.sources:
            fields = {k: v for k, v in data.items() if k not in PROVENANCE_KEYS}
            try:
                source = sources.new_source({**fields, **provenance(data)})
            except FieldError as error:
                raise _nested(error, path) from None
            self.unwritten.append(source)
            self.sources[key] = source
            self.made.sources_created += 1
        return self.sources[key]

    def _appearance(self, item: dict[str, Any], index: int) -> Appearance:
        path = f"appearances.{index}"
        source = self.source(item["source"], f"{path}.source")
        anchor = UNANCHORED
        if item.get("anchor_state") != AnchorState.UNANCHORED:
            try:
                quote, start, end = item["quote"], item.get("start"), item.get("end")
                anchor = anchor_quote(source.text, quote, start, end)
            except FieldError as error:
                raise _nested(error, path) from None
        # With the source itself, whose language the claim's search text reads the quote in.
        appearance = Appearance(source=source, quote=item["quote"], **provenance(item))
        apply_anchor(appearance, anchor)
        return appearance

    def _evidence(self, item: dict[str, Any], index: int) -> Evidence:
        source = item.get("source")
        left_out = ("id", "source", "language", "language_detected", *PROVENANCE_KEYS)
        given = {k: v for k, v in item.items() if k not in left_out}
        evidence = Evidence(**_given(**given), **provenance(item))
        if source:
            # Evidence reads its source by id (its relationship is view-only): a new source
            # is stored first.
            found = self.source(source, f"evidence.{index}.source")
            if found.id is None:
                self._write()
            evidence.source_id = found.id
        evidence.keep_language(item, f"{item.get('title') or ''}\n{item.get('summary') or ''}")
        return evidence

    def _refuse_taken_uids(self, data: dict[str, Any]) -> None:
        """A new claim's parts must not carry the uid of a record stored already, or twice."""
        wanted: dict[uuid.UUID, str] = {}
        for _model, name in PARTS:
            for index, item in enumerate(data[name]):
                uid = item.get("uid")
                if uid is None:
                    continue
                if uid in wanted:
                    raise FieldError(f"{name}.{index}.uid", f"the same uid as {wanted[uid]}")
                wanted[uid] = f"{name}.{index}.uid"
        for uid, where in wanted.items():
            if uid in self.taken_uids:
                raise FieldError(where, f"{uid} is the uid of a record stored already")
        self.taken_uids.update(wanted)


def provenance(item: dict[str, Any]) -> dict[str, Any]:
    """A record's uid, if the file gives one, and who wrote it when, as the file says.

    The file's `created_by`/`created_at` are where the record comes from; here they become
    `original_author`/`original_created_at` (unless the file has those already, from an
    earlier import): created_by and created_at are this server's own.
    """
    return _given(
        uid=item.get("uid"),
        original_author=item.get("original_author") or item.get("created_by"),
        original_created_at=_original_time(item),
    )


def _given(**fields: Any) -> dict[str, Any]:
    """The fields that hold a value. A new row is written with every column (rows.py), null
    or its default where nothing was set, so the others need not be set one by one."""
    return {name: value for name, value in fields.items() if value is not None}


def _original_time(item: dict[str, Any]):
    return item.get("original_created_at") or item.get("created_at")


def _fingerprint(data: dict[str, Any]) -> str:
    return claim_fingerprint(data["text"], data.get("claimant"), data.get("claim_date"))


def _claim_key(claim: Claim | int) -> Any:
    """A claim as the review keys name it: its id when stored before the batch, else the
    object the store made (which it keeps until the session is cleared)."""
    return id(claim) if isinstance(claim, Claim) else claim


def _review_key(item: dict[str, Any], index: int) -> str:
    try:
        return sources.url_sha256(normalize_url(item["url"]))
    except ValueError as error:
        raise FieldError(f"reviews.{index}.url", f"not a valid URL: {error}") from None


def _review_words(review: Review, claim: Claim) -> str:
    """What a review's language is detected from: its own words, else the claim's."""
    return f"{review.headline or ''}\n{review.body or ''}".strip() or claim.text


def _by_record_id(items: list[dict[str, Any]], rows: list) -> dict[int, Any]:
    return {item["id"]: row for item, row in zip(items, rows, strict=True) if "id" in item}


def _refuse_repeated_places(appearances: list[Appearance]) -> None:
    seen: set[tuple] = set()
    for index, appearance in enumerate(appearances):
        source = appearance.source.url_sha256
        place: tuple = (source, appearance.start, appearance.end)
        if appearance.start is None:
            place = (source, appearance.quote)
        if place in seen:
            raise FieldError(f"appearances.{index}", "the claim already appears there")
        seen.add(place)


def _nested(error: FieldError, path: str) -> FieldError:
    (name, messages), *_ = (error.errors or {}).items()
    return FieldError(f"{path}.{name}", messages[0])
