"""Resolving a presented API token into a `Principal`, once per request.

Every refusal — unknown, expired, revoked, malformed, wrong prefix — is the same
`AuthenticationFailed` ("invalid or expired token") and changes nothing. A malformed token is
refused before the database is asked; a well-formed one is looked up by its SHA-256 and the
stored hash compared in constant time.
"""

from __future__ import annotations

from datetime import datetime

import structlog
from sqlalchemy import or_, select, update

from isms_flow.accounts import Principal
from isms_flow.accounts.tokens import (
    TOUCH_INTERVAL,
    TokenStatus,
    hashes_match,
    is_well_formed,
    needs_touch,
    token_hash,
    token_status,
)
from isms_flow.bootstrap import App
from isms_flow.clock import ensure_utc
from isms_flow.errors import AuthenticationFailed, ConflictError
from isms_flow.services.accounts.principals import principal_of
from isms_flow.store.tables.accounts import ApiTokenRow, UserRow
from isms_flow.store.unit_of_work import UnitOfWork

__all__ = ["authenticate"]

_log = structlog.get_logger(__name__)


def authenticate(app: App, token: str, now: datetime) -> Principal:
    """The principal holding `token` at `now`, or AuthenticationFailed."""
    now = ensure_utc(now)
    if not is_well_formed(token):
        raise AuthenticationFailed()
    digest = token_hash(token)
    with app.uow() as uow:
        session = uow.session
        found = session.execute(
            select(ApiTokenRow, UserRow)
            .join(UserRow, ApiTokenRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_hash == digest)
        ).first()
        if found is None:
            raise AuthenticationFailed()
        row, user = found
        if not hashes_match(row.token_hash, token):  # pragma: no cover - found by this hash
            raise AuthenticationFailed()
        if token_status(row.expires_at, row.revoked_at, now) is not TokenStatus.ACTIVE:
            raise AuthenticationFailed()
        principal = principal_of(session, user, token_id=row.id)
        if needs_touch(row.last_used_at, now):
            _touch(uow, row.id, now)
    return principal


def _touch(uow: UnitOfWork, token_id: int, now: datetime) -> None:
    """Record the use; at most once a minute, and never at the price of refusing the request."""
    statement = (
        update(ApiTokenRow)
        .where(
            ApiTokenRow.id == token_id,
            or_(
                ApiTokenRow.last_used_at.is_(None),
                ApiTokenRow.last_used_at <= now - TOUCH_INTERVAL,
            ),
        )
        .values(last_used_at=now)
    )
    try:
        uow.execute_write(statement, {})
        uow.commit()
    except ConflictError:
        # Another request with the same token is writing it right now: its time will do.
        _log.debug("token_use_not_recorded", token_id=token_id)
