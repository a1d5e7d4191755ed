"""Training (7.2/7.3): the roster of staff, courses, completions, CSV imports and coverage."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import Field

from isms_flow.api.concurrency import IfMatch, set_etag
from isms_flow.api.deps import AppDep, PrincipalDep
from isms_flow.api.files import UploadLimitedRoute
from isms_flow.api.pagination import Cursor, Limit, Page, paginate
from isms_flow.api.registers import (
    CHANGE,
    PROJECT_PATH,
    READ,
    Body,
    ChangeRegister,
    CsvUploadDep,
    ReadRegister,
    changing,
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
def list_staff(
    app: AppDep,
    access: ReadRegister,
    request: Request,
    response: Response,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[StaffView]:
    """The roster, by department then employee id."""
    set_etag(response, access.version)
    return paginate(
        service.list_staff(app, ref=access.ref),
        key=lambda v: (v.department, v.employee_id),
        cursor=cursor,
        limit=limit,
        request=request,
        response=response,
    )


@router.post("/staff", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def add_staff(
    app: AppDep,
    principal: PrincipalDep,
    access: ChangeRegister,
    body: NewStaff,
    response: Response,
    if_match: IfMatch = None,
) -> StaffView:
    """Put a person on the roster."""
    with changing(app, access, if_match, response):
        return service.add_staff(app, ref=access.ref, actor=principal.actor, **body.model_dump())


@router.patch("/staff/{employee_id}", openapi_extra=CHANGE)
def update_staff(
    app: AppDep,
    principal: PrincipalDep,
    access: ChangeRegister,
    employee_id: str,
    body: StaffChange,
    response: Response,
    if_match: IfMatch = None,
) -> StaffView:
    """Change a person's entry: transfer, leaving, scope."""
    with changing(app, access, if_match, response):
        return service.update_staff(
            app, ref=access.ref, employee_id=employee_id, actor=principal.actor, **body.model_dump()
        )


@router.post("/staff/import", openapi_extra=CHANGE)
def import_staff(
    app: AppDep,
    principal: PrincipalDep,
    access: ChangeRegister,
    upload: CsvUploadDep,
    response: Response,
    if_match: IfMatch = None,
) -> ImportView:
    """Import the roster: employee_id,name,department,role,joined[,left,in_scope]; all or none."""
    with changing(app, access, if_match, response):
        return service.import_staff_data(
            app,
            ref=access.ref,
            data=upload.data,
            name=upload.name,
            encoding=upload.encoding,
            actor=principal.actor,
        )


@router.get("/courses", openapi_extra=READ)
def list_courses(
    app: AppDep,
    access: ReadRegister,
    request: Request,
    response: Response,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[CourseView]:
    """The project's courses, by key."""
    set_etag(response, access.version)
    return paginate(
        service.list_courses(app, ref=access.ref),
        key=lambda v: (v.key,),
        cursor=cursor,
        limit=limit,
        request=request,
        response=response,
    )


@router.post("/courses", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def add_course(
    app: AppDep,
    principal: PrincipalDep,
    access: ChangeRegister,
    body: NewCourse,
    response: Response,
    if_match: IfMatch = None,
) -> CourseView:
    """Add a course."""
    with changing(app, access, if_match, response):
        return service.add_course(app, ref=access.ref, actor=principal.actor, **body.model_dump())


@router.get("/completions", openapi_extra=READ)
def list_completions(
    app: AppDep,
    access: ReadRegister,
    request: Request,
    response: Response,
    employee: Annotated[str | None, Query(description="Only this employee id")] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[CompletionView]:
    """Recorded completions, newest first."""
    set_etag(response, access.version)
    return paginate(
        service.list_completions(app, ref=access.ref, employee_id=employee),
        key=lambda v: (-v.completed_on.toordinal(), v.employee_id, v.course),
        cursor=cursor,
        limit=limit,
        request=request,
        response=response,
    )


@router.post("/completions", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def record_completion(
    app: AppDep,
    principal: PrincipalDep,
    access: ChangeRegister,
    body: NewCompletion,
    response: Response,
    if_match: IfMatch = None,
) -> CompletionView:
    """Record that a person completed a course."""
    with changing(app, access, if_match, response):
        return service.record_completion(
            app, ref=access.ref, actor=principal.actor, **body.model_dump()
        )


@router.post("/completions/import", openapi_extra=CHANGE)
def import_completions(
    app: AppDep,
    principal: PrincipalDep,
    access: ChangeRegister,
    upload: CsvUploadDep,
    response: Response,
    if_match: IfMatch = None,
) -> ImportView:
    """Import completions: employee_id,course,completed_on; all or none."""
    with changing(app, access, if_match, response):
        return service.import_completions_data(
            app,
            ref=access.ref,
            data=upload.data,
            name=upload.name,
            encoding=upload.encoding,
            actor=principal.actor,
        )


@router.get("/status", openapi_extra=READ)
def training_status(
    app: AppDep,
    access: ReadRegister,
    response: Response,
    course: Annotated[str | None, Query(description="Only this course counts")] = None,
) -> TrainingStatusView:
    """Coverage of the in-scope staff today, per department, and who is missing."""
    set_etag(response, access.version)
    return service.training_status(app, ref=access.ref, course=course)
