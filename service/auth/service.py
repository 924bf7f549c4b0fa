"""API keys: create, list, revoke, and recognise the key a request presents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import keys
from service.auth.models import ApiKey, Role
from service.errors import ConflictError, ProblemError
from service.orm import utcnow
from service.pagination import Page, SortKey, paginate

NEWEST_FIRST = (SortKey(ApiKey.id, descending=True),)
REALM = 'Bearer realm="claimtrack"'


class UnauthorizedError(ProblemError):
    status = 401
    slug = "unauthorized"

    def __init__(self, detail: str, *, invalid: bool = False):
        challenge = REALM + (', error="invalid_token"' if invalid else "")
        super().__init__(detail, headers={"WWW-Authenticate": challenge})


class ForbiddenError(ProblemError):
    status = 403
    slug = "forbidden"


def create_key(
    session: Session,
    *,
    name: str,
    role: Role,
    server_secret: str,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """A new key, and its plain text: shown to its owner once, never stored."""
    plain, prefix = keys.new_key()
    api_key = ApiKey(
        name=name,
        role=Role(role),
        prefix=prefix,
        key_hash=keys.key_hash(plain, server_secret),
        expires_at=expires_at,
    )
    session.add(api_key)
    session.flush()
    return api_key, plain


def revoke_key(session: Session, api_key: ApiKey) -> None:
    """Revoke a key; never the last active admin key, which would lock every admin out."""
    if api_key.revoked_at is not None:
        return
    if api_key.role == Role.ADMIN:
        # Locked, so that two admins revoking each other at once cannot both succeed.
        admins = session.scalars(
            select(ApiKey)
            .where(ApiKey.role == Role.ADMIN, ApiKey.revoked_at.is_(None))
            .with_for_update()
        ).all()
        active = [key for key in admins if key.state == "active"]
        if active == [api_key]:
            raise ConflictError(
                f"key {api_key.id} is the last active admin key: create another admin key "
                "before revoking it",
                slug="last-admin-key",
            )
    api_key.revoked_at = utcnow()
    session.flush()


def list_keys(
    session: Session, *, limit: int, cursor: str | None = None, with_total: bool = False
) -> Page:
    return paginate(
        session,
        select(ApiKey),
        order=NEWEST_FIRST,
        sort_name="-id",
        limit=limit,
        cursor=cursor,
        with_total=with_total,
    )


def find_key(session: Session, id_or_prefix: str) -> ApiKey | None:
    column = ApiKey.id if id_or_prefix.isdigit() else ApiKey.prefix
    value = int(id_or_prefix) if id_or_prefix.isdigit() else id_or_prefix
    return session.scalar(select(ApiKey).where(column == value))


def authenticate(session: Session, authorization: str | None, server_secret: str) -> ApiKey:
    """The active key an Authorization header presents; a 401 problem otherwise."""
    if not authorization:
        raise UnauthorizedError("an API key is required: send Authorization: Bearer <key>")
    scheme, _, presented = authorization.partition(" ")
    presented = presented.strip()
    prefix = keys.prefix_of(presented) if scheme.lower() == "bearer" else None
    api_key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix)) if prefix else None
    if api_key is None or not keys.matches(presented, api_key.key_hash, server_secret):
        raise UnauthorizedError("the API key is not valid", invalid=True)
    if api_key.state != "active":
        raise UnauthorizedError(f"the API key is {api_key.state}", invalid=True)
    return api_key
