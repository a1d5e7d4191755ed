"""Listing deadlines as of the client's today, and a client's own reminder days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.errors import BadInput, NotFound
from isms_flow.services.deadlines import (
    list_deadlines,
    refresh_deadlines,
    set_client_reminders,
    show_client_reminders,
)
from tests.integration.deadline_support import (
    REF,
    certified,
    certified_template,
    deadline,
    reminders,
)
from tests.integration.support import event_count, stored_events

__all__ = ["certified", "certified_template"]  # fixtures used below

SURVEILLANCE = "surveillance_audit:2027"


def _view(app: App, key: str, **filters: object):  # type: ignore[no-untyped-def]
    listing = list_deadlines(app, **filters)  # type: ignore[arg-type]
    return next(v for v in listing.deadlines if v.key == key)


def test_a_listing_refreshes_first_and_sorts_the_open_deadlines_by_due_date(
    certified: App,
) -> None:
    listing = list_deadlines(certified, ref=REF)
    assert listing.scope == REF
    due = [view.due_on for view in listing.deadlines]
    assert due == sorted(due) and due
    assert {view.status for view in listing.deadlines} == {"open"}
    surveillance = next(v for v in listing.deadlines if v.key == SURVEILLANCE)
    assert (surveillance.title, surveillance.days_left) == ("Surveillance audit", 365)
    assert surveillance.on_overdue_state == "Certificate suspended"
    assert surveillance.next_reminder_at == datetime(2027, 1, 1, tzinfo=UTC)
    assert len(surveillance.reminders) == 4


def test_days_left_count_in_the_clients_calendar(certified: App, clock: FrozenClock) -> None:
    clock.current = datetime(2027, 3, 10, 14, 59, tzinfo=UTC)  # 23:59 on 10 March in Tokyo
    assert _view(certified, SURVEILLANCE).days_left == 22
    clock.current = datetime(2027, 3, 10, 15, 0, tzinfo=UTC)  # 00:00 on 11 March in Tokyo
    soon = _view(certified, SURVEILLANCE)
    assert (soon.days_left, soon.status) == (21, "due_soon")


def test_a_deadline_passed_shows_as_overdue(certified: App, clock: FrozenClock) -> None:
    clock.current = datetime(2027, 4, 1, 15, 0, tzinfo=UTC)  # 2 April in Tokyo
    late = _view(certified, SURVEILLANCE, client="demo-corp")
    assert (late.days_left, late.status) == (-1, "overdue")


def test_met_and_cancelled_deadlines_show_only_when_asked(certified: App) -> None:
    shown = {v.status for v in list_deadlines(certified, include_all=True).deadlines}
    assert "met" in shown  # the corrective actions the demo answered
    assert "met" not in {v.status for v in list_deadlines(certified).deadlines}


def test_listing_an_unknown_project_or_both_filters_is_refused(certified: App) -> None:
    with pytest.raises(NotFound, match="project demo-corp/nope not found"):
        list_deadlines(certified, ref="demo-corp/nope")
    with pytest.raises(BadInput, match=r"^give a PROJECT or --client, not both$"):
        list_deadlines(certified, ref=REF, client="demo-corp")


def test_a_clients_days_for_one_kind_replace_the_workflows_and_cancel_the_old_rows(
    certified: App, clock: FrozenClock
) -> None:
    refresh_deadlines(certified, now=clock.now())
    expiry_rows = reminders(certified, "certificate_expiry:1")
    view = set_client_reminders(
        certified, client="demo-corp", days="60,14,3", kind=SURVEILLANCE.split(":")[0], actor="sato"
    )
    assert view.settings == {"surveillance_audit": [60, 14, 3]}
    assert stored_events(certified)[-1].type == "client_reminders_set"
    refresh_deadlines(certified, now=clock.now())
    pending = [
        (r.kind, r.offset_days) for r in reminders(certified, SURVEILLANCE) if r.status == "pending"
    ]
    assert pending == [("reminder", 60), ("reminder", 14), ("reminder", 3), ("escalation", 0)]
    cancelled = {
        r.offset_days for r in reminders(certified, SURVEILLANCE) if r.status == "cancelled"
    }
    assert cancelled == {90, 30, 7, 1}
    assert reminders(certified, "certificate_expiry:1") == expiry_rows  # other kinds untouched


def test_a_clients_days_for_every_kind_apply_where_no_kind_has_its_own(
    certified: App, clock: FrozenClock
) -> None:
    set_client_reminders(
        certified, client="demo-corp", days="20", kind="surveillance_audit", actor="s"
    )
    set_client_reminders(certified, client="demo-corp", days="45", actor="s")
    shown = {
        k.kind: (k.days, k.source)
        for k in show_client_reminders(certified, client="demo-corp").kinds
    }
    assert shown["surveillance_audit"] == ([20], "client")
    assert shown["certificate_expiry"] == ([45], "client_default")
    set_client_reminders(
        certified, client="demo-corp", clear=True, kind="surveillance_audit", actor="s"
    )
    refresh_deadlines(certified, now=clock.now())
    assert [
        r.offset_days
        for r in reminders(certified, SURVEILLANCE)
        if r.status == "pending" and r.kind == "reminder"
    ] == [45]


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("60,x", "--days '60,x': 'x' is not a whole number of days"),
        ("7,7", "--days '7,7': 7 is listed twice"),
        ("4000", "--days '4000': 4000 is more than 3650 days"),
        ("60,,3", "--days '60,,3': list whole days before the due date, e.g. 60,14,3"),
    ],
)
def test_bad_reminder_days_are_refused_and_change_nothing(
    certified: App, days: str, message: str
) -> None:
    before = event_count(certified)
    with pytest.raises(BadInput) as refused:
        set_client_reminders(certified, client="demo-corp", days=days, actor="sato")
    assert str(refused.value) == message
    assert event_count(certified) == before


def test_an_unknown_kind_or_client_is_refused(certified: App) -> None:
    with pytest.raises(BadInput) as refused:
        set_client_reminders(certified, client="demo-corp", days="7", kind="surveilance", actor="s")
    assert str(refused.value).startswith(
        "unknown deadline kind 'surveilance' (known: certificate_expiry, certificate_restoration, "
    )
    with pytest.raises(NotFound, match="client nobody not found"):
        set_client_reminders(certified, client="nobody", days="7", actor="s")
    with pytest.raises(BadInput, match="client 'demo-corp' has no reminder days of its own"):
        set_client_reminders(certified, client="demo-corp", clear=True, actor="s")


def test_the_due_date_does_not_depend_on_the_reminder_days(
    certified: App, clock: FrozenClock
) -> None:
    refresh_deadlines(certified, now=clock.now())
    set_client_reminders(certified, client="demo-corp", days="1", actor="s")
    refresh_deadlines(certified, now=clock.now())
    assert deadline(certified, SURVEILLANCE).due_on == date(2027, 4, 1)
