"""The demo: a Morocco World News article, the claims it makes, tracked since 2020, and
French and Arabic articles where its Dakhla consulate promise appears too."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from service.appearances.anchoring import anchor_quote, apply_anchor
from service.appearances.models import Appearance
from service.claims import service as claims
from service.claims.models import Claim
from service.claims.statuses import Status
from service.evidence.models import Evidence
from service.sources import service as sources
from service.sources.models import Source
from service.status_changes.models import StatusChange

DEMO_AUTHOR = "demo"
DATA = resources.files("service.demo") / "data"
SOURCE_FIELDS = ("url", "title", "publisher", "published_on", "language", "kind")
CLAIM_FIELDS = ("text", "kind", "claimant", "claim_date", "language", "tags", "summary")
EVIDENCE_FIELDS = ("url", "publisher", "published_on", "stance", "summary", "note")


def demo_data() -> dict[str, Any]:
    return json.loads((DATA / "demo_claims.json").read_text(encoding="utf-8"))


def load_demo(session: Session) -> bool:
    """Store the demo unless one of its articles is stored already; True when it was loaded."""
    data = demo_data()
    if any(sources.find_by_url(session, article["url"]) for article in data["sources"]):
        return False
    session.info["actor"] = DEMO_AUTHOR  # stamped on every record, and in the audit log
    stored = {article["key"]: _load_source(session, article) for article in data["sources"]}
    for record in data["claims"]:
        _load_claim(session, stored, record)
    session.flush()
    return True


def database_is_empty(session: Session) -> bool:
    return not session.scalar(select(exists().select_from(Claim)))


def _load_source(session: Session, article: dict[str, Any]) -> Source:
    text = (DATA / article["text_file"]).read_text(encoding="utf-8")
    return sources.create_source(
        session,
        {**_pick(article, SOURCE_FIELDS, dates=("published_on",)), "text": text},
    )


def _load_claim(session: Session, stored: dict[str, Source], record: dict[str, Any]) -> None:
    fields = _pick(record, CLAIM_FIELDS, dates=("claim_date",))
    claim = claims.create_claim(session, fields, at=_at(fields["claim_date"], 9))
    for quote in record["appearances"]:
        session.add(_appearance(claim, stored[quote["source"]], quote))
    for item in record["evidence"]:
        fields = _pick(item, EVIDENCE_FIELDS, dates=("published_on",))
        # Recorded the morning it was published, before the day's moves (at noon) cite it.
        at = _at(fields["published_on"], 10) if "published_on" in fields else claim.created_at
        evidence = Evidence(claim=claim, created_at=at, updated_at=at, **fields)
        evidence.keep_language(fields, evidence.summary or "")
        session.add(evidence)
    session.flush()
    claim.refresh_search_text()  # with its quotes and its evidence's headlines
    _replay_timeline(claim, record)


def _appearance(claim: Claim, source: Source, quote: dict[str, Any]) -> Appearance:
    # Recorded with the claim, or the morning its source came out if that was later.
    published = _at(source.published_on, 9) if source.published_on else claim.created_at
    at = max(claim.created_at, published)
    appearance = Appearance(
        claim=claim, source=source, quote=quote["quote"], created_at=at, updated_at=at
    )
    # The recorded offsets are checked against the text, not trusted.
    apply_anchor(
        appearance, anchor_quote(source.text, quote["quote"], quote["start"], quote["end"])
    )
    return appearance


def _replay_timeline(claim: Claim, record: dict[str, Any]) -> None:
    """Write the recorded status moves straight into the append-only timeline."""
    review_due = date.fromisoformat(record["review_due"]) if record["review_due"] else None
    for index, move in enumerate(record["status_changes"]):
        last = index == len(record["status_changes"]) - 1
        at = _at(date.fromisoformat(move["on"]), 12) + timedelta(minutes=index)
        claim.status_changes.append(
            StatusChange(
                from_status=claim.status,
                to_status=Status(move["status"]),
                rationale=move["rationale"],
                review_due=review_due if last else None,
                created_at=at,
            )
        )
        claim.status, claim.status_changed_at = Status(move["status"]), at
    if claim.status != Status(record["status"]):
        raise ValueError(
            f"{record['key']}: timeline ends in {claim.status}, not {record['status']}"
        )
    claim.review_due = review_due


def _pick(record: dict[str, Any], names: tuple[str, ...], *, dates: tuple[str, ...]) -> dict:
    picked = {name: record[name] for name in names if record.get(name) is not None}
    for name in dates:
        if name in picked:
            picked[name] = date.fromisoformat(picked[name])
    return picked


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)
