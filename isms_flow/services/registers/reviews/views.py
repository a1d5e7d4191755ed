"""Result models of the management review use cases: what the CLI prints or `--json` gives."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from isms_flow.isms.reviews import DecisionKind

__all__ = ["AttendeeView", "DecisionView", "ReviewInputView", "ReviewView"]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class AttendeeView(_View):
    """A person at the meeting."""

    name: str
    role: str
    top_management: bool


class ReviewInputView(_View):
    """One 9.3.2 input: its item letter, its label, and the notes (None: not considered)."""

    key: str
    label: str
    notes: str | None


class DecisionView(_View):
    """One 9.3.3 output."""

    text: str
    kind: DecisionKind
    kind_title: str
    owner: str | None
    due: date | None


class ReviewView(_View):
    """One management review, with what an auditor would find missing in it."""

    id: int
    project: str
    held_on: date
    attendees: list[AttendeeView]
    inputs: list[ReviewInputView]
    decisions: list[DecisionView]
    missing_inputs: list[str]
    top_management_present: bool
    recorded_by: str
    recorded_at: datetime
