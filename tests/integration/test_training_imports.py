"""Training CSV imports on a real SQLite file: all rows or none, one event per saved import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.services import history
from isms_flow.services.registers import training
from isms_flow.services.registers.training.views import ImportView
from tests.integration.support import event_count, row_count, stored_events

HEADER = "employee_id,name,department,role,joined\n"
GOOD_ROSTER = HEADER + (
    "E1001,佐藤 花子,Development,Engineer,2024-04-01\n"
    "E1002,鈴木 健,Development,Engineer,2025-10-01\n"
    "E1003,田中 一郎,QA,Tester,2022-04-01\n"
)


def csv_file(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` as a CSV file."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def import_roster(app: App, ref: str, path: Path) -> ImportView:
    """Import a roster as the HR officer."""
    return training.import_staff(app, ref=ref, file=path, actor="hr.officer")


@pytest.fixture
def with_roster(app: App, project_ref: str, tmp_path: Path) -> str:
    """acme/isms with the three people of GOOD_ROSTER and the awareness course."""
    import_roster(app, project_ref, csv_file(tmp_path, "roster.csv", GOOD_ROSTER))
    training.add_course(
        app, ref=project_ref, key="awareness", title="Security awareness", actor="isms"
    )
    return project_ref


def test_a_roster_with_bad_rows_is_refused_whole_naming_each_line(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    before = event_count(app)
    text = HEADER + (
        "E1001,佐藤 花子,Development,Engineer,2024-04-01\n"
        "E1002,鈴木 健,Development,Engineer,2025-02-30\n"
        "E1001,Someone Else,QA,Tester,2022-04-01\n"
        "E1004,,QA,Tester,2022-04-01\n"
    )
    with pytest.raises(BadInput) as refused:
        import_roster(app, project_ref, csv_file(tmp_path, "roster.csv", text))
    assert str(refused.value) == (
        "roster.csv: 3 bad rows, nothing was imported:\n"
        "  line 3: joined '2025-02-30' is not a date (use YYYY-MM-DD)\n"
        "  line 4: employee E1001 appears twice (first on line 2)\n"
        "  line 5: name is empty"
    )
    assert row_count(app, "staff") == 0
    assert event_count(app) == before


def test_a_good_roster_import_is_one_event_with_counts_and_the_files_hash(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    before = event_count(app)
    view = import_roster(app, project_ref, csv_file(tmp_path, "roster.csv", GOOD_ROSTER))
    assert (view.rows, view.added, view.updated, view.unchanged, view.saved) == (3, 3, 0, 0, True)
    assert row_count(app, "staff") == 3
    assert event_count(app) == before + 1
    last = stored_events(app)[-1]
    assert (last.type, last.actor) == ("training_staff_imported", "hr.officer")
    assert last.payload == {
        "file": "roster.csv",
        "sha256": view.sha256,
        "rows": 3,
        "added": 3,
        "updated": 0,
        "unchanged": 0,
    }
    assert history.verify_history(app).intact


def test_reimporting_updates_changed_people_and_an_identical_file_records_nothing(
    app: App, with_roster: str, tmp_path: Path
) -> None:
    transfer = GOOD_ROSTER.replace("E1003,田中 一郎,QA,Tester", "E1003,田中 一郎,Development,Lead")
    changed = import_roster(app, with_roster, csv_file(tmp_path, "roster2.csv", transfer))
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 2)
    moved = {s.employee_id: s for s in training.list_staff(app, ref=with_roster)}["E1003"]
    assert (moved.department, moved.role) == ("Development", "Lead")

    before = event_count(app)
    same = import_roster(app, with_roster, csv_file(tmp_path, "roster3.csv", transfer))
    assert (same.unchanged, same.saved) == (3, False)
    assert event_count(app) == before


def test_a_leaving_date_in_the_file_is_applied_and_an_absent_column_keeps_it(
    app: App, with_roster: str, tmp_path: Path
) -> None:
    leaving = "employee_id,name,department,role,joined,left\n" + (
        "E1002,鈴木 健,Development,Engineer,2025-10-01,2026-03-31\n"
    )
    import_roster(app, with_roster, csv_file(tmp_path, "leavers.csv", leaving))
    import_roster(app, with_roster, csv_file(tmp_path, "roster.csv", GOOD_ROSTER))
    person = {s.employee_id: s for s in training.list_staff(app, ref=with_roster)}["E1002"]
    assert person.left_on is not None and person.left_on.isoformat() == "2026-03-31"


def test_completions_with_bad_rows_are_refused_whole_naming_each_line(
    app: App, with_roster: str, tmp_path: Path
) -> None:
    before = event_count(app)
    text = "employee_id,course,completed_on\n" + (
        "E1001,awareness,2026-03-10\n"
        "E9999,awareness,2026-03-10\n"
        "E1002,awarenes,2026-03-10\n"
        "E1003,awareness,2026-13-10\n"
        "E1003,awareness,2026-04-02\n"
        "E1001,awareness,2026-03-10\n"
    )
    with pytest.raises(BadInput) as refused:
        training.import_completions(
            app, ref=with_roster, file=csv_file(tmp_path, "done.csv", text), actor="isms"
        )
    assert str(refused.value) == (
        "done.csv: 5 bad rows, nothing was imported:\n"
        "  line 3: unknown employee id 'E9999' (not on the roster)\n"
        "  line 4: unknown course 'awarenes' (known: awareness)\n"
        "  line 5: completed_on '2026-13-10' is not a date (use YYYY-MM-DD)\n"
        "  line 6: completed_on 2026-04-02 is after today (2026-04-01)\n"
        "  line 7: duplicate of line 2"
    )
    assert row_count(app, "training_records") == 0
    assert event_count(app) == before


def test_good_completions_are_one_event_and_ones_already_recorded_are_kept_once(
    app: App, with_roster: str, tmp_path: Path
) -> None:
    training.record_completion(
        app, ref=with_roster, employee_id="E1001", course="awareness", actor="isms"
    )
    before = event_count(app)
    text = "employee_id,course,completed_on\n" + (
        "E1001,awareness,2026-04-01\nE1002,awareness,2026/3/1\nE1003,awareness,2025-12-24\n"
    )
    progress: list[tuple[int, int]] = []
    view = training.import_completions(
        app,
        ref=with_roster,
        file=csv_file(tmp_path, "done.csv", text),
        actor="isms",
        progress=lambda done, total: progress.append((done, total)),
    )
    assert (view.rows, view.added, view.unchanged) == (3, 2, 1)
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert row_count(app, "training_records") == 3
    assert event_count(app) == before + 1
    assert stored_events(app)[-1].type == "training_completions_imported"
    assert training.training_status(app, ref=with_roster).covered == 3


def test_a_shift_jis_file_needs_its_encoding_named(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, "roster-sjis.csv", GOOD_ROSTER, encoding="cp932")
    with pytest.raises(BadInput, match=r"roster-sjis.csv: line 2: not utf-8-sig text"):
        import_roster(app, project_ref, path)
    view = training.import_staff(
        app, ref=project_ref, file=path, actor="hr.officer", encoding="cp932"
    )
    assert view.added == 3
    names = [s.name for s in training.list_staff(app, ref=project_ref)]
    assert "佐藤 花子" in names


def test_a_missing_file_and_an_unknown_encoding_are_one_line_errors(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    with pytest.raises(BadInput, match="no such file"):
        import_roster(app, project_ref, tmp_path / "nowhere.csv")
    path = csv_file(tmp_path, "roster.csv", GOOD_ROSTER)
    with pytest.raises(BadInput, match="unknown encoding 'klingon'"):
        training.import_staff(app, ref=project_ref, file=path, actor="x", encoding="klingon")


def test_a_row_that_clashes_with_a_stored_leaving_date_is_refused_by_line(
    app: App, with_roster: str, tmp_path: Path
) -> None:
    training.update_staff(
        app, ref=with_roster, employee_id="E1002", left_on=date(2026, 3, 31), actor="hr"
    )
    before = event_count(app)
    late_start = GOOD_ROSTER.replace(
        "E1002,鈴木 健,Development,Engineer,2025-10-01",
        "E1002,鈴木 健,Development,Engineer,2026-04-01",
    )
    with pytest.raises(BadInput) as refused:
        import_roster(app, with_roster, csv_file(tmp_path, "roster2.csv", late_start))
    assert str(refused.value) == (
        "roster2.csv: nothing was imported: line 3: joined 2026-04-01 is not before the "
        "recorded leaving date 2026-03-31 of E1002"
    )
    assert event_count(app) == before
    person = {s.employee_id: s for s in training.list_staff(app, ref=with_roster)}["E1002"]
    assert person.joined == date(2025, 10, 1)
