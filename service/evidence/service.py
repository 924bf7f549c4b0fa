"""Evidence: follow-up material for or against a claim."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.claims.models import Claim
from service.errors import ConflictError, FieldError
from service.evidence.models import Evidence
from service.pagination import Page, paginate_by_id
from service.sources.models import Source
from service.status_changes.models import status_change_evidence


def add_evidence(session: Session, claim: Claim, data: dict[str, Any]) -> Evidence:
    _check_source(session, data)
    evidence = Evidence(claim=claim)
    _apply(evidence, data)
    session.add(evidence)
    session.flush()
    claim.touch()  # after the insert: the claim's search text reads its headline
    session.flush()
    return evidence


def update_evidence(session: Session, evidence: Evidence, changes: dict[str, Any]) -> Evidence:
    _check_source(session, changes)
    _apply(evidence, changes)
    if session.is_modified(evidence):
        evidence.claim.touch()
    session.flush()
    return evidence


def delete_evidence(session: Session, evidence: Evidence) -> None:
    citing = session.scalars(
        select(status_change_evidence.c.status_change_id).where(
            status_change_evidence.c.evidence_id == evidence.id
        )
    ).all()
    if citing:
        raise ConflictError(
            f"evidence {evidence.id} is cited by the claim's timeline "
            f"(status changes {', '.join(map(str, citing))}), which is never rewritten",
            slug="evidence-cited",
            status_change_ids=list(citing),
        )
    claim = evidence.claim
    session.delete(evidence)
    claim.touch()  # the claim's search text drops its headline
    session.flush()


def list_evidence(session: Session, claim: Claim, **paging: Any) -> Page:
    return paginate_by_id(session, select(Evidence).where(Evidence.claim_id == claim.id), **paging)


def _apply(evidence: Evidence, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name not in ("language", "language_detected"):
            setattr(evidence, name, value)
    evidence.keep_language(data, f"{evidence.title or ''}\n{evidence.summary or ''}")


def _check_source(session: Session, data: dict[str, Any]) -> None:
    source_id = data.get("source_id")
    if source_id is not None and session.get(Source, source_id) is None:
        raise FieldError("source_id", f"source {source_id} does not exist")
