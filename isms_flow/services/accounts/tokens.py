"""Use cases for API tokens: create (shown once), list, revoke.

The token's text leaves isms-flow exactly once, in the result of `create_token`; the database
keeps its SHA-256 and the history a token id and fingerprint. A principal manages only its own
tokens; the local administrator (CLI) manages anyone's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from isms_flow.accounts import Principal, hidden
from isms_flow.accounts.tokens import (
    DEFAULT_EXPIRY_DAYS,
    expiry,
    new_token,
    token_fingerprint,
    token_hash,
    token_status,
)
from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, NotFound, PermissionDenied
from isms_flow.services.accounts.acting import Acting, actor_name
from isms_flow.services.accounts.lookup import find_user, normalize_email
from isms_flow.services.accounts.views import NewTokenView, TokenView
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.events import append_event
from isms_flow.store.tables.accounts import ApiTokenRow, UserRow

__all__ = ["create_token", "list_tokens", "revoke_token"]

_NAME_LENGTH = 100


def create_token(
    app: App,
    *,
    email: str,
    actor: Acting,
    expires_in_days: int = DEFAULT_EXPIRY_DAYS,
    name: str = "",
) -> NewTokenView:
    """Create an API token for a user; its text is in the result and nowhere else."""
    address = normalize_email(email)
    label = " ".join(name.split())
    if len(label) > _NAME_LENGTH:
        raise BadInput(f"token name is {len(label)} characters long; at most {_NAME_LENGTH}")
    if isinstance(actor, Principal) and actor.email != address:
        raise PermissionDenied("an API token can only be created by the user it belongs to")
    now = app.clock.now()
    expires_at = expiry(now, expires_in_days)
    who = actor_name(actor)

    def attempt(pin: VersionPin) -> NewTokenView:
        token = new_token()
        with app.uow() as uow:
            session = uow.session
            user = find_user(session, address)
            row = ApiTokenRow(
                user_id=user.id,
                name=label,
                token_hash=token_hash(token),
                fingerprint=token_fingerprint(token),
                created_by=who,
                created_at=now,
                expires_at=expires_at,
            )
            session.add(row)
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=who,
                type="token_created",
                # Never the token or its hash: an id and a fingerprint identify it.
                payload={
                    "token_id": row.id,
                    "user": user.email,
                    "name": label,
                    "fingerprint": row.fingerprint,
                    "expires_at": expires_at.isoformat(),
                },
            )
            uow.commit()
            view = _view(row, user.email, now)
        return NewTokenView(**view.model_dump(), token=token)

    return retry_on_conflict(attempt)


def list_tokens(app: App, *, email: str, principal: Principal | None = None) -> list[TokenView]:
    """A user's tokens, newest first, with their status now (a principal: its own only)."""
    address = normalize_email(email)
    if principal is not None and principal.email != address:
        raise PermissionDenied("only the user a token belongs to may list it")
    now = app.clock.now()
    with app.uow() as uow:
        user = find_user(uow.session, address)
        rows = uow.session.scalars(
            select(ApiTokenRow)
            .where(ApiTokenRow.user_id == user.id)
            .order_by(ApiTokenRow.created_at.desc(), ApiTokenRow.id.desc())
        ).all()
        return [_view(row, user.email, now) for row in rows]


def revoke_token(app: App, *, token_id: int, actor: Acting) -> TokenView:
    """Revoke a token: from now on it is refused like any invalid one."""
    now = app.clock.now()
    who = actor_name(actor)

    def attempt(pin: VersionPin) -> TokenView:
        with app.uow() as uow:
            session = uow.session
            found = session.execute(
                select(ApiTokenRow, UserRow.email)
                .join(UserRow, ApiTokenRow.user_id == UserRow.id)
                .where(ApiTokenRow.id == token_id)
            ).first()
            if isinstance(actor, Principal):
                # Someone else's token is reported exactly like a missing one.
                if found is None or found[0].user_id != actor.user_id:
                    raise hidden("API token", f"#{token_id}")
            elif found is None:
                raise NotFound("API token", f"#{token_id}", hint="see `isms-flow token list EMAIL`")
            row, email = found
            if row.revoked_at is not None:
                raise BadInput(
                    f"API token #{token_id} was already revoked by {row.revoked_by} "
                    f"on {row.revoked_at.date().isoformat()}"
                )
            row.revoked_at, row.revoked_by = now, who
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=who,
                type="token_revoked",
                payload={"token_id": row.id, "user": email, "fingerprint": row.fingerprint},
            )
            uow.commit()
            return _view(row, email, now)

    return retry_on_conflict(attempt)


def _view(row: ApiTokenRow, email: str, now: datetime) -> TokenView:
    return TokenView(
        id=row.id,
        email=email,
        name=row.name,
        fingerprint=row.fingerprint,
        status=token_status(row.expires_at, row.revoked_at, now).value,
        created_by=row.created_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_by=row.revoked_by,
        revoked_at=row.revoked_at,
    )
