"""Storing checked claim records: sources found or made by URL, quotes anchored, timelines kept.

See service/exchange/imports.py for what an import keeps from the file and what it does not.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
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


class Store:
    """Writes records; remembers the sources it has resolved until the session is cleared."""

    def __init__(self, session: Session):
        self.session = session
        self.sources: dict[str, tuple[int, str | None]] = {}
        self.pending: list[str] = []  # sources created for the record being stored
        self.sources_created = 0

    def record(self, data: dict[str, Any]) -> str:
        """Store one checked record: 'created', or 'existing' when its fingerprint is known."""
        self.pending = []
        fingerprint = claim_fingerprint(data["text"], data.get("claimant"), data.get("claim_date"))
        known = select(Claim.id).where(Claim.fingerprint == fingerprint).limit(1)
        if self.session.scalar(known) is not None:
            return "existing"
        now = utcnow()
        created_at = data.get("created_at") or now
        timeline = data["timeline"] or [
            {
                "from_status": None,
                "to_status": INITIAL_STATUS[data["kind"]],
                "rationale": CREATION_RATIONALE,
                "evidence_ids": [],
                "review_due": data.get("review_due"),
                "created_at": created_at,
                "created_by": data.get("created_by"),
            }
        ]
        appearances = [
            self._appearance(item, index, created_at)
            for index, item in enumerate(data["appearances"])
        ]
        _refuse_repeated_places(appearances)
        evidence = [
            self._evidence(item, index, created_at) for index, item in enumerate(data["evidence"])
        ]
        by_id = {
            item["id"]: row
            for item, row in zip(data["evidence"], evidence, strict=True)
            if "id" in item
        }
        claim = Claim(
            text=data["text"],
            kind=data["kind"],
            claimant=data.get("claimant"),
            claim_date=data.get("claim_date"),
            language=data["language"],
            summary=data.get("summary"),
            review_due=data.get("review_due"),
            status=timeline[-1]["to_status"],
            status_changed_at=data.get("status_changed_at") or timeline[-1]["created_at"],
            original_rating=data.get("original_rating"),
            created_at=created_at,
            updated_at=now,
            created_by=data.get("created_by"),
        )
        claim.tag_rows = [ClaimTag(tag=tag) for tag in sorted(set(data["tags"]))]
        claim.appearances = appearances
        claim.evidence = evidence
        claim.status_changes = [
            StatusChange(
                from_status=change["from_status"],
                to_status=change["to_status"],
                rationale=change["rationale"],
                review_due=change["review_due"],
                created_at=change["created_at"],
                created_by=change.get("created_by"),
                evidence=[by_id[i] for i in dict.fromkeys(change["evidence_ids"])],
            )
            for change in timeline
        ]
        claim.refresh_search_text()
        self.session.add(claim)
        self.session.flush()
        return "created"

    def source(self, data: dict[str, Any], path: str) -> tuple[int, str | None]:
        """The id and text of the source at this URL, created from `data` if unknown."""
        try:
            key = sources.url_sha256(normalize_url(data["url"]))
        except ValueError as error:
            raise FieldError(f"{path}.url", f"not a valid URL: {error}") from None
        if key not in self.sources:
            found = self.session.execute(
                select(Source.id, Source.text).where(Source.url_sha256 == key)
            ).first()
            if found is None:
                created = sources.create_source(self.session, dict(data))
                found = (created.id, created.text)
                self.pending.append(key)
                self.sources_created += 1
            self.sources[key] = (found[0], found[1])
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

    def _appearance(self, item: dict[str, Any], index: int, at) -> Appearance:
        path = f"appearances.{index}"
        source_id, text = self.source(item["source"], f"{path}.source")
        anchor = UNANCHORED
        if item.get("anchor_state") != AnchorState.UNANCHORED:
            try:
                anchor = anchor_quote(text, item["quote"], item.get("start"), item.get("end"))
            except FieldError as error:
                raise _nested(error, path) from None
        appearance = Appearance(
            source_id=source_id,
            quote=item["quote"],
            created_at=item.get("created_at") or at,
            created_by=item.get("created_by"),
        )
        apply_anchor(appearance, anchor)
        return appearance

    def _evidence(self, item: dict[str, Any], index: int, at) -> Evidence:
        source = item.get("source")
        fields = {k: v for k, v in item.items() if k not in ("id", "source", "created_at")}
        return Evidence(
            **fields,
            source_id=self.source(source, f"evidence.{index}.source")[0] if source else None,
            created_at=item.get("created_at") or at,
        )


def _refuse_repeated_places(appearances: list[Appearance]) -> None:
    seen: set[tuple] = set()
    for index, appearance in enumerate(appearances):
        place = (appearance.source_id, appearance.start, appearance.end)
        if appearance.start is None:
            place = (appearance.source_id, appearance.quote)
        if place in seen:
            raise FieldError(f"appearances.{index}", "the claim already appears there")
        seen.add(place)


def _nested(error: FieldError, path: str) -> FieldError:
    (name, messages), *_ = error.errors.items()
    return FieldError(f"{path}.{name}", messages[0])
