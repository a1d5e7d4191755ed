"""Use cases of management reviews: record a meeting, list and show them, load the register."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, NotFound
from isms_flow.i18n import Language
from isms_flow.isms.reviews import (
    DECISION_KINDS,
    REVIEW_INPUTS,
    Attendee,
    Decision,
    ManagementReview,
    ReviewRegister,
    parse_input_key,
)
from isms_flow.services.changes import record_change
from isms_flow.services.lookup import find_project, project_ref
from isms_flow.services.registers.reviews.views import (
    AttendeeView,
    DecisionView,
    ReviewInputView,
    ReviewView,
)
from isms_flow.services.retry import VersionPin, retry_on_conflict
from isms_flow.services.snapshots import evaluation_context
from isms_flow.store.models import ProjectRow
from isms_flow.store.tables.reviews import ManagementReviewRow

__all__ = ["list_reviews", "load_reviews", "load_reviews_of", "record_review", "show_review"]

_LIMITS = {"name": 200, "role": 200, "notes": 4000, "decision": 2000, "owner": 200}


def record_review(
    app: App,
    *,
    ref: str,
    held_on: date,
    attendees: Sequence[Attendee],
    inputs: Mapping[str, str],
    decisions: Sequence[Decision],
    actor: str,
    lang: Language = "en",
) -> ReviewView:
    """Record a management review meeting; inputs not given were not considered."""
    now = app.clock.now()
    people = _attendees(attendees)
    notes = _inputs(inputs)
    outputs = _decisions(decisions, held_on)

    def attempt(pin: VersionPin) -> ReviewView:
        with app.uow() as uow:
            project = find_project(uow.session, ref)
            today = evaluation_context(now, project.client.timezone).today
            if held_on > today:
                raise BadInput(
                    f"held on {held_on.isoformat()} is after today ({today.isoformat()}); "
                    "record a review once it has taken place"
                )
            same_day = _rows(uow.session, project.id, held_on=held_on)
            if same_day:
                raise BadInput(
                    f"a management review held on {held_on.isoformat()} is already recorded "
                    f"(#{same_day[0].id}; see `isms-flow review show`)"
                )
            row = ManagementReviewRow(
                project_id=project.id,
                held_on=held_on,
                attendees=[_attendee_json(person) for person in people],
                inputs=notes,
                outputs=[_decision_json(decision) for decision in outputs],
                created_by=actor,
                created_at=now,
            )
            uow.session.add(row)
            uow.flush()
            review = _review(row)
            payload = {
                "review_id": row.id,
                "held_on": held_on.isoformat(),
                "attendees": row.attendees,
                "inputs": row.inputs,
                "missing_inputs": list(review.missing_inputs),
                "outputs": row.outputs,
            }
            record_change(
                uow,
                project,
                now=now,
                actor=actor,
                type="management_review_recorded",
                payload=payload,
            )
            uow.commit()
            return _view(project, row, lang)

    return retry_on_conflict(attempt)


def list_reviews(app: App, *, ref: str, lang: Language = "en") -> list[ReviewView]:
    """Every management review of a project, oldest first."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        return [_view(project, row, lang) for row in _rows(uow.session, project.id)]


def show_review(app: App, *, ref: str, review_id: int, lang: Language = "en") -> ReviewView:
    """One management review, by its number."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        row = uow.session.get(ManagementReviewRow, review_id)
        if row is None or row.project_id != project.id:
            raise NotFound("management review", f"#{review_id}", hint="see `isms-flow review list`")
        return _view(project, row, lang)


def load_reviews(session: Session, project: Any) -> ReviewRegister:
    """The snapshot part "reviews"."""
    return ReviewRegister.of(_review(row) for row in _rows(session, project.id))


def load_reviews_of(session: Session, projects: Sequence[Any]) -> dict[int, ReviewRegister]:
    """`load_reviews` for many projects: one query, whatever their number."""
    ids = [project.id for project in projects]
    rows: dict[int, list[ManagementReviewRow]] = {project_id: [] for project_id in ids}
    for row in session.scalars(
        select(ManagementReviewRow)
        .where(ManagementReviewRow.project_id.in_(ids))
        .order_by(ManagementReviewRow.held_on, ManagementReviewRow.id)
    ):
        rows[row.project_id].append(row)
    return {
        project_id: ReviewRegister.of(_review(row) for row in rows[project_id])
        for project_id in ids
    }


def _rows(
    session: Session, project_id: int, *, held_on: date | None = None
) -> list[ManagementReviewRow]:
    query = select(ManagementReviewRow).where(ManagementReviewRow.project_id == project_id)
    if held_on is not None:
        query = query.where(ManagementReviewRow.held_on == held_on)
    order = (ManagementReviewRow.held_on, ManagementReviewRow.id)
    return list(session.scalars(query.order_by(*order)))


def _review(row: ManagementReviewRow) -> ManagementReview:
    return ManagementReview(
        id=row.id,
        held_on=row.held_on,
        attendees=tuple(
            Attendee(a["name"], a.get("role", ""), bool(a.get("top_management")))
            for a in row.attendees
        ),
        inputs=tuple((key, row.inputs[key]) for key in REVIEW_INPUTS if key in row.inputs),
        decisions=tuple(
            Decision(
                text=d["decision"],
                kind=d["kind"],
                owner=d.get("owner"),
                due=date.fromisoformat(d["due"]) if d.get("due") else None,
            )
            for d in row.outputs
        ),
    )


def _view(project: ProjectRow, row: ManagementReviewRow, lang: Language) -> ReviewView:
    review = _review(row)
    notes = review.notes
    return ReviewView(
        id=row.id,
        project=project_ref(project),
        held_on=row.held_on,
        attendees=[
            AttendeeView(name=a.name, role=a.role, top_management=a.top_management)
            for a in review.attendees
        ],
        inputs=[
            ReviewInputView(key=key, label=text.in_(lang), notes=notes.get(key))
            for key, text in REVIEW_INPUTS.items()
        ],
        decisions=[
            DecisionView(
                text=d.text,
                kind=d.kind,
                kind_title=DECISION_KINDS[d.kind].in_(lang),
                owner=d.owner,
                due=d.due,
            )
            for d in review.decisions
        ],
        missing_inputs=list(review.missing_inputs),
        top_management_present=bool(review.top_management),
        recorded_by=row.created_by,
        recorded_at=row.created_at,
    )


def _text(what: str, value: str) -> str:
    # Names are one line; notes and decisions keep their line breaks.
    text = value.strip() if what in {"notes", "decision"} else " ".join(value.split())
    if not text:
        raise BadInput(f"{what} must not be empty")
    if len(text) > _LIMITS[what]:
        raise BadInput(f"{what} is {len(text)} characters long; at most {_LIMITS[what]}")
    return text


def _attendees(attendees: Sequence[Attendee]) -> list[Attendee]:
    if not attendees:
        raise BadInput("a management review needs its attendees (--top-management, --attendee)")
    people: dict[str, Attendee] = {}
    for person in attendees:
        name = _text("name", person.name)
        if name.casefold() in people:
            raise BadInput(f"attendee '{name}' is listed twice")
        role = _text("role", person.role) if person.role.strip() else ""
        people[name.casefold()] = Attendee(name, role, person.top_management)
    return list(people.values())


def _inputs(inputs: Mapping[str, str]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for raw_key, raw_notes in inputs.items():
        key = parse_input_key(raw_key)
        if key in notes:
            raise BadInput(f"input {key} is given twice")
        if not raw_notes.strip():
            raise BadInput(f"input {key} has no notes; leave it out if it was not considered")
        notes[key] = _text("notes", raw_notes)
    return {key: notes[key] for key in REVIEW_INPUTS if key in notes}


def _decisions(decisions: Sequence[Decision], held_on: date) -> list[Decision]:
    checked = []
    for decision in decisions:
        text = _text("decision", decision.text)
        if decision.kind not in DECISION_KINDS:
            raise BadInput(f"decision kind '{decision.kind}' must be improvement or change")
        owner = _text("owner", decision.owner) if decision.owner else None
        if decision.due is not None and decision.due < held_on:
            raise BadInput(
                f"decision '{text}': due {decision.due.isoformat()} is before the meeting "
                f"({held_on.isoformat()})"
            )
        checked.append(Decision(text, decision.kind, owner, decision.due))
    return checked


def _attendee_json(person: Attendee) -> dict[str, Any]:
    return {"name": person.name, "role": person.role, "top_management": person.top_management}


def _decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "decision": decision.text,
        "kind": decision.kind,
        "owner": decision.owner,
        "due": decision.due.isoformat() if decision.due else None,
    }
