"""Reading the training tables: rows to the pure register, rows to views, lookups by key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from isms_flow.errors import NotFound
from isms_flow.i18n import LocalizedText
from isms_flow.isms.training import Completion, Course, StaffMember, TrainingRegister
from isms_flow.services.registers.training.views import CourseView, StaffView
from isms_flow.store.tables.training import CourseRow, StaffRow, TrainingRecordRow

__all__ = [
    "course_of",
    "course_view",
    "courses_by_key",
    "find_course",
    "find_staff",
    "load_training",
    "load_training_of",
    "member_of",
    "staff_by_id",
    "staff_view",
]


def member_of(row: StaffRow) -> StaffMember:
    """The pure roster entry of a row."""
    return StaffMember(
        employee_id=row.employee_id,
        name=row.name,
        department=row.department,
        role=row.role,
        joined=row.joined,
        left_on=row.left_on,
        in_scope=row.in_scope,
    )


def course_of(row: CourseRow) -> Course:
    """The pure course of a row (the Japanese title falls back to the English one)."""
    title = LocalizedText(en=row.title, ja=row.title_ja or row.title)
    return Course(key=row.key, title=title, validity_months=row.validity_months)


def staff_view(row: StaffRow) -> StaffView:
    """A roster row as shown."""
    return StaffView(
        employee_id=row.employee_id,
        name=row.name,
        department=row.department,
        role=row.role,
        joined=row.joined,
        left_on=row.left_on,
        in_scope=row.in_scope,
    )


def course_view(row: CourseRow) -> CourseView:
    """A course row as shown."""
    return CourseView(
        key=row.key, title=row.title, title_ja=row.title_ja, validity_months=row.validity_months
    )


def staff_by_id(session: Session, project_id: int) -> dict[str, StaffRow]:
    """The project's roster by employee id."""
    rows = session.scalars(select(StaffRow).where(StaffRow.project_id == project_id))
    return {row.employee_id: row for row in rows}


def courses_by_key(session: Session, project_id: int) -> dict[str, CourseRow]:
    """The project's courses by key."""
    rows = session.scalars(select(CourseRow).where(CourseRow.project_id == project_id))
    return {row.key: row for row in rows}


def find_staff(session: Session, project_id: int, employee_id: str) -> StaffRow:
    """The person with `employee_id`, or NotFound."""
    row = session.scalars(
        select(StaffRow).where(
            StaffRow.project_id == project_id, StaffRow.employee_id == employee_id.strip()
        )
    ).first()
    if row is None:
        raise NotFound("employee", employee_id, hint="see `isms-flow training staff-list`")
    return row


def find_course(session: Session, project_id: int, key: str) -> CourseRow:
    """The course with `key`, or NotFound naming the known ones."""
    courses = courses_by_key(session, project_id)
    if key not in courses:
        known = ", ".join(sorted(courses)) or "none yet; add one with `training course-add`"
        raise NotFound("course", key, hint=f"known: {known}")
    return courses[key]


# Only each person's latest completion of each course can decide coverage: read no other.
_LATEST_COMPLETIONS = (
    select(StaffRow.employee_id, CourseRow.key, func.max(TrainingRecordRow.completed_on))
    .join(StaffRow, TrainingRecordRow.staff_id == StaffRow.id)
    .join(CourseRow, TrainingRecordRow.course_id == CourseRow.id)
    .group_by(StaffRow.employee_id, CourseRow.key)
)


def load_training(session: Session, project: Any) -> TrainingRegister:
    """The snapshot part "training": roster, courses, latest completion per person and course."""
    staff = tuple(member_of(row) for row in staff_by_id(session, project.id).values())
    courses = tuple(course_of(row) for row in courses_by_key(session, project.id).values())
    latest = session.execute(_LATEST_COMPLETIONS.where(StaffRow.project_id == project.id))
    completions = tuple(
        Completion(employee_id=employee_id, course=course, completed_on=completed_on)
        for employee_id, course, completed_on in latest
    )
    return TrainingRegister(staff=staff, courses=courses, completions=completions)


def load_training_of(session: Session, projects: Sequence[Any]) -> dict[int, TrainingRegister]:
    """`load_training` for many projects: three queries, whatever their number."""
    ids = [project.id for project in projects]
    staff: dict[int, dict[str, StaffRow]] = {project_id: {} for project_id in ids}
    courses: dict[int, dict[str, CourseRow]] = {project_id: {} for project_id in ids}
    completions: dict[int, list[Completion]] = {project_id: [] for project_id in ids}
    for person in session.scalars(
        select(StaffRow).where(StaffRow.project_id.in_(ids)).order_by(StaffRow.id)
    ):
        staff[person.project_id][person.employee_id] = person
    for course in session.scalars(
        select(CourseRow).where(CourseRow.project_id.in_(ids)).order_by(CourseRow.id)
    ):
        courses[course.project_id][course.key] = course
    latest = _LATEST_COMPLETIONS.add_columns(StaffRow.project_id).group_by(StaffRow.project_id)
    for employee_id, course_key, completed_on, project_id in session.execute(
        latest.where(StaffRow.project_id.in_(ids))
    ):
        completions[project_id].append(
            Completion(employee_id=employee_id, course=course_key, completed_on=completed_on)
        )
    return {
        project_id: TrainingRegister(
            staff=tuple(member_of(row) for row in staff[project_id].values()),
            courses=tuple(course_of(row) for row in courses[project_id].values()),
            completions=tuple(completions[project_id]),
        )
        for project_id in ids
    }
