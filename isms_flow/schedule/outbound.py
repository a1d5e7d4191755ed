"""The claimed rows of one batch as plain values, and who each of them goes to.

Read with one query per batch (rows, deadlines, projects and clients joined) and one for the
recipients of every client in the batch, so a tick's cost grows with its rows, not with
queries per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select

from isms_flow.bootstrap import App
from isms_flow.schedule.channels.base import Recipient
from isms_flow.store.models import ClientRow, ProjectRow
from isms_flow.store.tables.schedule import DeadlineRow, RecipientRow, ReminderRow

__all__ = ["Outbound", "RecipientBook", "load_outbounds", "load_recipients", "wants"]


@dataclass(frozen=True)
class Outbound:
    """A claimed row and the deadline, project and client it belongs to."""

    reminder_id: int
    idempotency_key: str
    kind: str
    channel: str
    offset_days: int
    fire_at: datetime
    deadline_id: int
    deadline_key: str
    deadline_kind: str
    deadline_status: str
    due_on: date
    due_at: datetime
    on_overdue: str
    project_id: int
    project_key: str
    client_id: int
    client_key: str
    client_language: str

    @property
    def project_ref(self) -> str:
        """`client/project`."""
        return f"{self.client_key}/{self.project_key}"


_OUTBOUND: Any = (
    select(
        ReminderRow.id.label("reminder_id"),
        ReminderRow.idempotency_key,
        ReminderRow.kind,
        ReminderRow.channel,
        ReminderRow.offset_days,
        ReminderRow.fire_at,
        DeadlineRow.id.label("deadline_id"),
        DeadlineRow.key.label("deadline_key"),
        DeadlineRow.kind.label("deadline_kind"),
        DeadlineRow.status.label("deadline_status"),
        DeadlineRow.due_on,
        DeadlineRow.due_at,
        DeadlineRow.on_overdue,
        ProjectRow.id.label("project_id"),
        ProjectRow.key.label("project_key"),
        ClientRow.id.label("client_id"),
        ClientRow.key.label("client_key"),
        ClientRow.language.label("client_language"),
    )
    .join(DeadlineRow, DeadlineRow.id == ReminderRow.deadline_id)
    .join(ProjectRow, ProjectRow.id == ReminderRow.project_id)
    .join(ClientRow, ClientRow.id == ProjectRow.client_id)
    .where(ReminderRow.id.in_(bindparam("ids", expanding=True)))
)


def load_outbounds(app: App, reminder_ids: Collection[int]) -> dict[int, Outbound]:
    """The rows with these ids and what they belong to, by row id."""
    if not reminder_ids:
        return {}
    with app.uow() as uow:
        rows = uow.session.connection().execute(_OUTBOUND, {"ids": list(reminder_ids)})
        # Positional: the select lists the columns in the order of Outbound's fields.
        return {row.reminder_id: Outbound(*row) for row in rows}


def wants(kind: str, role: str) -> bool:
    """Whether a recipient in `role` receives a notification of `kind`.

    Escalations go to the client's `escalation` contacts; reminders to everyone else. A
    recipient in role `any` receives both.
    """
    if role == "any":
        return True
    return role == "escalation" if kind == "escalation" else role != "escalation"


@dataclass(frozen=True)
class _Listed:
    address: str
    role: str
    language: str | None
    secret: str


class RecipientBook:
    """The recipients of the clients of one batch, by client and channel."""

    def __init__(self, listed: dict[tuple[int, str], list[_Listed]]) -> None:
        self._listed = listed

    def for_(self, outbound: Outbound) -> list[Recipient]:
        """The client's recipients on the row's channel whose role wants this kind of row."""
        return [
            Recipient(
                address=entry.address,
                role=entry.role,
                language=entry.language or outbound.client_language,
                secret=entry.secret,
            )
            for entry in self._listed.get((outbound.client_id, outbound.channel), [])
            if wants(outbound.kind, entry.role)
        ]


_RECIPIENTS: Any = (
    select(
        RecipientRow.client_id,
        RecipientRow.channel,
        RecipientRow.address,
        RecipientRow.role,
        RecipientRow.language,
        RecipientRow.secret,
    )
    .where(RecipientRow.client_id.in_(bindparam("clients", expanding=True)))
    .order_by(RecipientRow.id)
)


def load_recipients(app: App, outbounds: Iterable[Outbound]) -> RecipientBook:
    """Every recipient of the clients these rows belong to."""
    clients = sorted({outbound.client_id for outbound in outbounds})
    listed: dict[tuple[int, str], list[_Listed]] = defaultdict(list)
    if clients:
        with app.uow() as uow:
            for row in uow.session.connection().execute(_RECIPIENTS, {"clients": clients}):
                listed[(row.client_id, row.channel)].append(
                    _Listed(row.address, row.role, row.language, row.secret)
                )
    return RecipientBook(dict(listed))
