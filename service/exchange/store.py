"""Storing checked claim records: sources found or made by URL, quotes anchored, timelines kept.

See service/exchange/imports.py for what an import keeps from the file and what it does not.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from service.appearances.anchoring import UNANCHORED, anchor_quote, apply_anchor
from service.appearances.models import AnchorState, Appearance
from service.claims.fingerprint import claim_fingerprint
from service.claims.models import Claim, ClaimTag
from service.claims.service import CREATION_RATIONALE
from service.claims.statuses import INITIAL_STATUS
from service.db import utcnow
from service.errors import FieldError
from service.evidence.models import Evidence
from service.sources import service as sources
from service.sources.models import Source
from service.sources.urls import normalize_url
from service.status_changes.models import StatusChange

CHUNK = 500  # records stored between two clear-outs of the session
# What a record says of itself, rather than of the thing it records (see provenance()).
PROVENANCE_KEYS = ("uid", "created_at", "created_by", "original_author", "original_created_at")


class Store:
    """Writes records; remembers the sources it has resolved until the session is cleared."""

    def __init__(self, session: Session):
        self.session = session
        self.sources: dict[str, Source] = {}
        self.pending: list[str] = []  # sources created for the record being stored
        self.sources_created = 0

    def record(self, data: dict[str, Any]) -> str:
        """Store one checked record: 'created', or 'existing' when the claim is known.

        A record that carries a uid is the claim with that uid, whatever its text; one
        without (written by hand, or another tool's) is matched by its fingerprint.
        """
        self.pending = []
        if self._known(data):
            return "existing"
        _refuse_taken_uids(self.session, data)
        now = utcnow()
        timeline = data["timeline"] or [
            {
                "from_status": None,
                "to_status": INITIAL_STATUS[data["kind"]],
                "rationale": CREATION_RATIONALE,
                "evidence_ids": [],
                "review_due": data.get("review_due"),
                "created_at": data.get("created_at"),
                "created_by": data.get("created_by"),
            }
        ]
        appearances = [
            self._appearance(item, index) for index, item in enumerate(data["appearances"])
        ]
        _refuse_repeated_places(appearances)
        evidence = [self._evidence(item, index) for index, item in enumerate(data["evidence"])]
        by_id = {
            item["id"]: row
            for item, row in zip(data["evidence"], evidence, strict=True)
            if "id" in item
        }
        last_move = timeline[-1]
        claim = Claim(
            text=data["text"],
            kind=data["kind"],
            claimant=data.get("claimant"),
            claim_date=data.get("claim_date"),
            summary=data.get("summary"),
            review_due=data.get("review_due"),
            status=last_move["to_status"],
            status_changed_at=data.get("status_changed_at") or _original_time(last_move) or now,
            original_rating=data.get("original_rating"),
            **provenance(data),
        )
        claim.keep_language(data, data["text"])
        claim.tag_rows = [ClaimTag(tag=tag) for tag in sorted(set(data["tags"]))]
        claim.appearances = appearances
        claim.evidence = evidence
        claim.status_changes = [
            StatusChange(
                from_status=change["from_status"],
                to_status=change["to_status"],
                rationale=change["rationale"],
                review_due=change["review_due"],
                evidence=[by_id[i] for i in dict.fromkeys(change["evidence_ids"])],
                **provenance(change),
            )
            for change in timeline
        ]
        claim.refresh_search_text()
        self.session.add(claim)
        self.session.flush()
        return "created"

    def _known(self, data: dict[str, Any]) -> bool:
        if data.get("uid") is not None:
            known = select(Claim.id).where(Claim.uid == data["uid"])
        else:
            fingerprint = claim_fingerprint(
                data["text"], data.get("claimant"), data.get("claim_date")
            )
            known = select(Claim.id).where(Claim.fingerprint == fingerprint).limit(1)
        return self.session.scalar(known) is not None

    def source(self, data: dict[str, Any], path: str) -> Source:
        """The source the record names, created from `data` if unknown.

        Found by its uid first, then by normalised URL; a known source is never changed.
        """
        try:
            key = sources.url_sha256(normalize_url(data["url"]))
        except ValueError as error:
            raise FieldError(f"{path}.url", f"not a valid URL: {error}") from None
        if key not in self.sources:
            found = None
            if data.get("uid") is not None:
                found = self.session.scalar(select(Source).where(Source.uid == data["uid"]))
            if found is None:
                found = self.session.scalar(select(Source).where(Source.url_sha256 == key))
            if found is None:
                fields = {k: v for k, v in data.items() if k not in PROVENANCE_KEYS}
                found = sources.create_source(self.session, {**fields, **provenance(data)})
                self.pending.append(key)
                self.sources_created += 1
            self.sources[key] = found
        return self.sources[key]

    def forget_pending(self) -> None:
        """A record failed and its savepoint rolled back: so did the sources made for it."""
        for key in self.pending:
            self.sources.pop(key, None)
        self.sources_created -= len(self.pending)
        self.pending = []

    def clear(self) -> None:
        """Let the stored rows go, so that memory stays flat over a long file."""
        self.session.flush()
        self.session.expunge_all()
        self.sources.clear()

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
        evidence = Evidence(
            **{k: v for k, v in item.items() if k not in left_out},
            source_id=self.source(source, f"evidence.{index}.source").id if source else None,
            **provenance(item),
        )
        evidence.keep_language(item, f"{item.get('title') or ''}\n{item.get('summary') or ''}")
        return evidence


def provenance(item: dict[str, Any]) -> dict[str, Any]:
    """A record's uid, if the file gives one, and who wrote it when, as the file says.

    The file's `created_by`/`created_at` are where the record comes from; here they become
    `original_author`/`original_created_at` (unless the file has those already, from an
    earlier import): created_by and created_at are this server's own.
    """
    fields = {
        "original_author": item.get("original_author") or item.get("created_by"),
        "original_created_at": _original_time(item),
    }
    if item.get("uid") is not None:
        fields["uid"] = item["uid"]
    return fields


def _original_time(item: dict[str, Any]):
    return item.get("original_created_at") or item.get("created_at")


def _refuse_taken_uids(session: Session, data: dict[str, Any]) -> None:
    """A new claim's parts must not carry the uid of a record stored already, or twice."""
    parts = (
        (Appearance, "appearances", data["appearances"]),
        (Evidence, "evidence", data["evidence"]),
        (StatusChange, "timeline", data["timeline"]),
    )
    wanted: dict[uuid.UUID, str] = {}
    for _model, name, items in parts:
        for index, item in enumerate(items):
            uid = item.get("uid")
            if uid is None:
                continue
            if uid in wanted:
                raise FieldError(f"{name}.{index}.uid", f"the same uid as {wanted[uid]}")
            wanted[uid] = f"{name}.{index}.uid"
    if not wanted:
        return
    taken = union_all(
        *(select(model.uid).where(model.uid.in_(list(wanted))) for model, _name, _items in parts)
    )
    for uid in session.scalars(taken):
        raise FieldError(wanted[uid], f"{uid} is the uid of a record stored already")


def _refuse_repeated_places(appearances: list[Appearance]) -> None:
    seen: set[tuple] = set()
    for index, appearance in enumerate(appearances):
        place = (appearance.source.id, appearance.start, appearance.end)
        if appearance.start is None:
            place = (appearance.source.id, appearance.quote)
        if place in seen:
            raise FieldError(f"appearances.{index}", "the claim already appears there")
        seen.add(place)


def _nested(error: FieldError, path: str) -> FieldError:
    (name, messages), *_ = error.errors.items()
    return FieldError(f"{path}.{name}", messages[0])
