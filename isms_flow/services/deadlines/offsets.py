"""Which days before a deadline a client is reminded, and on which channels.

The workflow file sets reminder offsets per deadline kind; a client may replace them for one
kind or for all (`isms-flow client reminders acme --days 60,14,3 [--kind KIND]`). Channels are
`log` always, plus each channel the client has recipients on (`notification_recipients`).

A change to either does not touch any project, so it marks the client's projects for
recomputation (`mark_client_stale`): the next refresh cancels the reminders that no longer
apply and creates the new ones.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Mapping

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.i18n import Language
from isms_flow.services.deadlines.views import ClientRemindersView, ReminderOffsetsView
from isms_flow.services.lookup import find_client
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.store.events import append_event
from isms_flow.store.models import ProjectRow
from isms_flow.store.tables.reminder_offsets import ALL_KINDS, ClientReminderOffsetsRow
from isms_flow.store.tables.schedule import RecipientRow, ScheduleStateRow
from isms_flow.workflow.deadline_section import (
    MAX_OFFSET_DAYS,
    DeadlineRuleDefinition,
    DeadlinesSection,
)

__all__ = [
    "ALWAYS",
    "client_channels",
    "client_offsets",
    "mark_client_stale",
    "offsets_for",
    "parse_days",
    "set_client_reminders",
    "show_client_reminders",
]

ALWAYS = "log"
"""The channel every reminder goes to, recipients or not: the structured log."""
_SHOWN_ALL = "*"


# Built once: a refresh reads these for every batch of projects.
_CHANNELS = (
    select(RecipientRow.client_id, RecipientRow.channel)
    .where(RecipientRow.client_id.in_(bindparam("clients", expanding=True)))
    .distinct()
)
_OFFSETS = select(
    ClientReminderOffsetsRow.client_id,
    ClientReminderOffsetsRow.kind,
    ClientReminderOffsetsRow.days,
).where(ClientReminderOffsetsRow.client_id.in_(bindparam("clients", expanding=True)))


def client_channels(session: Session, client_ids: Collection[int]) -> dict[int, tuple[str, ...]]:
    """Each client's channels: `log`, then the channels it has recipients on, sorted."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = session.connection().execute(_CHANNELS, {"clients": sorted(client_ids)})
    for client_id, channel in rows:
        found[client_id].add(channel)
    return {client_id: (ALWAYS, *sorted(found[client_id] - {ALWAYS})) for client_id in client_ids}


def client_offsets(
    session: Session, client_ids: Collection[int]
) -> dict[int, dict[str, tuple[int, ...]]]:
    """Each client's own offsets by deadline kind (`ALL_KINDS` for every other kind)."""
    found: dict[int, dict[str, tuple[int, ...]]] = defaultdict(dict)
    rows = session.connection().execute(_OFFSETS, {"clients": sorted(client_ids)})
    for client_id, kind, days in rows:
        found[client_id][kind] = tuple(sorted({int(d) for d in days}, reverse=True))
    return found


def offsets_for(
    section: DeadlinesSection,
    rule: DeadlineRuleDefinition,
    own: Mapping[str, tuple[int, ...]],
) -> tuple[int, ...]:
    """The client's offsets for this kind, else its offsets for all kinds, else the workflow's."""
    if rule.name in own:
        return own[rule.name]
    if ALL_KINDS in own:
        return own[ALL_KINDS]
    return section.offsets(rule)


def mark_client_stale(session: Session, client_id: int) -> None:
    """Make the next refresh recompute every project of the client (channels or days changed)."""
    projects = select(ProjectRow.id).where(ProjectRow.client_id == client_id)
    session.execute(delete(ScheduleStateRow).where(ScheduleStateRow.project_id.in_(projects)))


def parse_days(text: str) -> list[int]:
    """`60,14,3` → [60, 14, 3]: whole days before the due date, each once, largest first."""
    parts = [part.strip() for part in text.split(",")]
    if not text.strip() or any(not part for part in parts):
        raise BadInput(f"--days '{text}': list whole days before the due date, e.g. 60,14,3")
    days: list[int] = []
    for part in parts:
        if not re.fullmatch(r"\d+", part):
            raise BadInput(f"--days '{text}': '{part}' is not a whole number of days")
        value = int(part)
        if value > MAX_OFFSET_DAYS:
            raise BadInput(f"--days '{text}': {value} is more than {MAX_OFFSET_DAYS} days")
        if value in days:
            raise BadInput(f"--days '{text}': {value} is listed twice")
        days.append(value)
    return sorted(days, reverse=True)


def set_client_reminders(
    app: App,
    *,
    client: str,
    actor: str,
    days: str | None = None,
    kind: str | None = None,
    clear: bool = False,
    lang: Language = "en",
) -> ClientRemindersView:
    """Set (or with `clear`, remove) a client's reminder days for one deadline kind or all."""
    if (days is None) == (not clear):
        raise BadInput("give --days DAYS to set the reminder days, or --clear to remove them")
    offsets = parse_days(days) if days is not None else None
    target = _known_kind(app, kind) if kind is not None else ALL_KINDS
    now = app.clock.now()

    def attempt(pin: VersionPin) -> ClientRemindersView:
        with app.uow() as uow:
            session = uow.session
            row_client = find_client(session, client)
            row = session.get(ClientReminderOffsetsRow, (row_client.id, target))
            if offsets is None:
                if row is None:
                    shown = target or _SHOWN_ALL
                    raise BadInput(f"client '{client}' has no reminder days of its own for {shown}")
                session.delete(row)
            elif row is None:
                session.add(
                    ClientReminderOffsetsRow(
                        client_id=row_client.id, kind=target, days=offsets, set_by=actor, set_at=now
                    )
                )
            else:
                row.days, row.set_by, row.set_at = offsets, actor, now
            uow.flush()
            append_event(
                session,
                occurred_at=now,
                actor=actor,
                type="client_reminders_set",
                client_id=row_client.id,
                payload={"kind": target or _SHOWN_ALL, "days": offsets},
            )
            mark_client_stale(session, row_client.id)
            view = _view(app, session, row_client.id, client, lang)
            uow.commit()
            return view

    return retry_on_conflict(attempt)


def show_client_reminders(app: App, *, client: str, lang: Language = "en") -> ClientRemindersView:
    """A client's own reminder days and the days each deadline kind of its workflows uses."""
    with app.uow() as uow:
        row = find_client(uow.session, client)
        return _view(app, uow.session, row.id, client, lang)


def _known_kind(app: App, kind: str) -> str:
    names = sorted(
        {
            rule.name
            for loaded in app.catalog.available()
            for rule in loaded.definition.deadlines.rules
        }
    )
    if kind not in names:
        raise BadInput(f"unknown deadline kind '{kind}' (known: {', '.join(names)})")
    return kind


def _view(
    app: App, session: Session, client_id: int, client: str, lang: Language
) -> ClientRemindersView:
    own = client_offsets(session, [client_id]).get(client_id, {})
    used = session.execute(
        select(ProjectRow.workflow_name, ProjectRow.workflow_version)
        .where(ProjectRow.client_id == client_id)
        .distinct()
    ).all()
    workflows = [app.catalog.get(name, version).definition for name, version in sorted(used)]
    if not workflows:  # no project yet: what a new project would use
        workflows = [loaded.definition for loaded in app.catalog.available()]
    kinds: list[ReminderOffsetsView] = []
    for definition in workflows:
        section = definition.deadlines
        for rule in section.rules:
            source = (
                "client"
                if rule.name in own
                else "client_default"
                if ALL_KINDS in own
                else "workflow"
            )
            kinds.append(
                ReminderOffsetsView(
                    kind=rule.name,
                    title=rule.title.in_(lang),
                    workflow=f"{definition.name} v{definition.version}",
                    days=list(offsets_for(section, rule, own)),
                    source=source,
                )
            )
    return ClientRemindersView(
        client=client,
        settings={(kind or _SHOWN_ALL): list(days) for kind, days in sorted(own.items())},
        kinds=kinds,
    )
