"""Training register (7.2 competence, 7.3 awareness): the roster, courses, completions, and
who in scope is covered on a given day. Pure: the snapshot part "training" is a TrainingRegister.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from isms_flow.i18n import LocalizedText

__all__ = [
    "DEFAULT_VALIDITY_MONTHS",
    "Completion",
    "Course",
    "Coverage",
    "DepartmentCoverage",
    "PersonCoverage",
    "StaffMember",
    "TrainingRegister",
    "add_months",
    "coverage",
]

DEFAULT_VALIDITY_MONTHS = 12


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the last day of the target month.

    2025-01-31 + 1 month is 2025-02-28 and 2024-02-29 + 12 months is 2025-02-28: a day that
    does not exist in the target month becomes that month's last day, never the 1st of the next
    month, so a completion never counts for longer than its stated number of months.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class StaffMember:
    """A person on the roster; `left_on` is the first day they no longer work here."""

    employee_id: str
    name: str
    department: str
    role: str
    joined: date
    left_on: date | None = None
    in_scope: bool = True

    def counts_on(self, day: date) -> bool:
        """In scope, joined on or before `day`, and not yet left on `day`."""
        return self.in_scope and self.joined <= day and (self.left_on is None or self.left_on > day)

    @property
    def label(self) -> str:
        """How a blocker names the person: `Sato Hanako (Development)`."""
        return f"{self.name} ({self.department})"


@dataclass(frozen=True)
class Course:
    """A course; one completion counts for `validity_months` calendar months."""

    key: str
    title: LocalizedText
    validity_months: int = DEFAULT_VALIDITY_MONTHS


@dataclass(frozen=True)
class Completion:
    """One person completed one course on one day."""

    employee_id: str
    course: str
    completed_on: date


@dataclass(frozen=True)
class PersonCoverage:
    """One counted person on one day: their most lasting completion, if any."""

    member: StaffMember
    course: str | None
    completed_on: date | None
    valid_until: date | None
    """The last day the completion counts (inclusive)."""
    covered: bool


@dataclass(frozen=True)
class DepartmentCoverage:
    """Covered / counted people of one department."""

    department: str
    covered: int
    counted: int


@dataclass(frozen=True)
class Coverage:
    """Who of the counted staff is covered on `as_of`, for one course or for any course."""

    as_of: date
    course: str | None
    people: tuple[PersonCoverage, ...]

    @property
    def counted(self) -> int:
        """In-scope staff on `as_of`."""
        return len(self.people)

    @property
    def covered(self) -> int:
        """Counted staff with a completion that still counts on `as_of`."""
        return sum(1 for person in self.people if person.covered)

    @property
    def missing(self) -> tuple[PersonCoverage, ...]:
        """Counted staff without one, in roster order (department, then employee id)."""
        return tuple(person for person in self.people if not person.covered)

    @property
    def percent(self) -> int:
        """Covered share, rounded down: 44 of 45 is 97%, never a flattering 100%."""
        return self.covered * 100 // self.counted if self.counted else 0

    def meets(self, threshold_percent: int) -> bool:
        """At least `threshold_percent` of a non-empty roster is covered (exact arithmetic)."""
        return self.counted > 0 and self.covered * 100 >= threshold_percent * self.counted

    def by_department(self) -> tuple[DepartmentCoverage, ...]:
        """Coverage per department, departments sorted by name."""
        totals: dict[str, list[int]] = {}
        for person in self.people:
            entry = totals.setdefault(person.member.department, [0, 0])
            entry[0] += person.covered
            entry[1] += 1
        return tuple(
            DepartmentCoverage(department, covered, counted)
            for department, (covered, counted) in sorted(totals.items())
        )


@dataclass(frozen=True)
class TrainingRegister:
    """The project's roster, courses and completions (the snapshot part "training").

    `completions` may hold only each person's latest completion of each course: coverage
    reads nothing older.
    """

    staff: tuple[StaffMember, ...] = ()
    courses: tuple[Course, ...] = ()
    completions: tuple[Completion, ...] = ()

    def course(self, key: str) -> Course | None:
        """The course with `key`, if the register has it."""
        return next((course for course in self.courses if course.key == key), None)


def coverage(register: TrainingRegister, as_of: date, course: str | None = None) -> Coverage:
    """Who of the staff counted on `as_of` holds a completion that still counts that day.

    With `course`, only that course counts; without, any course of the register does. A
    completion on day D of a course valid for N months counts from D through D + N months
    (inclusive, see `add_months`); one dated after `as_of` does not count yet.
    """
    validity = {c.key: c.validity_months for c in register.courses}
    best: dict[str, tuple[date, date, str]] = {}  # employee id -> (valid until, on, course)
    for done in register.completions:
        months = validity.get(done.course)
        if months is None or done.completed_on > as_of:
            continue
        if course is not None and done.course != course:
            continue
        candidate = (add_months(done.completed_on, months), done.completed_on, done.course)
        if done.employee_id not in best or candidate > best[done.employee_id]:
            best[done.employee_id] = candidate
    people = tuple(
        _person(member, best.get(member.employee_id), as_of)
        for member in _roster_order(register.staff)
        if member.counts_on(as_of)
    )
    return Coverage(as_of=as_of, course=course, people=people)


def _person(
    member: StaffMember, best: tuple[date, date, str] | None, as_of: date
) -> PersonCoverage:
    if best is None:
        return PersonCoverage(member, None, None, None, covered=False)
    valid_until, completed_on, course = best
    return PersonCoverage(member, course, completed_on, valid_until, covered=valid_until >= as_of)


def _roster_order(staff: Iterable[StaffMember]) -> list[StaffMember]:
    return sorted(staff, key=lambda m: (m.department, m.employee_id))
