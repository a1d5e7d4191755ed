"""`isms-flow deadlines`, `isms-flow calendar` and `isms-flow client reminders` as a user runs
them, on a project the demo walked to `certified` today (the real clock)."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from isms_flow.bootstrap import bootstrap
from isms_flow.config import Settings
from isms_flow.services.deadlines import event_uid
from isms_flow.services.demo import run_demo
from tests.e2e.conftest import Cli

REF = "demo-corp/isms-cert"
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database whose demo project is certified, built once."""
    folder = tmp_path_factory.mktemp("demo")
    app = bootstrap(Settings(data_dir=folder, actor="tester"))
    try:
        for _ in run_demo(app):
            pass
    finally:
        app.close()
    return folder


@pytest.fixture
def demo(cli: Cli, demo_folder: Path) -> Cli:
    """The command line on a copy of the certified demo project."""
    shutil.copyfile(demo_folder / "isms-flow.db", cli.db_file)
    shutil.copytree(demo_folder / "vault", cli.vault)
    return cli


def _calendar(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_deadlines_lists_the_projects_deadlines_soonest_first(demo: Cli) -> None:
    listing = demo.call("deadlines", REF, "--json").ok().json()
    assert listing["scope"] == REF
    kinds = [item["kind"] for item in listing["deadlines"]]
    assert {"surveillance_audit", "certificate_expiry", "recertification"} <= set(kinds)
    due = [item["due_on"] for item in listing["deadlines"]]
    assert due == sorted(due)
    surveillance = next(i for i in listing["deadlines"] if i["kind"] == "surveillance_audit")
    today = datetime.fromisoformat(listing["generated_at"]).astimezone(TOKYO).date()
    due_on = date.fromisoformat(surveillance["due_on"])
    assert surveillance["days_left"] == (due_on - today).days
    assert surveillance["status"] == "open"
    table = demo.call("deadlines", REF).ok().out
    assert "Surveillance audit" in table
    assert "suspend → Certificate suspended" in table
    assert surveillance["due_on"] in table


def test_deadlines_speaks_japanese(demo: Cli) -> None:
    out = demo.call("deadlines", "--client", "demo-corp", "--lang", "ja").ok().out
    assert "期限一覧 — 顧客 demo-corp" in out
    assert "維持審査" in out and "認証の有効期限" in out and "未到来" in out


def test_deadlines_all_adds_what_was_met(demo: Cli) -> None:
    shown = demo.call("deadlines", "--all", "--json").ok().json()
    assert shown["scope"] == "all clients"
    assert "met" in {item["status"] for item in shown["deadlines"]}
    assert "met" not in {
        i["status"] for i in demo.call("deadlines", "--json").ok().json()["deadlines"]
    }


def test_deadlines_in_a_fresh_process_as_well(demo: Cli) -> None:
    result = demo.run("deadlines", REF, "--json").ok()
    assert result.json()["deadlines"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("deadlines", "nope"), "error: project nope not found: see `isms-flow project list`"),
        (
            ("deadlines", REF, "--client", "demo-corp"),
            "error: give a PROJECT or --client, not both",
        ),
        (("deadlines", "--client", "nobody"), "error: client nobody not found"),
    ],
)
def test_deadlines_refuses_what_it_cannot_find(
    demo: Cli, args: tuple[str, ...], message: str
) -> None:
    before = demo.events()
    result = demo.call(*args).fails(2)
    assert result.err.strip().startswith(message)
    assert demo.events() == before


def test_calendar_writes_one_event_per_open_deadline_with_its_reminders_as_alarms(
    demo: Cli,
) -> None:
    listing = demo.call("deadlines", REF, "--json").ok().json()["deadlines"]
    path = demo.folder / "deadlines.ics"
    written = demo.call("calendar", REF, "-o", str(path), "--json").ok().json()
    assert (written["events"], written["file"]) == (len(listing), str(path))
    events = _calendar(path).walk("VEVENT")
    by_uid = {str(e["UID"]): e for e in events}
    assert set(by_uid) == {event_uid(REF, item["key"]) for item in listing}
    for item in listing:
        found = by_uid[event_uid(REF, item["key"])]
        assert found.decoded("DTSTART") == date.fromisoformat(item["due_on"])
        alarms = [a.decoded("TRIGGER") for a in found.walk("VALARM")]
        assert alarms == [datetime.fromisoformat(t) for t in item["reminders"]]
        assert str(found["SUMMARY"]) == f"{item['title']} — {REF}"
    assert written["alarms"] == sum(len(item["reminders"]) for item in listing)


def test_calendar_uids_stay_the_same_when_exported_again(demo: Cli) -> None:
    first, second = demo.folder / "a.ics", demo.folder / "b.ics"
    demo.call("calendar", "--client", "demo-corp", "-o", str(first)).ok()
    demo.call("client", "reminders", "demo-corp", "--days", "10").ok()
    demo.call("calendar", "--client", "demo-corp", "-o", str(second), "--lang", "ja").ok()
    uids = [sorted(str(e["UID"]) for e in _calendar(p).walk("VEVENT")) for p in (first, second)]
    assert uids[0] == uids[1]
    summaries = [str(e["SUMMARY"]) for e in _calendar(second).walk("VEVENT")]
    assert any(s.startswith("維持審査 — ") for s in summaries)
    # the new reminder days: one alarm, 10 days before, per event
    assert {len(e.walk("VALARM")) for e in _calendar(second).walk("VEVENT")} == {1}


def test_calendar_prints_what_it_wrote(demo: Cli) -> None:
    out = demo.call("calendar", REF, "-o", "cal.ics").ok().out
    assert "deadline(s) of demo-corp/isms-cert written to cal.ics with" in out
    assert (demo.folder / "cal.ics").is_file()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing/cal.ics", "error: missing: no such folder"),
        ("cal.txt", "error: cal.txt: write the calendar to a .ics file"),
    ],
)
def test_calendar_refuses_a_bad_path_and_writes_nothing(
    demo: Cli, target: str, message: str
) -> None:
    result = demo.call("calendar", REF, "-o", target).fails(2)
    assert result.err.strip() == message
    assert not (demo.folder / target).exists()


def test_calendar_of_an_unknown_project_writes_nothing(demo: Cli) -> None:
    result = demo.call("calendar", "nope", "-o", "cal.ics").fails(2)
    assert "project nope not found" in result.err
    assert not (demo.folder / "cal.ics").exists()


def test_client_reminders_shows_and_sets_the_days_before_each_deadline(demo: Cli) -> None:
    shown = demo.call("client", "reminders", "demo-corp", "--json").ok().json()
    assert shown["settings"] == {}
    expiry = next(k for k in shown["kinds"] if k["kind"] == "certificate_expiry")
    assert (expiry["days"], expiry["source"]) == ([180, 90, 30, 7], "workflow")
    out = (
        demo.call(
            "client", "reminders", "demo-corp", "--days", "60,14,3", "--kind", "surveillance_audit"
        )
        .ok()
        .out
    )
    assert "60, 14, 3" in out and "client (this kind)" in out
    listing = demo.call("deadlines", REF, "--json").ok().json()["deadlines"]
    surveillance = next(i for i in listing if i["kind"] == "surveillance_audit")
    assert len(surveillance["reminders"]) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--days", "60,x"), "error: --days '60,x': 'x' is not a whole number of days"),
        (
            ("--kind", "surveillance_audit"),
            "error: give --days DAYS to set the reminder days, or --clear to remove them",
        ),
        (("--days", "7", "--kind", "nope"), "error: unknown deadline kind 'nope' (known: "),
    ],
)
def test_client_reminders_refuses_bad_days_and_changes_nothing(
    demo: Cli, args: tuple[str, ...], message: str
) -> None:
    before = demo.events()
    result = demo.call("client", "reminders", "demo-corp", *args).fails(2)
    assert result.err.strip().startswith(message)
    assert demo.events() == before
