"""`isms-flow simulate`: what the scheduler would send and do if nobody did anything until a
date — a three-year certificate cycle in seconds.

The real scheduler (`services.simulation.stepper`: deadline refresh, claims, escalations,
messages, records) runs on a scratch copy of the database (`services.simulation.scratch`) with
a simulated clock and recording channels, so nothing is sent and the user's database is only
read. No user action is simulated: it is the forecast of doing nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, insert, literal, null, select
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock, ensure_utc
from isms_flow.errors import BadInput
from isms_flow.i18n import Language
from isms_flow.schedule.channels.registry import CHANNEL_NAMES
from isms_flow.schedule.deadlines import day_start
from isms_flow.schedule.dispatcher import Delivery
from isms_flow.services.lookup import find_client, find_project
from isms_flow.services.simulation.recording import RecordingChannel
from isms_flow.services.simulation.scratch import scratch_copy
from isms_flow.services.simulation.stepper import run_until
from isms_flow.services.simulation.views import (
    ProjectOutcomeView,
    SimulatedNotificationView,
    SimulationView,
)
from isms_flow.store.models import ClientRow, ProjectRow
from isms_flow.store.tables.schedule import ReminderRow, ScheduleStateRow
from isms_flow.store.types import UtcDateTime

__all__ = ["simulate_schedule"]

_INSTANT = timedelta(microseconds=1)
_MAX_YEARS = 100  # a forecast beyond that says nothing, and dates near year 9999 overflow


@dataclass(frozen=True)
class _Scope:
    project_ids: list[int] | None  # None: every project
    label: str
    timezone: str


@dataclass(frozen=True)
class _Heard:
    at: datetime
    delivery: Delivery


def simulate_schedule(
    app: App,
    *,
    until: str,
    ref: str | None = None,
    client: str | None = None,
    lang: Language = "en",
) -> SimulationView:
    """Every reminder and escalation that would fire from now to the end of `until` (a date,
    YYYY-MM-DD, where the scope's client is), for one project, one client or all of them."""
    if ref is not None and client is not None:
        raise BadInput("give a PROJECT or --client, not both")
    started = ensure_utc(app.clock.now())
    with app.uow() as uow:
        scope = _scope(uow.session, ref, client, app.settings.timezone, lang)
        before = _states(uow.session, scope.project_ids)
    last_day = _parse_until(until, started, scope.timezone)
    ends = day_start(last_day + timedelta(days=1), scope.timezone)
    clock = FrozenClock(started)
    channels = {name: RecordingChannel(name) for name in CHANNEL_NAMES}
    heard: list[_Heard] = []
    with scratch_copy(app, clock) as scratch:
        if scope.project_ids is not None:
            _leave_out_others(scratch, scope.project_ids, started)
        report = run_until(
            scratch,
            clock,
            until=ends - _INSTANT,
            channels=channels,
            on_delivery=lambda delivery: heard.append(_Heard(clock.now(), delivery)),
        )
        with scratch.uow() as uow:
            after = _states(uow.session, scope.project_ids)
    notifications = _notifications(heard, channels, before)
    return SimulationView(
        scope=scope.label,
        started_at=started,
        until=last_day,
        ends_at=ends,
        timezone=scope.timezone,
        notifications=notifications,
        projects=_outcomes(before, after, notifications),
        reminders=sum(1 for n in notifications if n.kind == "reminder"),
        escalations=sum(1 for n in notifications if n.kind == "escalation"),
        ticks=report.ticks,
    )


def _scope(
    session: Session, ref: str | None, client: str | None, default_zone: str, lang: Language
) -> _Scope:
    if ref is not None:
        project = find_project(session, ref)
        label = f"{project.client.key}/{project.key}"
        return _Scope([project.id], label, project.client.timezone)
    if client is not None:
        row = find_client(session, client)
        ids = session.scalars(select(ProjectRow.id).where(ProjectRow.client_id == row.id)).all()
        label = f"client {row.key}" if lang == "en" else f"顧客 {row.key}"
        return _Scope(list(ids), label, row.timezone)
    return _Scope(None, "all clients" if lang == "en" else "全顧客", default_zone)


def _parse_until(text: str, started: datetime, timezone: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(
            f"--until '{text}' is not a date: give YYYY-MM-DD, e.g. 2029-12-31"
        ) from None
    today = started.astimezone(ZoneInfo(timezone)).date()
    if day < today:
        raise BadInput(f"--until {day} is in the past (today is {today} in {timezone})")
    if day.year - today.year > _MAX_YEARS:
        raise BadInput(f"--until {day} is too far ahead: at most {_MAX_YEARS} years from today")
    return day


@dataclass(frozen=True)
class _ProjectState:
    ref: str
    state: str
    timezone: str


_STATES = (
    select(
        ProjectRow.id,
        ClientRow.key.label("client_key"),
        ProjectRow.key,
        ProjectRow.state,
        ClientRow.timezone,
    )
    .join(ClientRow, ClientRow.id == ProjectRow.client_id)
    .order_by(ClientRow.key, ProjectRow.key)
)


def _states(session: Session, ids: Collection[int] | None) -> dict[int, _ProjectState]:
    statement = _STATES if ids is None else _STATES.where(ProjectRow.id.in_(list(ids)))
    return {
        row.id: _ProjectState(f"{row.client_key}/{row.key}", row.state, row.timezone)
        for row in session.connection().execute(statement)
    }


def _leave_out_others(scratch: App, project_ids: list[int], now: datetime) -> None:
    """In the copy only: no outbox rows of other projects, and their deadlines held as they
    are (never refreshed), so only the chosen projects' schedule runs."""
    others = ~ProjectRow.id.in_(bindparam("ids", expanding=True))
    with scratch.engine.begin() as connection:
        params = {"ids": project_ids}
        connection.execute(
            delete(ReminderRow).where(
                ~ReminderRow.project_id.in_(bindparam("ids", expanding=True))
            ),
            params,
        )
        connection.execute(
            delete(ScheduleStateRow).where(
                ~ScheduleStateRow.project_id.in_(bindparam("ids", expanding=True))
            ),
            params,
        )
        pinned = select(
            ProjectRow.id, ProjectRow.version, literal(now, UtcDateTime()), null()
        ).where(others)
        connection.execute(
            insert(ScheduleStateRow).from_select(
                ["project_id", "computed_version", "computed_at", "recheck_at"], pinned
            ),
            params,
        )


def _group_key(heard: _Heard) -> tuple[object, ...]:
    d = heard.delivery
    return (heard.at, d.project_id, d.deadline, d.due_on, d.kind, d.offset_days)


def _notifications(
    heard: list[_Heard],
    channels: dict[str, RecordingChannel],
    projects: dict[int, _ProjectState],
) -> list[SimulatedNotificationView]:
    """One entry per reminder or escalation and moment, with the channels it went out on."""
    groups: dict[tuple[object, ...], list[_Heard]] = {}
    for item in heard:
        groups.setdefault(_group_key(item), []).append(item)
    found: list[SimulatedNotificationView] = []
    for items in groups.values():
        sent = [i.delivery for i in items if i.delivery.status == "sent"]
        acted = next((i.delivery for i in items if i.delivery.escalation), None)
        if not sent and acted is None:
            continue  # withdrawn, or failing: nothing would go out
        first = items[0]
        delivery, project = first.delivery, projects[first.delivery.project_id]
        subject = next((channels[d.channel].subjects.get(d.idempotency_key, "") for d in sent), "")
        found.append(
            SimulatedNotificationView(
                at=first.at,
                local_time=first.at.astimezone(ZoneInfo(project.timezone)).strftime(
                    "%Y-%m-%d %H:%M %Z"
                ),
                timezone=project.timezone,
                project=project.ref,
                deadline=delivery.deadline,
                deadline_kind=delivery.deadline_kind,
                due_on=date.fromisoformat(delivery.due_on),
                kind=delivery.kind,
                offset_days=delivery.offset_days,
                channels=[d.channel for d in sent],
                recipients=sum(d.recipients for d in sent),
                late=any(d.late for d in sent),
                escalation=acted.escalation if acted else None,
                trigger=acted.trigger if acted else None,
                from_state=acted.from_state if acted else None,
                to_state=acted.to_state if acted else None,
                subject=subject,
            )
        )
    return found


def _outcomes(
    before: dict[int, _ProjectState],
    after: dict[int, _ProjectState],
    notifications: list[SimulatedNotificationView],
) -> list[ProjectOutcomeView]:
    """Projects that changed stage or were notified, with their stage before and after."""
    notified = {n.project for n in notifications}
    return [
        ProjectOutcomeView(project=state.ref, state_before=state.state, state_after=now.state)
        for project_id, state in before.items()
        if (now := after.get(project_id, state)).state != state.state or state.ref in notified
    ]
