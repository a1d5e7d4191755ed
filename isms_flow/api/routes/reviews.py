"""Management reviews (9.3): who attended, the 9.3.2 inputs considered, the decisions taken."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, status
from pydantic import Field

from isms_flow.api.context import PageRequestDep
from isms_flow.api.deps import LangDep
from isms_flow.api.pagination import Page
from isms_flow.api.registers import (
    CHANGE,
    PROJECT_PATH,
    READ,
    Body,
    ChangeRegister,
    ReadRegister,
    RowId,
)
from isms_flow.isms.reviews import Attendee, Decision, DecisionKind
from isms_flow.services.registers import reviews as service
from isms_flow.services.registers.reviews.views import ReviewView

router = APIRouter(prefix=f"{PROJECT_PATH}/reviews", tags=["reviews"])


class NewAttendee(Body):
    """A person at the meeting; `top_management` marks those who direct the organization."""

    name: str
    role: str = ""
    top_management: bool = False

    def attendee(self) -> Attendee:
        """As the service takes it."""
        return Attendee(self.name, self.role, self.top_management)


class NewDecision(Body):
    """A 9.3.3 output: on continual improvement, or a change to the ISMS."""

    text: str
    kind: DecisionKind
    owner: str | None = None
    due: date | None = None

    def decision(self) -> Decision:
        """As the service takes it."""
        return Decision(self.text, self.kind, self.owner, self.due)


class NewReview(Body):
    """A management review meeting; 9.3.2 inputs left out count as not considered."""

    held_on: date
    attendees: list[NewAttendee]
    inputs: dict[str, str] = Field(
        default={}, description="Notes per 9.3.2 input considered, by item letter a–g"
    )
    decisions: list[NewDecision] = Field(default=[], description="The 9.3.3 outputs")


@router.get("", openapi_extra=READ)
def list_reviews(lang: LangDep, read: ReadRegister, paging: PageRequestDep) -> Page[ReviewView]:
    """Every management review, oldest first."""
    return paging.page(
        service.list_reviews(read.app, ref=read.ref, lang=lang),
        key=lambda v: (v.held_on.isoformat(), v.id),
    )


@router.get("/{review_id}", openapi_extra=READ)
def show_review(lang: LangDep, read: ReadRegister, review_id: RowId) -> ReviewView:
    """One management review: attendees, the seven inputs with notes, the decisions."""
    return service.show_review(read.app, ref=read.ref, review_id=review_id, lang=lang)


@router.post("", status_code=status.HTTP_201_CREATED, openapi_extra=CHANGE)
def record_review(lang: LangDep, change: ChangeRegister, body: NewReview) -> ReviewView:
    """Record a management review; what an auditor would find missing comes back with it."""
    with change.applying():
        return service.record_review(
            change.app,
            ref=change.ref,
            held_on=body.held_on,
            attendees=[person.attendee() for person in body.attendees],
            inputs=body.inputs,
            decisions=[decision.decision() for decision in body.decisions],
            actor=change.actor,
            lang=lang,
        )
