"""The SoA as files an auditor reads: one styled XLSX sheet, or a CSV Excel opens correctly.

Both are written from a `SoaView` in one language. The CSV has the stable columns of
`isms.soa_csv.CSV_COLUMNS`, so an exported file can be edited and imported again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

# openpyxl ships no type information; its objects are used through a few attributes only.
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from isms_flow.i18n import Language, LocalizedText
from isms_flow.isms.soa_csv import CSV_COLUMNS
from isms_flow.services.registers.soa.views import SoaEntryView, SoaView

__all__ = ["COLUMNS", "EXCLUDED_FILL", "HEADER_FILL", "UNDECIDED_FILL", "csv_text", "workbook"]

_L = LocalizedText

COLUMNS: tuple[tuple[LocalizedText, int], ...] = (
    (_L(en="Theme", ja="分類"), 16),
    (_L(en="Control", ja="管理策"), 9),
    (_L(en="Title", ja="名称"), 46),
    (_L(en="Applicable", ja="適用可否"), 12),
    (_L(en="Justification", ja="適用・除外の理由"), 60),
    (_L(en="Implementation status", ja="実施状況"), 22),
    (_L(en="Risks treated", ja="対応するリスク"), 16),
    (_L(en="Evidence", ja="証跡"), 32),
    (_L(en="Decided by", ja="決定者"), 16),
    (_L(en="Decided on", ja="決定日"), 12),
)
"""Header label and column width of each column, in order."""

_TITLE = _L(en="Statement of Applicability", ja="適用宣言書")
_VERDICTS: Mapping[str, LocalizedText] = {
    "applicable": _L(en="Yes", ja="適用"),
    "excluded": _L(en="No", ja="除外"),
    "undecided": _L(en="Undecided", ja="未決定"),
}
HEADER_ROW = 3
HEADER_FILL = "1F4E78"
EXCLUDED_FILL = "D9D9D9"
UNDECIDED_FILL = "FFF2CC"
_WRAPPED = {3, 5, 8}  # title, justification, evidence: long text that must stay readable
_THIN = Side(style="thin", color="BFBFBF")


def workbook(view: SoaView, lang: Language) -> Workbook:
    """One sheet: title, summary, a bold filtered header, one row per control."""
    book = Workbook()
    sheet = book.active
    sheet.title = _TITLE.in_(lang)
    book.properties.title = f"{_TITLE.en} — {view.project}"
    book.properties.creator = "isms-flow"
    last = get_column_letter(len(COLUMNS))
    sheet["A1"] = f"{_TITLE.in_(lang)} — {view.client} ({view.project})"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = _summary(view, lang)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A2:{last}2")
    sheet.row_dimensions[2].height = 30
    for index, (label, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=label.in_(lang))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for offset, entry in enumerate(view.entries, start=1):
        _write_row(sheet, HEADER_ROW + offset, entry, view.timezone, lang)
    end = HEADER_ROW + len(view.entries)
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"  # header and control ids stay in view
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{end}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return book


def csv_text(view: SoaView, lang: Language) -> str:
    """The SoA as CSV text (the caller writes it as UTF-8 with a BOM for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in view.entries:
        applicable = {"applicable": "yes", "excluded": "no"}.get(e.verdict, "")
        writer.writerow(
            [
                e.control,
                e.theme,
                e.title,
                applicable,
                e.justification,
                e.status or "",
                ";".join(e.risk_keys),
                ";".join(str(i) for i in e.evidence_ids),
                e.decided_by or "",
                _local(e.decided_at, view.timezone),
            ]
        )
    return out.getvalue()


def _write_row(sheet: Any, row: int, entry: SoaEntryView, timezone: str, lang: Language) -> None:
    values = (
        entry.theme,
        entry.control,
        entry.title,
        _VERDICTS[entry.verdict].in_(lang),
        entry.justification,
        entry.status_title or "",
        ", ".join(entry.risk_keys),
        "\n".join(entry.evidence),
        entry.decided_by or "",
        entry.decided_at.astimezone(ZoneInfo(timezone)).date() if entry.decided_at else None,
    )
    fill = {"excluded": EXCLUDED_FILL, "undecided": UNDECIDED_FILL}.get(entry.verdict)
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.alignment = Alignment(wrap_text=column in _WRAPPED, vertical="top")
        cell.border = Border(bottom=_THIN)
        if fill is not None:
            cell.fill = PatternFill("solid", fgColor=fill)
    sheet.cell(row=row, column=len(values)).number_format = "yyyy-mm-dd"


def _summary(view: SoaView, lang: Language) -> str:
    if lang == "ja":
        return (
            f"{view.edition} 附属書A ・ {view.as_of.isoformat()}時点 ・ {view.progress}"
            f"（適用 {view.applicable}、除外 {view.excluded}、未決定 {view.undecided}）"
        )
    return (
        f"{view.edition} Annex A · as of {view.as_of.isoformat()} · {view.progress} "
        f"({view.applicable} applicable, {view.excluded} excluded, {view.undecided} undecided)"
    )


def _local(moment: datetime | None, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).isoformat(timespec="minutes") if moment else ""
