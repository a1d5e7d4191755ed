"""Reading an SoA from CSV: every row checked, every bad row named by its line.

Columns (header row, any order, names case-insensitive): `control_id`, `applicable` and
`justification` are required; `status`, `risk_keys` and `evidence_ids` are optional; any other
column (the title, theme and decided_* columns an export writes) is ignored, so an exported
file can be edited and imported again. A row whose `applicable` cell is empty decides nothing
and is skipped. Lists (`risk_keys`, `evidence_ids`) are separated by `;`, `,` or spaces.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from isms_flow.errors import BadInput, NotFound
from isms_flow.isms.annex_a import normalize_control_id
from isms_flow.isms.soa import (
    Decision,
    SoaStatus,
    decision_problems,
    normalize_risk_key,
    parse_status,
)

__all__ = [
    "CSV_COLUMNS",
    "REQUIRED_COLUMNS",
    "ParsedSoaCsv",
    "RowProblem",
    "SoaCsvRow",
    "parse_applicable",
    "parse_soa_csv",
]

CSV_COLUMNS = (
    "control_id",
    "theme",
    "title",
    "applicable",
    "justification",
    "status",
    "risk_keys",
    "evidence_ids",
    "decided_by",
    "decided_at",
)
"""The columns an export writes, in this order (stable: scripts may rely on it)."""
REQUIRED_COLUMNS = ("control_id", "applicable", "justification")

_YES = {"yes", "y", "true", "1", "applicable", "適用", "はい"}
_NO = {"no", "n", "false", "0", "excluded", "除外", "いいえ"}
_SEPARATORS = re.compile(r"[;,\s、]+")


@dataclass(frozen=True)
class RowProblem:
    """Why one line of the file cannot be imported."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class SoaCsvRow:
    """One good row: the control and its decision (None when the row decides nothing)."""

    line: int
    control_id: str
    decision: Decision | None


@dataclass(frozen=True)
class ParsedSoaCsv:
    """The good rows and the problems; a file with any problem must not be imported."""

    rows: tuple[SoaCsvRow, ...]
    problems: tuple[RowProblem, ...]


def parse_applicable(text: str) -> bool | None:
    """yes/no (and their usual spellings, in English and Japanese) → True/False; "" → None.

    BadInput for anything else.
    """
    value = text.strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise BadInput(f"applicable '{text.strip()}' is not yes or no")


def parse_soa_csv(text: str) -> ParsedSoaCsv:
    """Check every row of an SoA CSV; BadInput when the file itself is unusable."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise BadInput("the file is empty; the first row must name the columns")
    columns = {name.strip().lower(): index for index, name in enumerate(header)}
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise BadInput(
            f"line 1: missing column {', '.join(missing)} "
            f"(required: {', '.join(REQUIRED_COLUMNS)}; optional: status, risk_keys, "
            "evidence_ids)"
        )
    rows: list[SoaCsvRow] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    end = reader.line_num
    for record in reader:
        line, end = end + 1, reader.line_num  # a quoted cell may span several lines
        if not any(cell.strip() for cell in record):
            continue
        cells = {name: record[i] if i < len(record) else "" for name, i in columns.items()}
        row, reasons = _row(line, cells, seen)
        if reasons:
            problems.append(RowProblem(line, "; ".join(reasons)))
        elif row is not None:
            rows.append(row)
    if not rows and not problems:
        raise BadInput("the file has a header row but no rows")
    return ParsedSoaCsv(rows=tuple(rows), problems=tuple(problems))


def _row(
    line: int, cells: dict[str, str], seen: dict[str, int]
) -> tuple[SoaCsvRow | None, list[str]]:
    reasons: list[str] = []
    raw_id = cells["control_id"].strip()
    control_id: str | None = None
    if not raw_id:
        reasons.append("control_id is empty")
    else:
        try:
            control_id = normalize_control_id(raw_id)
        except NotFound as error:
            reasons.append(str(error))
    if control_id is not None:
        if control_id in seen:
            reasons.append(f"control {control_id} is already on line {seen[control_id]}")
        else:
            seen[control_id] = line
    try:
        applicable = parse_applicable(cells["applicable"])
    except BadInput as error:
        return None, [*reasons, str(error)]
    if applicable is None:
        return (None if reasons else SoaCsvRow(line, control_id or raw_id, None)), reasons
    status = _status(cells.get("status", ""), reasons)
    decision = Decision(
        applicable=applicable,
        justification=cells["justification"].strip(),
        status=status,
        risk_keys=_risk_keys(cells.get("risk_keys", ""), reasons),
        evidence_ids=_evidence_ids(cells.get("evidence_ids", ""), reasons),
    )
    if status is not None or not cells.get("status", "").strip():
        # A bad status was reported already; saying it is also missing would repeat it.
        reasons += decision_problems(decision)
    if reasons or control_id is None:
        return None, reasons
    return SoaCsvRow(line, control_id, decision), reasons


def _status(text: str, reasons: list[str]) -> SoaStatus | None:
    try:
        return parse_status(text)
    except BadInput as error:
        reasons.append(str(error))
        return None


def _risk_keys(text: str, reasons: list[str]) -> tuple[str, ...]:
    keys: list[str] = []
    for part in _SEPARATORS.split(text.strip()):
        if not part:
            continue
        key = normalize_risk_key(part)
        if key is None:
            reasons.append(f"risk key '{part}' is not like R-004")
        elif key not in keys:
            keys.append(key)
    return tuple(keys)


def _evidence_ids(text: str, reasons: list[str]) -> tuple[int, ...]:
    ids: list[int] = []
    for part in _SEPARATORS.split(text.strip()):
        value = part.removeprefix("#")
        if not value:
            continue
        if not value.isdigit():
            reasons.append(f"evidence id '{part}' is not a number")
        elif int(value) not in ids:
            ids.append(int(value))
    return tuple(ids)
