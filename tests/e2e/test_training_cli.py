"""`isms-flow training …` as a user drives it: imports all-or-nothing, status, --json, ja."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.e2e.conftest import Cli

ROSTER = (
    "employee_id,name,department,role,joined\n"
    "E1001,佐藤 花子,Development,Engineer,2024-04-01\n"
    "E1002,鈴木 健,Development,Engineer,2025-10-01\n"
    "E1003,田中 一郎,QA,Tester,2022-04-01\n"
)


def write(cli: Cli, name: str, text: str) -> str:
    """A file in the test's folder; returns its path."""
    path = cli.folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def with_roster_and_course(cli: Cli, ref: str) -> None:
    """Import ROSTER and add the awareness course."""
    cli.call("training", "staff-import", ref, write(cli, "staff.csv", ROSTER)).ok()
    cli.call(
        "training", "course-add", ref, "awareness", "Security awareness",
        "--title-ja", "情報セキュリティ教育",
    ).ok()  # fmt: skip


def test_an_import_with_a_bad_row_exits_2_names_the_line_and_saves_nothing(
    cli: Cli, acme: str
) -> None:
    events = cli.events()
    bad = ROSTER + "E1004,山本 さくら,QA,Tester,2026-02-30\nE1001,Twice,QA,Tester,2020-04-01\n"
    result = cli.call("training", "staff-import", acme, write(cli, "staff.csv", bad)).fails(2)
    assert result.err.startswith("error: staff.csv: 2 bad rows, nothing was imported:")
    assert "line 5: joined '2026-02-30' is not a date (use YYYY-MM-DD)" in result.err
    assert "line 6: employee E1001 appears twice (first on line 2)" in result.err
    assert cli.call("training", "staff-list", acme, "--json").ok().json() == []
    assert cli.events() == events


def test_a_completions_import_with_an_unknown_person_fails_as_json_too(cli: Cli, acme: str) -> None:
    with_roster_and_course(cli, acme)
    text = (
        "employee_id,course,completed_on\nE1001,awareness,2026-03-01\nE2000,awareness,2026-03-01\n"
    )
    result = cli.call("training", "import", acme, write(cli, "done.csv", text), "--json").fails(2)
    error = result.json()["error"]
    assert error["type"] == "BadInput"
    assert error["message"] == (
        "done.csv: nothing was imported: line 3: unknown employee id 'E2000' (not on the roster)"
    )
    assert cli.call("training", "records", acme, "--json").ok().json() == []


def test_status_json_reports_coverage_departments_and_who_is_missing(cli: Cli, acme: str) -> None:
    with_roster_and_course(cli, acme)
    text = (
        "employee_id,course,completed_on\nE1001,awareness,2026-03-01\nE1003,awareness,2025-03-31\n"
    )
    imported = cli.call("training", "import", acme, write(cli, "done.csv", text), "--json")
    assert imported.ok().json()["added"] == 2
    status = cli.call("training", "status", acme, "--json").ok().json()
    assert (status["as_of"], status["in_scope"], status["covered"], status["percent"]) == (
        status["as_of"],
        3,
        1,
        33,
    )
    assert [(d["department"], d["covered"], d["in_scope"]) for d in status["departments"]] == [
        ("Development", 1, 2),
        ("QA", 0, 1),
    ]
    assert [
        (m["employee_id"], m["last_completed"], m["valid_until"]) for m in status["missing"]
    ] == [("E1002", None, None), ("E1003", "2025-03-31", "2026-03-31")]
    assert [c["key"] for c in status["courses"]] == ["awareness"]


def test_status_in_japanese_names_the_missing_people(cli: Cli, acme: str) -> None:
    with_roster_and_course(cli, acme)
    cli.call("training", "record", acme, "E1001", "awareness", "--on", "2026-03-01").ok()
    out = cli.call("training", "status", acme, "--lang", "ja").ok().out
    assert "時点の教育訓練: 適用範囲内の要員3名中1名が受講済み（33%）" in out
    assert "鈴木 健" in out and "田中 一郎" in out
    assert "有効な受講記録がない適用範囲内の要員" in out


def test_project_status_shows_training_progress_at_the_staff_training_stage(
    cli: Cli, acme: str
) -> None:
    with_roster_and_course(cli, acme)
    cli.call("training", "record", acme, "E1001", "awareness").ok()
    with sqlite3.connect(cli.db_file) as connection:  # the stage reached out of band
        connection.execute("UPDATE projects SET state = 'staff_training' WHERE key = 'isms'")
    status = cli.call("project", "status", acme, "--json").ok().json()
    (check,) = [c for c in status["checklist"] if c["label"].startswith("Training:")]
    assert (check["met"], check["have"], check["need"]) == (False, 1, 3)
    assert check["blockers"] == [
        "training_coverage: 1 of 3 in-scope staff (33%) have a current training completion, "
        "100% required; 2 missing: 鈴木 健 (Development, no completion); "
        "田中 一郎 (QA, no completion)"
    ]
    table = cli.call("project", "status", acme).ok().out
    assert "1/3" in table


def test_bad_dates_and_unknown_names_on_the_command_line_are_one_line_errors(
    cli: Cli, acme: str
) -> None:
    with_roster_and_course(cli, acme)
    result = cli.call("training", "record", acme, "E1001", "awareness", "--on", "2026-13-01")
    assert result.fails(2).err.strip() == "error: --on '2026-13-01' is not a date (use YYYY-MM-DD)"
    result = cli.call("training", "record", acme, "E9", "awareness").fails(2)
    assert result.err.strip() == "error: employee E9 not found: see `isms-flow training staff-list`"
    result = cli.call("training", "staff-update", acme, "E1001", "--left", "2024-04-01").fails(2)
    assert "left 2024-04-01 is not after joined 2024-04-01" in result.err


def test_a_real_process_imports_with_its_progress_bar_off_stdout(cli: Cli, tmp_path: Path) -> None:
    cli.run("client", "add", "acme", "--name", "ACME").ok()
    cli.run("project", "create", "acme", "isms", "--title", "ISMS").ok()
    result = cli.run("training", "staff-import", "acme/isms", write(cli, "staff.csv", ROSTER))
    assert result.ok().out.strip() == "✓ staff.csv: 3 rows, 3 added, 0 updated, 0 unchanged"
    again = cli.run("training", "staff-import", "acme/isms", write(cli, "staff.csv", ROSTER))
    assert "nothing differed from the register" in again.ok().out
    staff = cli.run("training", "staff-list", "acme/isms", "--json").ok().json()
    assert [s["employee_id"] for s in staff] == ["E1001", "E1002", "E1003"]


def test_the_demo_fills_a_realistic_roster_and_its_training_passes_the_guard(cli: Cli) -> None:
    out = cli.call("demo").ok().out
    assert "training_coverage: no in-scope staff on the roster" in out  # blocked first
    assert "roster imported from staff.csv: 47 people added, 0 updated" in out
    assert "→ staff_training → internal_audit" in out
    status = cli.call("training", "status", "demo-corp/isms-cert", "--json").ok().json()
    assert (status["roster"], status["in_scope"], status["covered"]) == (47, 45, 45)
    assert len(status["departments"]) == 8 and status["missing"] == []
    staff = cli.call("training", "staff-list", "demo-corp/isms-cert", "--json").ok().json()
    by_id = {s["employee_id"]: s for s in staff}
    managers = [(s["name"], s["department"]) for s in staff if s["role"] == "ISMS manager"]
    assert managers == [("佐藤 由美", "Information Systems")]  # sato.isms of the demo
    assert by_id["E1046"]["left_on"] is not None and not by_id["E1047"]["in_scope"]
    assert len({s["name"] for s in staff}) == 47
