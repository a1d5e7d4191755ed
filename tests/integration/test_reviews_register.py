"""Management reviews on a real SQLite file: stored, listed, refused when wrong, read by the
guard through the snapshot loader."""

from __future__ import annotations

from datetime import date

import pytest

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput, NotFound
from isms_flow.isms.requirements.reviews import ManagementReviewRequirement
from isms_flow.isms.reviews import Attendee, Decision
from isms_flow.services.lookup import find_project
from isms_flow.services.registers.reviews import list_reviews, record_review, show_review
from isms_flow.services.registers.reviews.views import ReviewView
from isms_flow.services.snapshots import evaluation_context, load_snapshot
from isms_flow.workflow.requirements import RequirementResult
from tests.integration.support import event_count, row_count, stored_events
from tests.unit.factories import VOCAB

CEO = Attendee("田中 誠", "CEO", top_management=True)
MANAGER = Attendee("佐藤 由美", "ISMS manager")
NOTES = {key: f"Notes on {key}" for key in "abcdefg"}
DECISIONS = [
    Decision("Automate access reviews", "improvement", "鈴木 健太", date(2026, 6, 30)),
    Decision("Add the cloud CI service to the scope", "change"),
]


def record(app: App, ref: str, **changes: object) -> ReviewView:
    values: dict[str, object] = {
        "held_on": date(2026, 3, 20),
        "attendees": [CEO, MANAGER],
        "inputs": NOTES,
        "decisions": DECISIONS,
    }
    values.update(changes)
    return record_review(app, ref=ref, actor="sato.isms", **values)  # type: ignore[arg-type]


def guard(app: App, ref: str) -> RequirementResult:
    """The management review requirement on the snapshot the services would build."""
    requirement = ManagementReviewRequirement(management_review="complete")
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        snapshot = load_snapshot(uow.session, project, requirement.reads)
        context = evaluation_context(app.clock.now(), project.client.timezone)
    return requirement.evaluate(snapshot, context, VOCAB)


def test_a_review_is_stored_with_its_inputs_and_decisions_and_is_an_event(
    app: App, project_ref: str
) -> None:
    view = record(app, project_ref, inputs={"A": "none open", "9.3.2 c": " two customers "})
    assert view == show_review(app, ref=project_ref, review_id=1)
    [listed] = list_reviews(app, ref=project_ref, lang="ja")
    assert [(i.key, i.notes) for i in listed.inputs][:3] == [
        ("a", "none open"),
        ("b", None),
        ("c", "two customers"),
    ]
    assert listed.inputs[0].label == "前回のマネジメントレビューからの処置の状況"
    assert listed.missing_inputs == ["b", "d", "e", "f", "g"]
    assert listed.top_management_present
    assert [(d.kind, d.kind_title, d.owner) for d in listed.decisions] == [
        ("improvement", "継続的改善", "鈴木 健太"),
        ("change", "ISMSの変更", None),
    ]
    event = stored_events(app)[-1]
    assert (event.type, event.actor) == ("management_review_recorded", "sato.isms")
    assert event.payload["missing_inputs"] == ["b", "d", "e", "f", "g"]
    assert event.payload["inputs"] == {"a": "none open", "c": "two customers"}
    assert event.payload["attendees"][0] == {
        "name": "田中 誠",
        "role": "CEO",
        "top_management": True,
    }
    assert event.payload["outputs"][0] == {
        "decision": "Automate access reviews",
        "kind": "improvement",
        "owner": "鈴木 健太",
        "due": "2026-06-30",
    }


def test_wrong_reviews_are_refused_and_change_nothing(app: App, project_ref: str) -> None:
    record(app, project_ref)
    events, rows = event_count(app), row_count(app, "management_reviews")
    attempts: dict[str, dict[str, object]] = {
        "held on 2026-04-02 is after today (2026-04-01); record a review once it has taken place": {
            "held_on": date(2026, 4, 2)
        },
        "a management review held on 2026-03-20 is already recorded (#1; see "
        "`isms-flow review show`)": {},
        "a management review needs its attendees (--top-management, --attendee)": {
            "held_on": date(2026, 3, 21),
            "attendees": [],
        },
        "attendee '田中 誠' is listed twice": {
            "held_on": date(2026, 3, 21),
            "attendees": [CEO, Attendee(" 田中  誠 ", "")],
        },
        "decision 'Automate': due 2026-03-01 is before the meeting (2026-03-21)": {
            "held_on": date(2026, 3, 21),
            "decisions": [Decision("Automate", "improvement", due=date(2026, 3, 1))],
        },
        "unknown 9.3.2 input 'h' (known: a, b, c, d, e, f, g)": {
            "held_on": date(2026, 3, 21),
            "inputs": {"h": "x"},
        },
        "input d has no notes; leave it out if it was not considered": {
            "held_on": date(2026, 3, 21),
            "inputs": {"d": " "},
        },
    }
    for message, changes in attempts.items():
        with pytest.raises(BadInput) as refused:
            record(app, project_ref, **changes)
        assert str(refused.value) == message
    with pytest.raises(NotFound, match="management review #7 not found"):
        show_review(app, ref=project_ref, review_id=7)
    assert (event_count(app), row_count(app, "management_reviews")) == (events, rows)


def test_the_guard_reads_the_latest_review_from_the_database(app: App, project_ref: str) -> None:
    result = guard(app, project_ref)
    assert (result.met, result.have, result.need) == (False, 0, 9)
    record(app, project_ref, held_on=date(2026, 1, 10))
    assert guard(app, project_ref).met
    without_c = {key: notes for key, notes in NOTES.items() if key != "c"}
    record(app, project_ref, held_on=date(2026, 3, 25), attendees=[MANAGER], inputs=without_c)
    later = guard(app, project_ref)
    assert (later.met, later.have) == (False, 7)
    assert [b.items for b in later.blockers] == [("c",), ("2026-03-25",)]
    assert later.blockers[1].message.en == (
        "management_review: no one from top management attended the review of 2026-03-25 "
        "(attendees: 佐藤 由美 (ISMS manager))"
    )
