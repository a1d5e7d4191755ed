"""The open deadlines as an iCalendar file: one all-day event per deadline, its reminders as
alarms, and a UID derived from the project and the deadline's key, so importing the file again
updates the events instead of adding copies."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.i18n import Language, LocalizedText
from isms_flow.services.deadlines.listing import list_deadlines
from isms_flow.services.deadlines.views import (
    CalendarExportView,
    DeadlineListView,
    DeadlineView,
)

if TYPE_CHECKING:
    from icalendar import Event

__all__ = ["calendar_ics", "event_uid", "export_calendar"]

_UID_NAMESPACE = uuid.UUID("5b7c2f0e-9f61-4c1e-8d0e-3a1f6a2d4c11")  # isms-flow deadlines
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
_L = LocalizedText
_TEXT = {
    "due": _L(en="Due", ja="期限"),
    "project": _L(en="Project", ja="プロジェクト"),
    "on_overdue": _L(en="If missed", ja="期限を過ぎた場合"),
    "escalate": _L(
        en="escalate to the client's escalation recipients", ja="エスカレーション先へ通知"
    ),
    "trigger": _L(en="the workflow fires '{trigger}'", ja="ワークフローが「{trigger}」を実行"),
    "reminder": _L(en="Reminder", ja="リマインダー"),
    "calendar": _L(en="isms-flow deadlines", ja="isms-flow 期限"),
}


def event_uid(project: str, key: str) -> str:
    """The event's UID: the same project and deadline key always give the same UID."""
    return f"{uuid.uuid5(_UID_NAMESPACE, f'{project}:{key}')}@isms-flow"


def export_calendar(
    app: App,
    *,
    file: Path,
    ref: str | None = None,
    client: str | None = None,
    lang: Language = "en",
) -> CalendarExportView:
    """Write the open deadlines of a project, a client or everyone to `file` (.ics)."""
    if file.suffix.lower() != ".ics":
        raise BadInput(f"{file.name}: write the calendar to a .ics file")
    if not file.parent.is_dir():
        raise BadInput(f"{file.parent}: no such folder")
    data, listing = _calendar(app, ref=ref, client=client, lang=lang)
    _write(file, data)
    return CalendarExportView(
        file=str(file),
        scope=listing.scope,
        events=len(listing.deadlines),
        alarms=sum(len(view.reminders) for view in listing.deadlines),
        language=lang,
    )


def calendar_ics(
    app: App, *, ref: str | None = None, client: str | None = None, lang: Language = "en"
) -> bytes:
    """The open deadlines of a project, a client or everyone as iCalendar bytes (.ics)."""
    return _calendar(app, ref=ref, client=client, lang=lang)[0]


def _calendar(
    app: App, *, ref: str | None, client: str | None, lang: Language
) -> tuple[bytes, DeadlineListView]:
    # Imported here: icalendar takes a fifth of a second to load, which every other command
    # and the scheduler's start-up would pay for nothing.
    from icalendar import Calendar

    listing = list_deadlines(app, ref=ref, client=client, lang=lang)
    calendar = Calendar()
    calendar.add("prodid", "-//isms-flow//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{_TEXT['calendar'].in_(lang)}: {listing.scope}")
    for view in listing.deadlines:
        calendar.add_component(_event(view, listing.generated_at, lang))
    return calendar.to_ical(), listing


def _event(view: DeadlineView, now: datetime, lang: Language) -> Event:
    from icalendar import Alarm, Event

    summary = f"{view.title} — {view.project}"
    event = Event()
    event.add("uid", event_uid(view.project, view.key))
    event.add("dtstamp", now)
    event.add("dtstart", view.due_on)
    event.add("dtend", view.due_on + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", _description(view, lang))
    event.add("categories", [view.kind])
    event.add("transp", "TRANSPARENT")
    event.add("last-modified", view.computed_at)
    # Calendars take a re-import as an update when the sequence grows: minutes since 2020 of
    # the deadline's last change grow with every change.
    event.add("sequence", max(0, int((view.computed_at - _EPOCH).total_seconds() // 60)))
    for fire_at in view.reminders:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{_TEXT['reminder'].in_(lang)}: {summary}")
        alarm.add("trigger", fire_at.astimezone(UTC))
        event.add_component(alarm)
    return event


def _description(view: DeadlineView, lang: Language) -> str:
    lines = [
        f"{_TEXT['project'].in_(lang)}: {view.project}",
        f"{_TEXT['due'].in_(lang)}: {view.due_on.isoformat()} ({view.timezone})",
    ]
    if view.on_overdue == "escalate":
        lines.append(f"{_TEXT['on_overdue'].in_(lang)}: {_TEXT['escalate'].in_(lang)}")
    elif view.on_overdue:
        action = _TEXT["trigger"].in_(lang).format(trigger=view.on_overdue)
        lines.append(f"{_TEXT['on_overdue'].in_(lang)}: {action}")
    lines.append(f"isms-flow: {view.key}")
    return "\n".join(lines)


def _write(file: Path, data: bytes) -> None:
    """Write next to the target, then rename: a failed export never leaves half a file."""
    handle, name = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        temporary.write_bytes(data)
        temporary.chmod(0o644)  # mkstemp makes it private; a calendar is an ordinary file
        temporary.replace(file)
    except OSError as error:
        raise BadInput(f"{file}: cannot be written ({error.strerror})") from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
