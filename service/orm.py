"""The models' foundations: the declarative base, its naming convention, column types and the
mixins every model shares. Nothing here knows of engines, requests or Flask."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC on every database.

    SQLite has no time zones and hands back naive values; this puts UTC back on them.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def str_enum(
    enum_class: type[enum.StrEnum], name: str, *, length: int = 32, constraint: bool = True
) -> Enum:
    """A StrEnum stored as its values in a VARCHAR, with a CHECK constraint named `name`."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        create_constraint=constraint,
        name=name,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Identified:
    """A UUID set by the server, never changed: the record's identity in any database.

    Ids are this database's; exports write the uid, and imports find records by it first.
    """

    uid: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4, index=True, unique=True)


class Attributed:
    """Who wrote a record, and when, as a file imported from elsewhere says.

    `created_by` and `created_at` are always this server's: the key that wrote the row, at
    the time it did. What an import claims about authors and dates is kept here, beside them.
    """

    original_author: Mapped[str | None] = mapped_column(String(100))
    original_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Versioned:
    """A row version that every UPDATE checks and bumps: the ETag, and optimistic locking."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}
