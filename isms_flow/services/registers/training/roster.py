"""Use cases of the training register, one change each: staff, courses, completions."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.isms.training import add_months
from isms_flow.isms.training_csv import completion_line
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project
from isms_flow.services.registers.training.register import (
    course_view,
    courses_by_key,
    find_course,
    find_staff,
    member_of,
    staff_by_id,
    staff_view,
)
from isms_flow.services.registers.training.views import CompletionView, CourseView, StaffView
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import evaluation_context
from isms_flow.store.tables.training import CourseRow, StaffRow, TrainingRecordRow

__all__ = [
    "add_course",
    "add_staff",
    "list_completions",
    "list_courses",
    "list_staff",
    "record_completion",
    "staff_payload",
    "update_staff",
]

_COURSE_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_LIMITS = {"employee id": 64, "name": 200, "department": 200, "role": 200, "title": 200}


def add_staff(
    app: App,
    *,
    ref: str,
    employee_id: str,
    name: str,
    department: str,
    role: str,
    joined: date,
    in_scope: bool = True,
    actor: str,
) -> StaffView:
    """Put a person on the roster."""
    now = app.clock.now()
    fields = {
        "employee_id": _text("employee id", employee_id),
        "name": _text("name", name),
        "department": _text("department", department),
        "role": _text("role", role),
    }

    def attempt(pin: VersionPin) -> StaffView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            if fields["employee_id"] in staff_by_id(uow.session, project.id):
                raise BadInput(
                    f"employee {fields['employee_id']} is already on the roster "
                    "(change it with `training staff-update`)"
                )
            row = StaffRow(project_id=project.id, joined=joined, in_scope=in_scope, **fields)
            uow.session.add(row)
            record_change(
                uow,
                project,
                now=now,
                actor=actor,
                type="training_staff_added",
                payload=staff_payload(row),
            )
            uow.commit()
            return staff_view(row)

    return retry_on_conflict(attempt)


def update_staff(
    app: App,
    *,
    ref: str,
    employee_id: str,
    actor: str,
    name: str | None = None,
    department: str | None = None,
    role: str | None = None,
    joined: date | None = None,
    left_on: date | None = None,
    clear_left: bool = False,
    in_scope: bool | None = None,
) -> StaffView:
    """Change a person's entry: transfer, leaving (`left_on`: first day gone), scope."""
    if left_on is not None and clear_left:
        raise BadInput("give either a leaving date or clear it, not both")
    now = app.clock.now()
    changes: dict[str, object] = {
        key: _text(key.replace("_", " "), value)
        for key, value in (("name", name), ("department", department), ("role", role))
        if value is not None
    }
    if joined is not None:
        changes["joined"] = joined
    if left_on is not None or clear_left:
        changes["left_on"] = left_on
    if in_scope is not None:
        changes["in_scope"] = in_scope
    if not changes:
        raise BadInput("nothing to change: give at least one new value")

    def attempt(pin: VersionPin) -> StaffView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            row = find_staff(uow.session, project.id, employee_id)
            before = {key: getattr(row, key) for key in changes}
            for key, value in changes.items():
                setattr(row, key, value)
            if row.left_on is not None and row.left_on <= row.joined:
                raise BadInput(
                    f"left {row.left_on.isoformat()} is not after joined {row.joined.isoformat()}"
                )
            changed = {k: _plain(v) for k, v in changes.items() if before[k] != v}
            if not changed:
                raise BadInput(f"employee {row.employee_id} already has these values")
            record_change(
                uow,
                project,
                now=now,
                actor=actor,
                type="training_staff_updated",
                payload={"employee_id": row.employee_id, "changed": changed},
            )
            uow.commit()
            return staff_view(row)

    return retry_on_conflict(attempt)


def list_staff(app: App, *, ref: str) -> list[StaffView]:
    """The roster, by department then employee id."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        rows = staff_by_id(uow.session, project.id).values()
        return [
            staff_view(row) for row in sorted(rows, key=lambda r: (r.department, r.employee_id))
        ]


def add_course(
    app: App,
    *,
    ref: str,
    key: str,
    title: str,
    title_ja: str = "",
    validity_months: int = 12,
    actor: str,
) -> CourseView:
    """Add a course; a completion of it counts for `validity_months` calendar months."""
    if not _COURSE_KEY.match(key):
        raise BadInput(
            f"course key '{key}' must be 1–64 lowercase letters, digits, '-' or '_', "
            "starting with a letter"
        )
    if not 1 <= validity_months <= 120:
        raise BadInput(f"validity of {validity_months} months is not between 1 and 120")
    now = app.clock.now()
    english = _text("title", title)
    japanese = " ".join(title_ja.split())

    def attempt(pin: VersionPin) -> CourseView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            if key in courses_by_key(uow.session, project.id):
                raise BadInput(f"course '{key}' already exists")
            row = CourseRow(
                project_id=project.id,
                key=key,
                title=english,
                title_ja=japanese,
                validity_months=validity_months,
            )
            uow.session.add(row)
            record_change(
                uow,
                project,
                now=now,
                actor=actor,
                type="training_course_added",
                payload={
                    "key": key,
                    "title": english,
                    "title_ja": japanese,
                    "validity_months": validity_months,
                },
            )
            uow.commit()
            return course_view(row)

    return retry_on_conflict(attempt)


def list_courses(app: App, *, ref: str) -> list[CourseView]:
    """The project's courses, by key."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        courses = courses_by_key(uow.session, project.id)
        return [course_view(courses[key]) for key in sorted(courses)]


def record_completion(
    app: App,
    *,
    ref: str,
    employee_id: str,
    course: str,
    actor: str,
    completed_on: date | None = None,
) -> CompletionView:
    """Record that a person completed a course on a day (default: the client's today)."""
    now = app.clock.now()

    def attempt(pin: VersionPin) -> CompletionView:
        with app.uow() as uow:
            session = uow.session
            project = find_project(session, ref)
            today = evaluation_context(now, project.client.timezone).today
            day = completed_on or today
            person = find_staff(session, project.id, employee_id)
            course_row = find_course(session, project.id, course)
            values = {
                "employee_id": person.employee_id,
                "course": course_row.key,
                "completed_on": day.isoformat(),
            }
            try:
                completion_line(
                    0,
                    values,
                    staff={person.employee_id: member_of(person)},
                    courses={course_row.key},
                    today=today,
                )
            except ValueError as error:
                raise BadInput(str(error)) from None
            already = session.scalars(
                select(TrainingRecordRow.id).where(
                    TrainingRecordRow.staff_id == person.id,
                    TrainingRecordRow.course_id == course_row.id,
                    TrainingRecordRow.completed_on == day,
                )
            ).first()
            if already is not None:
                raise BadInput(
                    f"{person.employee_id} completing '{course_row.key}' on "
                    f"{day.isoformat()} is already recorded"
                )
            session.add(
                TrainingRecordRow(
                    staff_id=person.id,
                    course_id=course_row.id,
                    completed_on=day,
                    recorded_by=actor,
                    recorded_at=now,
                )
            )
            record_change(
                uow,
                project,
                now=now,
                actor=actor,
                type="training_completion_recorded",
                payload=values,
            )
            uow.commit()
            return CompletionView(
                employee_id=person.employee_id,
                name=person.name,
                course=course_row.key,
                completed_on=day,
                valid_until=add_months(day, course_row.validity_months),
            )

    return retry_on_conflict(attempt)


def list_completions(app: App, *, ref: str, employee_id: str | None = None) -> list[CompletionView]:
    """Every recorded completion (of one person if given), newest first."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        query = (
            select(TrainingRecordRow, StaffRow, CourseRow)
            .join(StaffRow, TrainingRecordRow.staff_id == StaffRow.id)
            .join(CourseRow, TrainingRecordRow.course_id == CourseRow.id)
            .where(StaffRow.project_id == project.id)
            .order_by(TrainingRecordRow.completed_on.desc(), StaffRow.employee_id)
        )
        if employee_id is not None:
            query = query.where(StaffRow.id == find_staff(uow.session, project.id, employee_id).id)
        return [
            CompletionView(
                employee_id=person.employee_id,
                name=person.name,
                course=course.key,
                completed_on=record.completed_on,
                valid_until=add_months(record.completed_on, course.validity_months),
            )
            for record, person, course in uow.session.execute(query)
        ]


def staff_payload(row: StaffRow) -> dict[str, object]:
    """A roster entry as it is written into history."""
    return {
        "employee_id": row.employee_id,
        "name": row.name,
        "department": row.department,
        "role": row.role,
        "joined": row.joined.isoformat(),
        "left_on": row.left_on.isoformat() if row.left_on else None,
        "in_scope": row.in_scope,
    }


def _text(what: str, value: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise BadInput(f"{what} must not be empty")
    limit = _LIMITS[what]
    if len(cleaned) > limit:
        raise BadInput(f"{what} is longer than {limit} characters")
    return cleaned


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value
