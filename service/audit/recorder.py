"""Every write, stamped with its author and recorded in the audit log, in its own transaction.

Session events rather than calls in each service: no write path can forget them.
"""

from __future__ import annotations

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from service.audit.models import Action, AuditEvent
from service.orm import utcnow

AUDITED = frozenset(
    {
        "source",
        "claim",
        "appearance",
        "evidence",
        "review",
        "publisher",
        "publisher_rating",
        "status_change",
        "relation",
        "api_key",
    }
)
# Changes that only follow from another write (a claim's version moves when evidence is
# added); that other write is the one recorded.
BOOKKEEPING = frozenset({"updated_at", "updated_by", "version", "search_text", "fingerprint"})
SYSTEM_ACTOR = "system"


def actor_of(session: Session) -> str | None:
    return session.info.get("actor")


def _stamp_authors(session: Session, _context, _instances) -> None:
    actor = actor_of(session)
    if actor is None:
        return  # no key: rows set up by code, such as tests, name their own authors
    for obj in session.new:
        # Whatever else a row says of its author (an import keeps that in original_author),
        # created_by is the key that wrote it.
        if hasattr(obj, "created_by"):
            obj.created_by = actor
        if hasattr(obj, "updated_by"):
            obj.updated_by = actor
    for obj in session.dirty:
        if hasattr(obj, "updated_by") and session.is_modified(obj):
            obj.updated_by = actor


def _changed_fields(obj) -> list[str]:
    state = inspect(obj)
    names = [attr.key for attr in state.mapper.column_attrs]
    names += ["tag_rows"] if "tag_rows" in state.mapper.relationships else []
    changed = {name for name in names if state.attrs[name].history.has_changes()}
    return sorted("tags" if name == "tag_rows" else name for name in changed - BOOKKEEPING)


def _record(session: Session, _context) -> None:
    actor, at = actor_of(session) or SYSTEM_ACTOR, utcnow()
    rows = []

    def add(obj, action: Action, fields: list[str] | None = None) -> None:
        rows.append(
            {
                "at": at,
                "actor": actor,
                "action": action,
                "resource": obj.__tablename__,
                "resource_id": obj.id,
                "fields": fields,
            }
        )

    for obj in session.new:
        if getattr(obj, "__tablename__", None) in AUDITED:
            add(obj, Action.CREATE)
    for obj in session.dirty:
        if getattr(obj, "__tablename__", None) in AUDITED and (fields := _changed_fields(obj)):
            add(obj, Action.UPDATE, fields)
    for obj in session.deleted:
        if getattr(obj, "__tablename__", None) in AUDITED:
            add(obj, Action.DELETE)
    if rows:
        session.execute(insert(AuditEvent), rows)


def watch(factory: sessionmaker) -> None:
    event.listen(factory, "before_flush", _stamp_authors)
    event.listen(factory, "after_flush", _record)
