from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from service.orm import Base, UTCDateTime, str_enum, utcnow


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class AuditEvent(Base):
    """One write: who made it, when, to which resource, and which fields it changed."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_resource_resource_id_id", "resource", "resource_id", "id"),
        Index("ix_audit_event_actor_id", "actor", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[Action] = mapped_column(str_enum(Action, "action", length=16))
    resource: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[int]
    fields: Mapped[list[str] | None] = mapped_column(JSON)

    def __repr__(self) -> str:
        return (
            f"<AuditEvent {self.id} {self.actor} {self.action} {self.resource}/{self.resource_id}>"
        )
