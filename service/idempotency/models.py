from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.orm import Base, UTCDateTime, utcnow


class IdempotencyKey(Base):
    """A POST that carried an `Idempotency-Key`, and the answer it got, kept for 24 hours.

    The row commits with the request's write, so it exists exactly when the write does;
    the answer is added just after, and stays null when it could not be kept.
    """

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("owner", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Keys are scoped to the API key that sent them ("key:<id>", or "anonymous").
    owner: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(255))
    method: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(Text)  # the path, with its query string
    request_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None]
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Indexed: expired rows go in one range DELETE.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<IdempotencyKey {self.id} {self.owner} {self.key!r} {self.status}>"
