"""Use cases for who a client's notifications go to: e-mail addresses and webhooks, by role.

A recipient belongs to a client and says which notifications it wants through its role
(`escalation` for overdue deadlines, `any` for everything). A webhook recipient has an HMAC
secret: generated when none is given, shown once in the result of `add_recipient`, never
listed back (a fingerprint identifies it) and never written to the history. Each change is an
event in the client's hash-chained history, and marks the client's projects for a schedule
refresh so the outbox gains (or stops growing) rows for the channel.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, NotFound
from isms_flow.i18n import LANGUAGES
from isms_flow.schedule.channels.addresses import check_email_address, check_webhook_url
from isms_flow.services.deadlines.offsets import mark_client_stale
from isms_flow.services.lookup import find_client
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.events import append_event
from isms_flow.store.models import ClientRow
from isms_flow.store.tables.schedule import RecipientRow

__all__ = [
    "CHANNELS",
    "ROLES",
    "NewRecipientView",
    "RecipientView",
    "add_recipient",
    "fingerprint",
    "list_recipients",
    "remove_recipient",
]

Channel = Literal["email", "webhook"]
CHANNELS: tuple[Channel, ...] = ("email", "webhook")
ROLES = (
    "isms_manager",
    "top_management",
    "risk_owner",
    "internal_auditor",
    "consultant",
    "escalation",
    "any",
)
"""Who a recipient is. The dispatcher sends escalations to `escalation`, reminders to the other
roles, and both to `any` (`schedule.notices.wants`)."""

_SECRET_LENGTH = (16, 200)  # at least 128 bits of a typed key; the column holds 200


class RecipientView(BaseModel):
    """A recipient as listed: never its secret, only the secret's fingerprint."""

    model_config = ConfigDict(frozen=True)

    id: int
    client: str
    channel: str
    address: str
    role: str
    language: str | None
    """en or ja; None follows the client's language (`effective_language`)."""
    effective_language: str
    secret_fingerprint: str | None
    created_by: str
    created_at: datetime


class NewRecipientView(RecipientView):
    """A recipient just added; `secret` is set once, when isms-flow generated it."""

    secret: str | None = None


def fingerprint(secret: str) -> str:
    """The first 12 hex digits of the secret's SHA-256: tells secrets apart, reveals nothing."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:12]


def add_recipient(
    app: App,
    *,
    client_key: str,
    channel: str,
    address: str,
    role: str,
    actor: str,
    language: str | None = None,
    secret: str | None = None,
) -> NewRecipientView:
    """Register an e-mail address or webhook URL of a client for notifications of a role."""
    kind = _channel(channel)
    checked = _address(kind, address)
    _role(role)
    if language is not None and language not in LANGUAGES:
        raise BadInput(f"language '{language}' is not one of {', '.join(LANGUAGES)}")
    key, generated = _secret(kind, secret)
    now = app.clock.now()

    def attempt(pin: VersionPin) -> NewRecipientView:
        with app.uow() as uow:
            session = uow.session
            client = find_client(session, client_key)
            taken = session.scalars(
                select(RecipientRow.id).where(
                    RecipientRow.client_id == client.id,
                    RecipientRow.channel == kind,
                    RecipientRow.address == checked,
                    RecipientRow.role == role,
                )
            ).first()
            if taken is not None:
                raise BadInput(
                    f"{checked} is already a {kind} recipient of client '{client.key}' "
                    f"as {role} (#{taken})"
                )
            row = RecipientRow(
                client_id=client.id,
                channel=kind,
                address=checked,
                role=role,
                language=language,
                secret=key,
                created_by=actor,
                created_at=now,
            )
            session.add(row)
            uow.flush()
            payload: dict[str, object] = {
                "recipient_id": row.id,
                "client": client.key,
                "channel": kind,
                "address": checked,
                "role": role,
                "language": language,
            }
            if key:
                payload["secret_fingerprint"] = fingerprint(key)  # never the secret itself
            _record(session, client, now=now, actor=actor, type="recipient_added", payload=payload)
            uow.commit()
            view = _view(row, client)
        return NewRecipientView(**view.model_dump(), secret=key if generated else None)

    return retry_on_conflict(attempt)


def list_recipients(app: App, *, client_key: str) -> list[RecipientView]:
    """A client's recipients by channel, role and address."""
    with app.uow() as uow:
        client = find_client(uow.session, client_key)
        rows = uow.session.scalars(
            select(RecipientRow)
            .where(RecipientRow.client_id == client.id)
            .order_by(RecipientRow.channel, RecipientRow.role, RecipientRow.address)
        ).all()
        return [_view(row, client) for row in rows]


def remove_recipient(app: App, *, client_key: str, recipient_id: int, actor: str) -> RecipientView:
    """Stop notifying a recipient; the history keeps that it existed and who removed it."""
    now = app.clock.now()

    def attempt(pin: VersionPin) -> RecipientView:
        with app.uow() as uow:
            session = uow.session
            client = find_client(session, client_key)
            row = session.get(RecipientRow, recipient_id)
            if row is None or row.client_id != client.id:
                raise NotFound(
                    "recipient",
                    f"#{recipient_id} of client '{client.key}'",
                    hint=f"see `isms-flow recipients list {client.key}`",
                )
            view = _view(row, client)
            session.delete(row)
            payload = {
                "recipient_id": row.id,
                "client": client.key,
                "channel": row.channel,
                "address": row.address,
                "role": row.role,
            }
            _record(
                session, client, now=now, actor=actor, type="recipient_removed", payload=payload
            )
            uow.commit()
            return view

    return retry_on_conflict(attempt)


def _record(
    session: Session,
    client: ClientRow,
    *,
    now: datetime,
    actor: str,
    type: str,
    payload: dict[str, object],
) -> None:
    append_event(
        session, occurred_at=now, actor=actor, type=type, client_id=client.id, payload=payload
    )
    # Which channels get outbox rows depends on the recipients: the next refresh recomputes
    # the client's projects, adding rows for a new channel and cancelling a removed one's.
    mark_client_stale(session, client.id)


def _channel(channel: str) -> Channel:
    for known in CHANNELS:
        if channel == known:
            return known
    raise BadInput(f"channel '{channel}' is not one of {', '.join(CHANNELS)}")


def _address(channel: Channel, address: str) -> str:
    try:
        if channel == "email":
            return check_email_address(address)
        return check_webhook_url(address)
    except ValueError as error:
        raise BadInput(str(error)) from None


def _role(role: str) -> None:
    if role not in ROLES:
        raise BadInput(f"role '{role}' is not one of {', '.join(ROLES)}")


def _secret(channel: Channel, given: str | None) -> tuple[str, bool]:
    """The secret to store and whether isms-flow generated it."""
    if channel == "email":
        if given is not None:
            raise BadInput("a secret is only for webhook recipients (it signs the POST)")
        return "", False
    if given is None:
        return secrets.token_urlsafe(32), True
    shortest, longest = _SECRET_LENGTH
    if not shortest <= len(given) <= longest or any(c.isspace() for c in given):
        raise BadInput(
            f"a webhook secret must be {shortest}–{longest} characters without spaces "
            "(leave --secret out to have one generated)"
        )
    return given, False


def _view(row: RecipientRow, client: ClientRow) -> RecipientView:
    return RecipientView(
        id=row.id,
        client=client.key,
        channel=row.channel,
        address=row.address,
        role=row.role,
        language=row.language,
        effective_language=row.language or client.language,
        secret_fingerprint=fingerprint(row.secret) if row.secret else None,
        created_by=row.created_by,
        created_at=row.created_at,
    )
