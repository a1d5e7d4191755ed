"""Reading roster and completion CSV files: every row checked, every bad one named by its line.

Pure: the caller reads the file and passes its text plus what the register already holds;
this module answers the rows it would import and the problems that forbid importing any.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from isms_flow.isms.training import StaffMember

__all__ = [
    "COMPLETION_COLUMNS",
    "STAFF_COLUMNS",
    "CompletionLine",
    "ParsedCompletions",
    "ParsedStaff",
    "Progress",
    "RowProblem",
    "StaffLine",
    "parse_completions_csv",
    "parse_date",
    "parse_staff_csv",
]

Progress = Callable[[int, int], None]
"""`(rows done, rows in total)`, called after each row is checked."""

STAFF_COLUMNS = ("employee_id", "name", "department", "role", "joined")
_STAFF_OPTIONAL = ("left", "in_scope")
COMPLETION_COLUMNS = ("employee_id", "course", "completed_on")
_MAX_TEXT = {"employee_id": 64, "name": 200, "department": 200, "role": 200}
# Excel in Japan writes 2025/4/1; ISO 8601 is what we print. Both are read.
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_YES = {"yes", "y", "true", "1", "はい", "対象"}
_NO = {"no", "n", "false", "0", "いいえ", "対象外"}


@dataclass(frozen=True)
class RowProblem:
    """Why one line of the file cannot be imported."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class StaffLine:
    """A good roster row; `sets_left` / `sets_scope`: the file has that column."""

    line: int
    member: StaffMember
    sets_left: bool
    sets_scope: bool


@dataclass(frozen=True)
class CompletionLine:
    """A good completion row."""

    line: int
    employee_id: str
    course: str
    completed_on: date


@dataclass(frozen=True)
class ParsedStaff:
    """The rows of a roster file, or the problems that stop all of them."""

    rows: tuple[StaffLine, ...]
    problems: tuple[RowProblem, ...]


@dataclass(frozen=True)
class ParsedCompletions:
    """The rows of a completions file, or the problems that stop all of them."""

    rows: tuple[CompletionLine, ...]
    problems: tuple[RowProblem, ...]


def parse_date(text: str, column: str) -> date:
    """`YYYY-MM-DD` or `YYYY/M/D`; ValueError with a one-line reason otherwise."""
    match = _DATE.match(text.strip())
    try:
        if match is None:
            raise ValueError
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"{column} '{text}' is not a date (use YYYY-MM-DD)") from None


def parse_staff_csv(text: str, *, progress: Progress | None = None) -> ParsedStaff:
    """Check a roster file: employee_id, name, department, role, joined[, left, in_scope]."""
    table = _Table.read(text, STAFF_COLUMNS, _STAFF_OPTIONAL)
    if not table.readable:
        return ParsedStaff((), table.problems)
    rows: list[StaffLine] = []
    problems = list(table.problems)
    first_line: dict[str, int] = {}
    for done, (line, values) in enumerate(table.rows, start=1):
        try:
            member = _member(values)
            if member.employee_id in first_line:
                raise ValueError(
                    f"employee {member.employee_id} appears twice "
                    f"(first on line {first_line[member.employee_id]})"
                )
            first_line[member.employee_id] = line
            rows.append(StaffLine(line, member, "left" in values, "in_scope" in values))
        except ValueError as error:
            problems.append(RowProblem(line, str(error)))
        if progress is not None:
            progress(done, len(table.rows))
    return ParsedStaff(tuple(rows), _by_line(problems))


def parse_completions_csv(
    text: str,
    *,
    staff: Mapping[str, StaffMember],
    courses: Collection[str],
    today: date,
    progress: Progress | None = None,
) -> ParsedCompletions:
    """Check a completions file (employee_id, course, completed_on) against the register."""
    table = _Table.read(text, COMPLETION_COLUMNS, ())
    if not table.readable:
        return ParsedCompletions((), table.problems)
    rows: list[CompletionLine] = []
    problems = list(table.problems)
    first_line: dict[tuple[str, str, date], int] = {}
    for done, (line, values) in enumerate(table.rows, start=1):
        try:
            row = completion_line(line, values, staff=staff, courses=courses, today=today)
            key = (row.employee_id, row.course, row.completed_on)
            if key in first_line:
                raise ValueError(f"duplicate of line {first_line[key]}")
            first_line[key] = line
            rows.append(row)
        except ValueError as error:
            problems.append(RowProblem(line, str(error)))
        if progress is not None:
            progress(done, len(table.rows))
    return ParsedCompletions(tuple(rows), _by_line(problems))


def completion_line(
    line: int,
    values: Mapping[str, str],
    *,
    staff: Mapping[str, StaffMember],
    courses: Collection[str],
    today: date,
) -> CompletionLine:
    """One completion checked against the roster, the courses and today; ValueError if bad."""
    employee_id = _text(values, "employee_id")
    course = _text(values, "course")
    completed_on = parse_date(values["completed_on"], "completed_on")
    member = staff.get(employee_id)
    if member is None:
        raise ValueError(f"unknown employee id '{employee_id}' (not on the roster)")
    if course not in courses:
        known = ", ".join(sorted(courses)) or "none yet"
        raise ValueError(f"unknown course '{course}' (known: {known})")
    if completed_on > today:
        raise ValueError(f"completed_on {completed_on.isoformat()} is after today ({today})")
    if member.left_on is not None and completed_on >= member.left_on:
        raise ValueError(
            f"completed_on {completed_on.isoformat()} is not before {employee_id} left "
            f"({member.left_on.isoformat()})"
        )
    return CompletionLine(line, employee_id, course, completed_on)


def _member(values: Mapping[str, str]) -> StaffMember:
    joined = parse_date(values["joined"], "joined")
    left_text = values.get("left", "").strip()
    left_on = parse_date(left_text, "left") if left_text else None
    if left_on is not None and left_on <= joined:
        raise ValueError(f"left {left_on.isoformat()} is not after joined {joined.isoformat()}")
    return StaffMember(
        employee_id=_text(values, "employee_id"),
        name=_text(values, "name"),
        department=_text(values, "department"),
        role=_text(values, "role"),
        joined=joined,
        left_on=left_on,
        in_scope=_flag(values.get("in_scope", "")),
    )


def _text(values: Mapping[str, str], column: str) -> str:
    value = " ".join(values[column].split())  # one line, single spaces: names are compared
    if not value:
        raise ValueError(f"{column} is empty")
    limit = _MAX_TEXT.get(column, 64)
    if len(value) > limit:
        raise ValueError(f"{column} is longer than {limit} characters")
    return value


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if not value or value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"in_scope '{text}' is not yes or no")


@dataclass(frozen=True)
class _Table:
    """Data rows as {column: text} with the line each starts on, and rows that are not;
    `readable` is false when the header (or the file) is unusable and no row was read."""

    rows: tuple[tuple[int, dict[str, str]], ...]
    problems: tuple[RowProblem, ...]
    readable: bool = True

    @classmethod
    def read(cls, text: str, required: tuple[str, ...], optional: tuple[str, ...]) -> _Table:
        lines = _Records(text)
        try:
            header_line, header = next(lines)
        except StopIteration:
            return cls((), (RowProblem(1, "the file is empty"),), readable=False)
        except csv.Error as error:
            return cls((), (RowProblem(1, f"not a CSV file: {error}"),), readable=False)
        columns = [_column_name(name) for name in header]
        problem = _header_problem(columns, required, optional)
        if problem:
            return cls((), (RowProblem(header_line, problem),), readable=False)
        rows: list[tuple[int, dict[str, str]]] = []
        problems: list[RowProblem] = []
        try:
            for line, values in lines:
                if len(values) != len(columns):
                    reason = f"expected {len(columns)} fields, found {len(values)}"
                    problems.append(RowProblem(line, reason))
                    continue
                rows.append((line, dict(zip(columns, values, strict=True))))
        except csv.Error as error:
            problems.append(RowProblem(lines.start, f"not readable as CSV: {error}"))
        if not rows and not problems:
            problems.append(RowProblem(header_line, "no rows below the header"))
        return cls(tuple(rows), tuple(problems))


class _Records:
    """CSV records with the line each starts on (a quoted field may span lines); blank lines
    are skipped."""

    def __init__(self, text: str) -> None:
        self._reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        self.start = 1

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        while True:
            self.start = self._reader.line_num + 1
            record = next(self._reader)
            if any(field.strip() for field in record):
                return self.start, record


def _by_line(problems: list[RowProblem]) -> tuple[RowProblem, ...]:
    return tuple(sorted(problems, key=lambda problem: problem.line))


def _column_name(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _header_problem(
    columns: list[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> str | None:
    expected = ", ".join(required) + (f" [, {', '.join(optional)}]" if optional else "")
    missing = [name for name in required if name not in columns]
    unknown = [name for name in columns if name not in required + optional]
    doubled = sorted({name for name in columns if columns.count(name) > 1})
    if missing:
        if len(columns) == 1 and any(mark in columns[0] for mark in ";\t"):
            return f"columns must be separated by commas (expected: {expected})"
        return f"missing column {', '.join(missing)} (expected: {expected})"
    if unknown:
        return f"unknown column {', '.join(unknown) or '(empty)'} (expected: {expected})"
    if doubled:
        return f"column {', '.join(doubled)} appears twice"
    return None
