"""The demo's management review: the CEO and the executive in charge of development review the
ISMS with the ISMS manager before Stage 1, consider all seven 9.3.2 inputs and decide two things.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from isms_flow.bootstrap import App
from isms_flow.i18n import Language
from isms_flow.isms.reviews import Attendee, Decision
from isms_flow.services.demo import DemoStep
from isms_flow.services.lookup import find_project
from isms_flow.services.registers.reviews.register import list_reviews, record_review
from isms_flow.services.snapshots import evaluation_context

if TYPE_CHECKING:
    from isms_flow.workflow.requirements import Requirement

__all__ = ["fill_review"]

_RECORDER = "sato.isms"

_ATTENDEES = (
    Attendee("田中 誠", "Representative Director & CEO", top_management=True),
    Attendee("伊藤 悠真", "Executive Officer, Development division", top_management=True),
    Attendee("佐藤 由美", "ISMS manager", top_management=False),
    Attendee("鈴木 健太", "Infrastructure manager", top_management=False),
    Attendee("山田 直樹", "QA manager, internal audit lead", top_management=False),
)

_NOTES = {
    "a": "First management review of the ISMS, so no actions of an earlier review are open. "
    "The steering committee's kick-off actions (scope, budget, choice of certification body) "
    "are all closed.",
    "b": "External: the revised APPI guidelines on transfers abroad; customers now ask for "
    "ISMS certification in RFPs. Internal: the build pipeline moved to a managed cloud CI "
    "service; Development Dept. 2 grew by six engineers.",
    "c": "Two key customers now require a yearly security questionnaire and incident "
    "notification within 72 hours; the parent company asks for quarterly security KPIs.",
    "d": "Internal audit: no major and two minor nonconformities, both with accepted corrective "
    "action plans. Phishing drill click rate down from 9% to 4%; critical patches applied "
    "within 14 days on 92% of hosts. Four of five security objectives on track.",
    "e": "One customer complained about a slow answer to a security questionnaire; the "
    "certification body's application review raised no questions.",
    "f": "Every risk above the acceptance level has a treatment and the owners accepted the "
    "residual risks. Risk treatment plan on schedule; three actions fall due next quarter.",
    "g": "Automate access reviews in the identity provider; merge the asset inventory into the "
    "CMDB; add role-based secure coding training for developers.",
}


def fill_review(
    app: App, ref: str, requirement: Requirement, folder: Path, lang: Language
) -> Iterator[DemoStep]:
    """Record last week's management review, unless one is already recorded."""
    if list_reviews(app, ref=ref, lang=lang):
        return
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        today = evaluation_context(app.clock.now(), project.client.timezone).today
    held_on = today - timedelta(days=6)
    decisions = (
        Decision(
            "Automate the quarterly access reviews in the identity provider",
            "improvement",
            owner="鈴木 健太",
            due=held_on + timedelta(days=90),
        ),
        Decision(
            "Bring the managed cloud CI service into the ISMS scope and the asset inventory",
            "change",
            owner="佐藤 由美",
            due=held_on + timedelta(days=60),
        ),
    )
    view = record_review(
        app,
        ref=ref,
        held_on=held_on,
        attendees=_ATTENDEES,
        inputs=_NOTES,
        decisions=decisions,
        actor=_RECORDER,
        lang=lang,
    )
    top = sum(1 for person in view.attendees if person.top_management)
    yield DemoStep(
        "evidence",
        f"management review #{view.id} of {view.held_on} recorded: {len(view.attendees)} "
        f"attendees ({top} from top management), 9.3.2 inputs a–g considered, "
        f"{len(view.decisions)} decisions",
        tuple(f"{d.kind_title}: {d.text} ({d.owner}, due {d.due})" for d in view.decisions),
    )
