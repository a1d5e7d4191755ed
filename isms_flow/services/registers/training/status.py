"""Training coverage as the client's today sees it: per department, and who is missing."""

from __future__ import annotations

from isms_flow.bootstrap import App
from isms_flow.isms.training import coverage
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.registers.training.register import (
    course_view,
    courses_by_key,
    find_course,
    load_training,
)
from isms_flow.services.registers.training.views import (
    DepartmentView,
    MissingView,
    TrainingStatusView,
)
from isms_flow.services.snapshots import evaluation_context

__all__ = ["training_status"]


def training_status(app: App, *, ref: str, course: str | None = None) -> TrainingStatusView:
    """Covered / in-scope staff today (for one course, or any), by department, and who is not."""
    now = app.clock.now()
    with app.uow() as uow:
        session = uow.session
        project = find_project(session, ref)
        if course is not None:
            find_course(session, project.id, course)
        today = evaluation_context(now, project.client.timezone).today
        register = load_training(session, project)
        result = coverage(register, today, course)
        courses = courses_by_key(session, project.id)
        return TrainingStatusView(
            project=project_ref(project),
            as_of=today,
            course=course,
            roster=len(register.staff),
            in_scope=result.counted,
            covered=result.covered,
            percent=result.percent,
            departments=[
                DepartmentView(
                    department=d.department,
                    covered=d.covered,
                    in_scope=d.counted,
                    percent=d.covered * 100 // d.counted,
                )
                for d in result.by_department()
            ],
            missing=[
                MissingView(
                    employee_id=p.member.employee_id,
                    name=p.member.name,
                    department=p.member.department,
                    role=p.member.role,
                    last_course=p.course,
                    last_completed=p.completed_on,
                    valid_until=p.valid_until,
                )
                for p in result.missing
            ],
            courses=[course_view(courses[key]) for key in sorted(courses)],
        )
