"""Result models of the training use cases: what the CLI prints as tables or `--json`."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "CompletionView",
    "CourseView",
    "DepartmentView",
    "ImportView",
    "MissingView",
    "StaffView",
    "TrainingStatusView",
]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class StaffView(_View):
    """A person on the roster."""

    employee_id: str
    name: str
    department: str
    role: str
    joined: date
    left_on: date | None
    in_scope: bool


class CourseView(_View):
    """A course; a completion counts for `validity_months` months."""

    key: str
    title: str
    title_ja: str
    validity_months: int


class CompletionView(_View):
    """One recorded completion and the last day it counts."""

    employee_id: str
    name: str
    course: str
    completed_on: date
    valid_until: date


class ImportView(_View):
    """What one CSV import did; `saved` is false when nothing differed from the register."""

    what: Literal["staff", "completions"]
    file: str
    sha256: str
    rows: int
    added: int
    updated: int
    unchanged: int
    saved: bool


class DepartmentView(_View):
    """Coverage of one department."""

    department: str
    covered: int
    in_scope: int
    percent: int


class MissingView(_View):
    """An in-scope person without a current completion; `valid_until` set when one lapsed."""

    employee_id: str
    name: str
    department: str
    role: str
    last_course: str | None
    last_completed: date | None
    valid_until: date | None


class TrainingStatusView(_View):
    """Coverage of the in-scope staff on `as_of` (the client's today)."""

    project: str
    as_of: date
    course: str | None
    roster: int
    in_scope: int
    covered: int
    percent: int
    departments: list[DepartmentView]
    missing: list[MissingView]
    courses: list[CourseView]
