"""SoA files on a real database: CSV import all-or-nothing, CSV and XLSX exports read back."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.services import evidence
from isms_flow.services.registers import soa as service
from isms_flow.services.registers.soa.sheets import EXCLUDED_FILL, HEADER_FILL, UNDECIDED_FILL
from tests.integration.support import MakeFile, event_count, row_count, stored_events

HEADER = "control_id,applicable,justification,status,risk_keys,evidence_ids\n"


def write(tmp_path: Path, text: str, name: str = "soa.csv", encoding: str = "utf-8") -> Path:
    """A CSV file under tmp_path."""
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def decide_some(app: App, ref: str) -> None:
    """5.15 applicable (linked to R-004), 7.4 excluded, 8.11 planned; the rest undecided."""
    service.decide_controls(
        app, ref=ref, controls=["5.15"], applicable=True, status="implemented",
        justification="Role-based access to production", risk_keys=["R-004"], actor="sato.isms",
    )  # fmt: skip
    service.decide_controls(
        app, ref=ref, controls=["7.4"], applicable=False,
        justification="No secure area of our own: production runs on AWS", actor="sato.isms",
    )  # fmt: skip
    service.decide_controls(
        app, ref=ref, controls=["8.11"], applicable=True, status="planned",
        justification="Masking of staging data planned for 2026-06", actor="sato.isms",
    )  # fmt: skip


def test_an_import_decides_its_rows_in_one_event_with_a_summary(
    app: App, project_ref: str, tmp_path: Path, make_file: MakeFile
) -> None:
    policy = evidence.add_evidence(
        app, ref=project_ref, kind="information_security_policy", file=make_file("p.pdf"), actor="c"
    )
    text = HEADER + (
        f"5.1,yes,Approved by the CEO,implemented,,{policy.id}\n"
        "7.4,除外,No secure area of our own,,,\n"
        "7.12,no,No owned cabling,,,\n"
        "8.12,,,,,\n"
    )
    events = event_count(app)
    view = service.import_soa(app, ref=project_ref, file=write(tmp_path, text), actor="sato.isms")
    assert (view.rows, view.changed, view.unchanged, view.skipped) == (
        4,
        ["5.1", "7.4", "7.12"],
        0,
        1,
    )
    assert (view.decided, view.total, view.saved) == (3, 93, True)
    assert event_count(app) == events + 1
    last = stored_events(app)[-1]
    assert (last.type, last.actor) == ("soa_imported", "sato.isms")
    assert last.payload == {
        "file": "soa.csv",
        "sha256": view.sha256,
        "rows": 4,
        "changed": ["5.1", "7.4", "7.12"],
        "applicable": 1,
        "excluded": 2,
        "decided": 3,
        "total": 93,
    }
    again = service.import_soa(app, ref=project_ref, file=write(tmp_path, text), actor="x")
    assert (again.changed, again.unchanged, again.saved) == ([], 3, False)
    assert event_count(app) == events + 1


def test_an_import_with_bad_rows_names_each_line_and_saves_nothing(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    decide_some(app, project_ref)
    before = service.show_soa(app, ref=project_ref)
    events = event_count(app)
    text = HEADER + (
        "5.1,yes,Approved by the CEO,implemented,,\n"  # good, but must not be saved
        "5.99,yes,Typo,implemented,,\n"
        "7.1,no,,,,\n"
        "7.2,perhaps,Shared office,,,\n"
        "8.1,yes,Laptops,finished,,\n"
        "8.2,yes,Admin rights,implemented,,404\n"
    )
    with pytest.raises(BadInput) as error:
        service.import_soa(app, ref=project_ref, file=write(tmp_path, text), actor="sato.isms")
    assert str(error.value).splitlines() == [
        "soa.csv: 5 bad rows, nothing was imported:",
        "  line 3: Annex A control '5.99' not found: did you mean 5.9, 5.19, 5.29? "
        "ISO/IEC 27001:2022 Annex A has 5.1–5.37, 6.1–6.8, 7.1–7.14, 8.1–8.34",
        "  line 4: an excluded control needs a justification",
        "  line 5: applicable 'perhaps' is not yes or no",
        "  line 6: status 'finished' is not planned, partial or implemented",
        "  line 7: #404 is not evidence of project acme/isms",
    ]
    assert event_count(app) == events
    assert service.show_soa(app, ref=project_ref) == before


def test_one_bad_row_is_said_on_one_line(app: App, project_ref: str, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "5.1,yes,Policy,implemented,,\n5.2,yes,Roles,,,\n")
    with pytest.raises(BadInput) as error:
        service.import_soa(app, ref=project_ref, file=path, actor="sato.isms")
    assert str(error.value) == (
        "soa.csv: nothing was imported: line 3: an applicable control needs an implementation "
        "status (planned, partial, implemented)"
    )
    assert row_count(app, "soa_entries") == 0


@pytest.mark.parametrize(
    ("content", "encoding", "message"),
    [
        (None, "utf-8-sig", "no such file"),
        ("control_id,applicable\n5.1,yes\n", "utf-8-sig",
         "soa.csv: nothing was imported: line 1: missing column justification"),
        (HEADER + "5.1,yes,方針,implemented,,\n", "ascii",
         "soa.csv: line 2: not ascii text (save it as CSV UTF-8, or give --encoding cp932"),
        (HEADER, "no-such-codec", "unknown encoding 'no-such-codec'"),
    ],
)  # fmt: skip
def test_an_unreadable_file_is_refused_before_anything_is_read(
    app: App, project_ref: str, tmp_path: Path, content: str | None, encoding: str, message: str
) -> None:
    path = tmp_path / "soa.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BadInput, match=message.replace("(", r"\(")):
        service.import_soa(app, ref=project_ref, file=path, actor="x", encoding=encoding)


def test_a_shift_jis_file_imports_with_its_encoding(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    path = write(tmp_path, HEADER + "7.4,除外,自社のサーバ室がない,,,\n", encoding="cp932")
    view = service.import_soa(app, ref=project_ref, file=path, actor="x", encoding="cp932")
    assert view.changed == ["7.4"]
    entry = service.show_soa(app, ref=project_ref, theme="7").entries[3]
    assert (entry.verdict, entry.justification) == ("excluded", "自社のサーバ室がない")


def test_the_csv_export_has_a_bom_stable_columns_and_reimports_unchanged(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    decide_some(app, project_ref)
    target = tmp_path / "soa-export.csv"
    view = service.export_soa(app, ref=project_ref, file=target, lang="ja")
    assert (view.format, view.rows, view.decided, view.total) == ("csv", 93, 3, 93)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the Japanese correctly
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [
        "control_id", "theme", "title", "applicable", "justification", "status", "risk_keys",
        "evidence_ids", "decided_by", "decided_at",
    ]  # fmt: skip
    assert len(rows) == 94
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["5.15"] == [
        "5.15", "組織的管理策", "アクセス制御", "yes", "Role-based access to production",
        "implemented", "R-004", "", "sato.isms", "2026-04-01T09:30+09:00",
    ]  # fmt: skip
    assert by_id["7.4"][3:6] == ["no", "No secure area of our own: production runs on AWS", ""]
    assert by_id["5.1"][3:] == ["", "", "", "", "", "", ""]
    events = event_count(app)
    again = service.import_soa(app, ref=project_ref, file=target, actor="x")
    assert (again.changed, again.unchanged, again.skipped, again.saved) == ([], 3, 90, False)
    assert event_count(app) == events


def test_the_xlsx_export_is_one_styled_sheet_an_auditor_can_read(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    decide_some(app, project_ref)
    target = tmp_path / "soa.xlsx"
    view = service.export_soa(app, ref=project_ref, file=target)
    assert (view.format, view.rows, view.language) == ("xlsx", 93, "en")

    book = load_workbook(target)
    assert book.sheetnames == ["Statement of Applicability"]
    sheet = book.active
    assert sheet["A1"].value == "Statement of Applicability — ACME Corp. (acme/isms)"
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == (
        "ISO/IEC 27001:2022 Annex A · as of 2026-04-01 · SoA 3/93 decided "
        "(2 applicable, 1 excluded, 90 undecided)"
    )
    header = [cell.value for cell in sheet[3]]
    assert header == [
        "Theme", "Control", "Title", "Applicable", "Justification", "Implementation status",
        "Risks treated", "Evidence", "Decided by", "Decided on",
    ]  # fmt: skip
    for cell in sheet[3]:
        assert cell.font.bold
        assert cell.fill.fgColor.rgb.endswith(HEADER_FILL)
    assert sheet.freeze_panes == "C4"
    assert sheet.auto_filter.ref == "A3:J96"
    assert sheet.max_row == 96
    assert sheet.column_dimensions["E"].width == 60

    access = [cell.value for cell in sheet[4 + 14]]  # 5.15 is the 15th control
    assert access[:8] == [
        "Organizational", "5.15", "Access control", "Yes", "Role-based access to production",
        "Implemented", "R-004", None,
    ]  # fmt: skip
    assert access[8] == "sato.isms"
    assert access[9].date() == date(2026, 4, 1)
    assert sheet.cell(row=18, column=5).alignment.wrap_text
    assert sheet.cell(row=18, column=1).fill.fill_type is None

    monitoring = [cell for cell in sheet[4 + 37 + 8 + 3]]  # 7.4
    assert [c.value for c in monitoring[:5]] == [
        "Physical", "7.4", "Physical security monitoring", "No",
        "No secure area of our own: production runs on AWS",
    ]  # fmt: skip
    assert all(c.fill.fgColor.rgb.endswith(EXCLUDED_FILL) for c in monitoring)
    assert sheet["D4"].value == "Undecided"
    assert sheet["D4"].fill.fgColor.rgb.endswith(UNDECIDED_FILL)
    assert sheet["B96"].value == "8.34"


def test_the_japanese_xlsx_has_japanese_headers_titles_and_verdicts(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    decide_some(app, project_ref)
    target = tmp_path / "適用宣言書.xlsx"
    service.export_soa(app, ref=project_ref, file=target, lang="ja")
    sheet = load_workbook(target).active
    assert sheet.title == "適用宣言書"
    assert sheet["A1"].value == "適用宣言書 — ACME Corp. (acme/isms)"
    assert [c.value for c in sheet[3]][:4] == ["分類", "管理策", "名称", "適用可否"]
    assert [c.value for c in sheet[52]][:4] == [
        "物理的管理策",
        "7.4",
        "物理的セキュリティの監視",
        "除外",
    ]
    assert sheet["D18"].value == "適用"
    assert sheet["F18"].value == "実施済み"


@pytest.mark.parametrize(
    ("name", "message"),
    [("soa.pdf", "soa.pdf: export to a .xlsx or a .csv file"),
     ("missing/soa.xlsx", "missing: no such folder")],
)  # fmt: skip
def test_an_export_to_an_unusable_file_is_refused(
    app: App, project_ref: str, tmp_path: Path, name: str, message: str
) -> None:
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(BadInput) as error:
        service.export_soa(app, ref=project_ref, file=tmp_path / name)
    assert str(error.value).endswith(message)
    assert sorted(tmp_path.rglob("*")) == before  # nothing written
