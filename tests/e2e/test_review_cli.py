"""`isms-flow review …`: a review missing an input is recorded, and the stage stays blocked
naming that input until a complete review is recorded."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.e2e.conftest import Cli

TODAY = datetime.now(ZoneInfo("Asia/Tokyo")).date()  # the CLI runs on the system clock
FIRST = (TODAY - timedelta(days=12)).isoformat()
SECOND = (TODAY - timedelta(days=5)).isoformat()
DUE = (TODAY + timedelta(days=90)).isoformat()

REASON = "walking to the management review stage for this test"
INPUTS = {
    "a": "First review: no earlier actions",
    "b": "Revised APPI guidelines; cloud CI adopted",
    "c": "Customers ask for 72-hour incident notice",
    "d": "Two minor nonconformities, both planned",
    "e": "One complaint about questionnaire delays",
    "f": "All risks above the level treated",
    "g": "Automate access reviews",
}


def force_to_management_review(cli: Cli, ref: str) -> None:
    """Advance with four-eyes overrides until the project is at management_review."""
    for _ in range(10):
        state = cli.call("project", "status", ref, "--json").ok().json()["project"]["state"]
        if state == "management_review":
            return
        asked = cli.call(
            "project", "override", "request", ref, "advance", "--reason", REASON, "--json",
            actor="alice",
        ).ok()  # fmt: skip
        override = str(asked.json()["id"])
        cli.call("project", "override", "approve", ref, override, actor="bob").ok()
    raise AssertionError("did not reach management_review")


def review_args(ref: str, held: str, *, skip: str = "") -> list[str]:
    args = ["review", "add", ref, "--held", held]
    args += ["--top-management", "田中 誠 | CEO", "--attendee", "佐藤 由美 | ISMS manager"]
    for key, notes in INPUTS.items():
        if key != skip:
            args += ["--input", f"{key}={notes}"]
    args += ["--improvement", f"Automate access reviews | 鈴木 健太 | {DUE}"]
    args += ["--change", "Add the cloud CI service to the scope"]
    return args


def test_a_missing_input_blocks_the_stage_and_is_named(cli: Cli, acme: str) -> None:
    force_to_management_review(cli, acme)
    added = cli.call(*review_args(acme, FIRST, skip="c")).ok()
    assert f"✓ management review #1 of {FIRST} recorded: 2 attendees (1 from top " in added.out
    assert "6/7 inputs of 9.3.2 considered, 2 decision(s)" in added.out
    assert (
        "! 9.3.2 inputs not considered: c (changes in needs and expectations of interested "
        "parties)" in added.out
    )

    status = cli.call("project", "status", acme, "--json").ok().json()
    [check] = [c for c in status["checklist"] if c["label"].startswith("Management review within")]
    assert (check["met"], check["have"], check["need"]) == (False, 8, 9)
    blocked = cli.call("project", "advance", acme).fails(1)
    assert (
        f"management_review: the review of {FIRST} has no notes on 1 of the 7 inputs of "
        "9.3.2: c (changes in needs and expectations of interested parties)" in blocked.err
    )
    ja = cli.call("project", "status", acme, "--lang", "ja").ok().out
    assert "c（利害関係者のニーズ・期待の変化）" in ja

    cli.call(*review_args(acme, SECOND)).ok()
    status = cli.call("project", "status", acme, "--json").ok().json()
    [check] = [c for c in status["checklist"] if c["label"].startswith("Management review within")]
    assert (check["met"], check["have"], check["need"]) == (True, 9, 9)


def test_reviews_are_listed_and_shown(cli: Cli, acme: str) -> None:
    cli.call(*review_args(acme, FIRST, skip="e")).ok()
    listed = cli.call("review", "list", acme).ok().out
    assert "田中 誠 (CEO) ★" in listed and "a b c d – f g" in listed
    shown = cli.call("review", "show", acme, "1").ok().out
    assert "feedback from interested parties" in shown and "not considered" in shown
    assert "Automate access reviews" in shown and DUE in shown
    data = cli.call("review", "list", acme, "--json").ok().json()
    assert [r["missing_inputs"] for r in data] == [["e"]]
    assert cli.call("review", "list", acme, "--lang", "ja").ok().out.count("★") == 1


def test_bad_review_input_exits_2_and_changes_nothing(cli: Cli, acme: str) -> None:
    later = (TODAY + timedelta(days=30)).isoformat()
    events = cli.events()
    cases = {
        ("review", "add", acme, "--held", "2026-03-20", "--attendee", "x", "--input", "h=?"):
            "error: unknown 9.3.2 input 'h' (known: a, b, c, d, e, f, g)",
        ("review", "add", acme, "--held", "20.3.2026", "--attendee", "x"):
            "error: --held '20.3.2026' is not a date (use YYYY-MM-DD)",
        ("review", "add", acme, "--held", "2026-03-20"):
            "error: a management review needs its attendees (--top-management, --attendee)",
        ("review", "add", acme, "--held", "2026-03-20", "--attendee", "x", "--input", "a=1",
         "--input", "A=2"):
            "error: input a is given twice",
        ("review", "add", acme, "--held", later, "--attendee", "x"):
            f"error: held on {later} is after today ({TODAY})",
        ("review", "show", acme, "5"):
            "error: management review #5 not found: see `isms-flow review list`",
    }  # fmt: skip
    for args, message in cases.items():
        assert message in cli.call(*args).fails(2).err
    assert cli.events() == events
