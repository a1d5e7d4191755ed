"""`isms-flow simulate` as a user runs it, on a project the demo walked to `certified` today
(the real clock): what would fire if nobody did anything, on a copy — nothing is sent, the
database is untouched, and bad input is one line with exit 2."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from isms_flow.bootstrap import bootstrap
from isms_flow.config import Settings
from isms_flow.services.demo import run_demo
from tests.e2e.conftest import Cli

REF = "demo-corp/isms-cert"
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture(scope="session")
def certified_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database whose demo project is certified today, built once."""
    folder = tmp_path_factory.mktemp("certified-today")
    app = bootstrap(Settings(data_dir=folder, actor="tester"))
    try:
        for _ in run_demo(app):
            pass
    finally:
        app.close()
    return folder


@pytest.fixture
def certified(cli: Cli, certified_folder: Path) -> Cli:
    """The command line on a copy of the certified demo project."""
    shutil.copyfile(certified_folder / "isms-flow.db", cli.db_file)
    shutil.copytree(certified_folder / "vault", cli.vault)
    return cli


def _today() -> date:
    return datetime.now(TOKYO).date()


def _state_of_everything(cli: Cli) -> tuple[object, ...]:
    """What a user can see of the database: history, outbox, project state."""
    return (
        cli.events(),
        cli.call("notifications", "--json", "--limit", "1000").ok().json(),
        cli.call("project", "status", REF, "--json").ok().json()["project"]["state"],
    )


def test_simulate_lists_three_years_in_order_ending_in_suspension_and_withdrawal(
    certified: Cli,
) -> None:
    before = _state_of_everything(certified)
    until = (_today() + timedelta(days=3 * 366)).isoformat()

    forecast = certified.call("simulate", REF, "--until", until, "--json").ok().json()

    items = forecast["notifications"]
    assert [i["at"] for i in items] == sorted(i["at"] for i in items)
    fired = [
        (i["deadline"].split(":")[0], i["from_state"], i["to_state"])
        for i in items
        if i["escalation"] == "fired"
    ]
    assert fired == [
        ("surveillance_audit", "certified", "suspended"),
        ("suspension_limit", "suspended", "withdrawn"),
    ]
    surveillance = [i for i in items if i["deadline_kind"] == "surveillance_audit"]
    assert [(i["kind"], i["offset_days"]) for i in surveillance] == [
        ("reminder", 90),
        ("reminder", 30),
        ("reminder", 7),
        ("reminder", 1),
        ("escalation", 0),
    ]
    suspension = surveillance[-1]
    assert suspension["local_time"].endswith("00:00 JST")
    assert suspension["channels"] == ["log"]
    assert forecast["projects"] == [
        {"project": REF, "state_before": "certified", "state_after": "withdrawn"}
    ]
    assert _state_of_everything(certified) == before


def test_the_table_says_what_each_escalation_did_and_that_nothing_was_sent(
    certified: Cli,
) -> None:
    until = (_today() + timedelta(days=800)).isoformat()

    out = certified.call("simulate", "--client", "demo-corp", "--until", until).ok().out

    assert "certified → suspended (suspend)" in out
    assert "suspended → withdrawn (withdraw)" in out
    assert f"{REF}: certified → withdrawn if nobody acts" in out
    assert "nothing was sent and nothing changed" in out

    japanese = certified.call("simulate", REF, "--until", until, "--lang", "ja").ok().out
    assert "発生する通知とエスカレーション" in japanese
    assert "送信も変更もしていません" in japanese


def test_until_today_runs_in_a_fresh_process_and_may_find_nothing(certified: Cli) -> None:
    result = certified.run("simulate", "--until", _today().isoformat(), "--json").ok()

    assert result.json()["notifications"] == []
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--until", "2020-01-01"],
            "error: --until 2020-01-01 is in the past (today is {today} in Asia/Tokyo)",
        ),
        (
            ["--until", "next year"],
            "error: --until 'next year' is not a date: give YYYY-MM-DD, e.g. 2029-12-31",
        ),
        (
            ["--until", "2031-02-30"],
            "error: --until '2031-02-30' is not a date: give YYYY-MM-DD, e.g. 2029-12-31",
        ),
        (
            ["--until", "9999-12-31"],
            "error: --until 9999-12-31 is too far ahead: at most 100 years from today",
        ),
        (
            ["nosuch", "--until", "2031-01-01"],
            "error: project nosuch not found: see `isms-flow project list`",
        ),
        (
            [REF, "--client", "demo-corp", "--until", "2031-01-01"],
            "error: give a PROJECT or --client, not both",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    certified: Cli, args: list[str], message: str
) -> None:
    before = _state_of_everything(certified)

    result = certified.call("simulate", *args).fails(2)

    assert result.err.strip() == message.format(today=_today().isoformat())
    assert _state_of_everything(certified) == before


def test_until_is_required(certified: Cli) -> None:
    result = certified.call("simulate", REF).fails(2)

    assert "--until" in result.err
