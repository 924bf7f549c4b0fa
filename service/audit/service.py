"""Reading the audit log (the recorder writes it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.pagination import Page, SortKey, paginate

NEWEST_FIRST = (SortKey(AuditEvent.id, descending=True),)


def list_events(
    session: Session,
    *,
    limit: int,
    cursor: str | None = None,
    with_total: bool = False,
    resource: str | None = None,
    resource_id: int | None = None,
    actor: str | None = None,
) -> Page:
    statement = select(AuditEvent)
    if resource is not None:
        statement = statement.where(AuditEvent.resource == resource)
    if resource_id is not None:
        statement = statement.where(AuditEvent.resource_id == resource_id)
    if actor is not None:
        statement = statement.where(AuditEvent.actor == actor)
    return paginate(
        session,
        statement,
        order=NEWEST_FIRST,
        sort_name="-id",
        limit=limit,
        cursor=cursor,
        with_total=with_total,
    )
