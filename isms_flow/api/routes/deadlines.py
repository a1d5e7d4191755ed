"""Deadlines: what is due when, as a list or an iCalendar feed, and a client's reminder days."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import Field

from isms_flow.accounts import Action
from isms_flow.api.context import PageRequestDep
from isms_flow.api.deps import AppDep, LangDep, PrincipalDep, client_for, project_for, requires
from isms_flow.api.files import attachment
from isms_flow.api.pagination import Page
from isms_flow.api.registers import Body
from isms_flow.services import deadlines
from isms_flow.services.accounts import ClientAccess, ProjectAccess
from isms_flow.services.deadlines.views import ClientRemindersView, DeadlineView

router = APIRouter(prefix="/clients/{client}", tags=["deadlines"])

ReadProject = Annotated[ProjectAccess, Depends(project_for(Action.READ_PROJECT))]
ReadClient = Annotated[ClientAccess, Depends(client_for(Action.READ_PROJECT))]
ManageRecipients = Annotated[ClientAccess, Depends(client_for(Action.MANAGE_RECIPIENTS))]

_CALENDAR: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {}}, "description": "An iCalendar (.ics) file"}
}


class ReminderDays(Body):
    """Days before the due date a client's reminders go out, for one deadline kind or all."""

    kind: str | None = Field(default=None, max_length=64, description="Default: every kind")
    days: list[int] | None = Field(
        min_length=1,
        max_length=20,
        description="e.g. [60, 14, 3]; null removes the client's own days",
    )


@router.get("/projects/{project}/deadlines", openapi_extra=requires(Action.READ_PROJECT))
def list_deadlines(
    app: AppDep,
    lang: LangDep,
    access: ReadProject,
    paging: PageRequestDep,
    include_all: Annotated[
        bool, Query(alias="all", description="Also deadlines already met or cancelled")
    ] = False,
) -> Page[DeadlineView]:
    """The project's deadlines, soonest first: days left, status, what happens if missed."""
    listing = deadlines.list_deadlines(app, ref=access.ref, lang=lang, include_all=include_all)
    return paging.page(listing.deadlines, key=lambda d: (d.due_on.isoformat(), d.key))


@router.get(
    "/projects/{project}/calendar.ics",
    response_class=Response,
    responses=_CALENDAR,
    openapi_extra=requires(Action.READ_PROJECT),
)
def calendar(app: AppDep, lang: LangDep, access: ReadProject) -> Response:
    """The open deadlines as iCalendar events with reminder alarms; re-importing updates them."""
    data = deadlines.calendar_ics(app, ref=access.ref, lang=lang)
    name = access.ref.replace("/", "-") + ".ics"
    return Response(
        content=data, media_type="text/calendar", headers={"Content-Disposition": attachment(name)}
    )


@router.get("/reminders", openapi_extra=requires(Action.READ_PROJECT))
def get_reminders(app: AppDep, lang: LangDep, access: ReadClient) -> ClientRemindersView:
    """The client's own reminder days and the days each deadline kind uses."""
    return deadlines.show_client_reminders(app, client=access.key, lang=lang)


@router.put("/reminders", openapi_extra=requires(Action.MANAGE_RECIPIENTS))
def set_reminders(
    app: AppDep,
    principal: PrincipalDep,
    lang: LangDep,
    access: ManageRecipients,
    body: ReminderDays,
) -> ClientRemindersView:
    """Set the client's reminder days for a kind (or all); `days: null` removes them."""
    return deadlines.set_client_reminders(
        app,
        client=access.key,
        actor=principal.actor,
        days=",".join(str(day) for day in body.days) if body.days is not None else None,
        kind=body.kind,
        clear=body.days is None,
        lang=lang,
    )
