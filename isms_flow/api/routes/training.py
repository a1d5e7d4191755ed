"""Training (7.2/7.3): the roster of staff, courses, completions, CSV imports and coverage."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import Field

from isms_flow.api.context import PageRequestDep
from isms_flow.api.files import UploadLimitedRoute
from isms_flow.api.pagination import Page
from isms_flow.api.registers import (
    CHANGE,
    PROJECT_PATH,
    READ,
    Body,
    ChangeRegister,
    CsvUploadDep,
    ReadRegister,
)
from isms_flow.services.registers import training as service
from isms_flow.services.registers.training.views import (
    CompletionView,
    CourseView,
    ImportView,
    StaffView,
    TrainingStatusView,
)

# Imports come as uploads: bodies are limited while they stream in.
router = APIRouter(
    prefix=f"{PROJECT_PATH}/training", tags=["training"], route_class=UploadLimitedRoute
)


class NewStaff(Body):
    """A person for the roster."""

    employee_id: str
    name: str = Field(description="Full name as HR records it")
    department: str = Field(description="Department or site")
    role: str = Field(description="Job role")
    joined: date = Field(description="First working day")
    in_scope: bool = Field(default=True, description="Inside the ISMS scope")


class StaffChange(Body):
    """A transfer, a leaving, a change of scope; unset fields stay as they are."""

    name: str | None = None
    department: str | None = None
    role: str | None = None
    joined: date | None = None
    left_on: date | None = Field(default=None, description="First day no longer working here")
    clear_left: bool = Field(default=False, description="Forget a leaving date (rejoined)")
    in_scope: bool | None = None


class NewCourse(Body):
    """A course; a completion counts for `validity_months` calendar months."""

    key: str = Field(description="e.g. awareness")
    title: str = Field(description="Title in English")
    title_ja: str = Field(default="", description="Title in Japanese")
    validity_months: int = 12


class NewCompletion(Body):
    """A person completed a course (today in the client's time zone if `completed_on` is unset)."""

    employee_id: str
    course: str
    completed_on: date | None = None


@router.get("/staff", openapi_extra=READ)
def list_staff(read: ReadRegister, paging: PageRequestDep) -> Page[StaffView]:
    """The roster, by department then employee id."""
    return paging.page(
        service.list_staff(read.app, ref=read.ref), key=lambda v: (v.department, v.employee_id)
    )


@router.post("/staff", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def add_staff(change: ChangeRegister, body: NewStaff) -> StaffView:
    """Put a person on the roster."""
    with change.applying():
        return service.add_staff(
            change.app, ref=change.ref, actor=change.actor, **body.model_dump()
        )


@router.patch("/staff/{employee_id}", openapi_extra=CHANGE)
def update_staff(change: ChangeRegister, employee_id: str, body: StaffChange) -> StaffView:
    """Change a person's entry: transfer, leaving, scope."""
    with change.applying():
        return service.update_staff(
            change.app,
            ref=change.ref,
            employee_id=employee_id,
            actor=change.actor,
            **body.model_dump(),
        )


@router.post("/staff/import", openapi_extra=CHANGE)
def import_staff(change: ChangeRegister, upload: CsvUploadDep) -> ImportView:
    """Import the roster: employee_id,name,department,role,joined[,left,in_scope]; all or none."""
    with change.applying():
        return service.import_staff_data(
            change.app,
            ref=change.ref,
            data=upload.data,
            name=upload.name,
            encoding=upload.encoding,
            actor=change.actor,
        )


@router.get("/courses", openapi_extra=READ)
def list_courses(read: ReadRegister, paging: PageRequestDep) -> Page[CourseView]:
    """The project's courses, by key."""
    return paging.page(service.list_courses(read.app, ref=read.ref), key=lambda v: (v.key,))


@router.post("/courses", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def add_course(change: ChangeRegister, body: NewCourse) -> CourseView:
    """Add a course."""
    with change.applying():
        return service.add_course(
            change.app, ref=change.ref, actor=change.actor, **body.model_dump()
        )


@router.get("/completions", openapi_extra=READ)
def list_completions(
    read: ReadRegister,
    paging: PageRequestDep,
    employee: Annotated[str | None, Query(description="Only this employee id")] = None,
) -> Page[CompletionView]:
    """Recorded completions, newest first."""
    return paging.page(
        service.list_completions(read.app, ref=read.ref, employee_id=employee),
        key=lambda v: (-v.completed_on.toordinal(), v.employee_id, v.course),
    )


@router.post("/completions", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def record_completion(change: ChangeRegister, body: NewCompletion) -> CompletionView:
    """Record that a person completed a course."""
    with change.applying():
        return service.record_completion(
            change.app, ref=change.ref, actor=change.actor, **body.model_dump()
        )


@router.post("/completions/import", openapi_extra=CHANGE)
def import_completions(change: ChangeRegister, upload: CsvUploadDep) -> ImportView:
    """Import completions: employee_id,course,completed_on; all or none."""
    with change.applying():
        return service.import_completions_data(
            change.app,
            ref=change.ref,
            data=upload.data,
            name=upload.name,
            encoding=upload.encoding,
            actor=change.actor,
        )


@router.get("/status", openapi_extra=READ)
def training_status(
    read: ReadRegister,
    course: Annotated[str | None, Query(description="Only this course counts")] = None,
) -> TrainingStatusView:
    """Coverage of the in-scope staff today, per department, and who is missing."""
    return service.training_status(read.app, ref=read.ref, course=course)
