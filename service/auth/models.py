from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from service.orm import Base, UTCDateTime, Versioned, str_enum, utcnow


class Role(enum.StrEnum):
    RESEARCHER = "researcher"  # create and edit sources, claims, appearances, evidence
    EDITOR = "editor"  # also delete
    ADMIN = "admin"  # also manage keys and read the audit log

    def may_act_as(self, needed: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(needed)


class ApiKey(Versioned, Base):
    """An API key, kept only as a keyed hash; its prefix finds it and names it in lists."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role", length=16))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(100))

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= utcnow():
            return "expired"
        return "active"

    def __repr__(self) -> str:
        return f"<ApiKey {self.id} {self.prefix} {self.name} {self.role}>"
