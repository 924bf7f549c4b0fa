"""Links an import makes once every record is stored: relations between claims, merges, and
a merged claim's citations of evidence that moved to its target. Each names its records by
uid, so the order of the file's lines does not matter.

A link whose other end is neither in the file nor in the database (an export filtered down
to some claims) is left out, with a warning: the claims themselves are stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from service.claims.models import Claim
from service.evidence.models import Evidence
from service.exchange.readers import RecordWarning
from service.relations.models import SYMMETRIC, Relation
from service.reviews.models import Review
from service.status_changes.models import (
    StatusChange,
    status_change_evidence,
    status_change_review,
)

CHUNK = 1000  # uids looked up in one statement


@dataclass
class Links:
    relations: list[tuple[uuid.UUID, dict[str, Any]]] = field(default_factory=list)
    merges: list[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=list)  # claim, into
    merge_entries: list[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=list)
    # (status change, evidence uids, review uids)
    citations: list[tuple[uuid.UUID, list[uuid.UUID], list[uuid.UUID]]] = field(
        default_factory=list
    )

    def add(self, other: Links) -> None:
        self.relations += other.relations
        self.merges += other.merges
        self.merge_entries += other.merge_entries
        self.citations += other.citations

    def make(self, session: Session) -> list[RecordWarning]:
        """Store the links; what cannot be linked is reported, never an error."""
        warnings: list[RecordWarning] = []
        claim_uids = {u for u, _ in self.merges} | {u for _, u in self.merges}
        claim_uids |= {u for u, _ in self.relations}
        claim_uids |= {item["target_uid"] for _, item in self.relations}
        claim_uids |= {u for _, u in self.merge_entries}
        claims = _ids(session, Claim, claim_uids)
        self._merges(session, claims, warnings)
        self._relations(session, claims, warnings)
        changes = _ids(
            session,
            StatusChange,
            {u for u, _ in self.merge_entries} | {u for u, _, _ in self.citations},
        )
        for change_uid, merged_uid in self.merge_entries:
            if merged_uid in claims:
                change = session.get_one(StatusChange, changes[change_uid])
                change.merged_claim_id = claims[merged_uid]
        self._citations(session, changes, warnings)
        session.flush()
        return warnings

    def _merges(self, session: Session, claims: dict, warnings: list[RecordWarning]) -> None:
        into = {merged: target for merged, target in self.merges if target in claims}
        for merged, target in self.merges:
            if target not in claims:
                warnings.append(
                    RecordWarning(
                        "merged_into",
                        f"claim {merged} was merged into claim {target}, which is neither in "
                        "the file nor stored: it is imported as a claim of its own",
                    )
                )
                continue
            seen = {merged}
            while target in into and target not in seen:  # one redirect, never a chain
                seen.add(target)
                target = into[target]
            session.get_one(Claim, claims[merged]).merged_into_id = claims[target]

    def _relations(self, session: Session, claims: dict, warnings: list[RecordWarning]) -> None:
        if not self.relations:
            return
        uids = {item["uid"] for _, item in self.relations if item.get("uid") is not None}
        stored = set(_ids(session, Relation, uids))
        held = {
            tuple(row)
            for row in session.execute(
                select(Relation.claim_id, Relation.target_id, Relation.type).where(
                    Relation.claim_id.in_({claims[u] for u, _ in self.relations if u in claims})
                    | Relation.target_id.in_({claims[u] for u, _ in self.relations if u in claims})
                )
            )
        }
        for claim_uid, item in self.relations:
            if item.get("uid") in stored:
                continue  # imported before
            start, end = claims.get(claim_uid), claims.get(item["target_uid"])
            if end is None:
                warnings.append(
                    RecordWarning(
                        "relations.target_uid",
                        f"claim {claim_uid} is related to claim {item['target_uid']}, which is "
                        "neither in the file nor stored: the relation is left out",
                    )
                )
                continue
            said = {(start, end, item["type"])}
            if item["type"] in SYMMETRIC:
                said.add((end, start, item["type"]))
            if start is None or start == end or said & held:
                continue
            held |= said
            session.add(
                Relation(
                    claim_id=start,
                    target_id=end,
                    type=item["type"],
                    note=item.get("note"),
                    **_provenance(item),
                )
            )

    def _citations(self, session: Session, changes: dict, warnings: list[RecordWarning]) -> None:
        evidence = [(change, evidence) for change, evidence, _ in self.citations]
        reviews = [(change, reviews) for change, _, reviews in self.citations]
        for model, table, column, cited in (
            (Evidence, status_change_evidence, "evidence_id", evidence),
            (Review, status_change_review, "review_id", reviews),
        ):
            found = _ids(session, model, {uid for _, uids in cited for uid in uids})
            rows = []
            for change_uid, uids in cited:
                for uid in uids:
                    if uid in found:
                        rows.append({"status_change_id": changes[change_uid], column: found[uid]})
                    else:
                        warnings.append(
                            RecordWarning(
                                f"timeline.{column.removesuffix('_id')}_uids",
                                f"status change {change_uid} cites {uid}, which is neither in "
                                "the file nor stored: the citation is left out",
                            )
                        )
            if rows:
                session.execute(insert(table), rows)


class _Keyed(Protocol):
    """A model with an id and a uid (their mapped columns)."""

    id: Any
    uid: Any


def _ids(session: Session, model: type[_Keyed], uids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    uids = list(uids)
    found: dict[uuid.UUID, int] = {}
    for start in range(0, len(uids), CHUNK):
        chunk = uids[start : start + CHUNK]
        rows = session.execute(select(model.uid, model.id).where(model.uid.in_(chunk)))
        found.update((uid, id_) for uid, id_ in rows)
    return found


def _provenance(item: dict[str, Any]) -> dict[str, Any]:
    from service.exchange.store import provenance  # the store's rule, one place

    return provenance(item)
