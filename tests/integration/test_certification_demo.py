"""The demo fills the management review, the quotes and the certificate the way a client
would, and that satisfies their guards."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from isms_flow.bootstrap import App
from isms_flow.services.lookup import find_project
from isms_flow.services.registers import certification, demo_fillers, reviews
from isms_flow.services.snapshots import evaluation_context, load_snapshot
from isms_flow.workflow.requirements import Requirement, parse_requirement

REVIEW = parse_requirement({"management_review": "complete"})
QUOTES = parse_requirement({"cb_quotes": "compared"})
CERTIFICATE = parse_requirement({"certificate_valid": True})


def fill(app: App, ref: str, tmp_path: Path, requirement: Requirement) -> list[str]:
    """Run the registered demo filler of a requirement; return the lines it printed."""
    filler = demo_fillers()[requirement.type_key]
    return [step.text for step in filler(app, ref, requirement, tmp_path, "en")]


def unmet(app: App, ref: str, requirement: Requirement) -> list[str]:
    """The blockers of `requirement` on the stored registers."""
    with app.uow() as uow:
        project = find_project(uow.session, ref)
        snapshot = load_snapshot(uow.session, project, requirement.reads)
        ctx = evaluation_context(app.clock.now(), project.client.timezone)
    vocab = app.catalog.get("iso27001-2022").definition.vocabulary
    return [b.message.en for b in requirement.evaluate(snapshot, ctx, vocab).blockers]


def test_the_demo_review_has_top_management_all_inputs_and_two_decisions(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    assert len(unmet(app, project_ref, REVIEW)) == 1
    [line] = fill(app, project_ref, tmp_path, REVIEW)
    assert line == (
        "management review #1 of 2026-03-26 recorded: 5 attendees (2 from top management), "
        "9.3.2 inputs a–g considered, 2 decisions"
    )
    assert unmet(app, project_ref, REVIEW) == []
    [review] = reviews.list_reviews(app, ref=project_ref)
    top = [a.name for a in review.attendees if a.top_management]
    assert top == ["田中 誠", "伊藤 悠真"]
    assert all(len(i.notes or "") > 60 for i in review.inputs)  # real notes, not placeholders
    assert {d.kind for d in review.decisions} == {"improvement", "change"}
    assert all(d.owner and d.due for d in review.decisions)
    assert fill(app, project_ref, tmp_path, REVIEW) == []  # a second run adds nothing


def test_the_demo_compares_three_quotes_flags_the_thin_one_and_selects_jqa(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    lines = fill(app, project_ref, tmp_path, QUOTES)
    assert lines[:3] == [
        "quote #1 from JQA (Japan Quality Assurance Organization) (ISMS-AC): 8.5 audit days, "
        "JPY 1,650,000",
        "quote #2 from BSI Group Japan (UKAS): 9 audit days, JPY 1,890,000",
        "quote #3 from Sakura Certification Services (ISMS-AC): 5.5 audit days, JPY 990,000",
    ]
    assert lines[3] == (
        "quotes compared: the ISO/IEC 27006 chart suggests 8.5 audit days for 45 people in scope"
    )
    assert lines[4].startswith("JQA (Japan Quality Assurance Organization) selected: ISMS-AC")
    assert unmet(app, project_ref, QUOTES) == []
    view = certification.compare_quotes(app, ref=project_ref, headcount=45)
    assert [row.outlier for row in view.rows] == [False, False, True]
    assert view.suggested_days == Decimal("8.5") and view.selected_id == 1
    assert len(fill(app, project_ref, tmp_path, QUOTES)) == 1  # only the comparison again


def test_the_demo_certificate_comes_from_the_selected_body(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    fill(app, project_ref, tmp_path, QUOTES)
    assert unmet(app, project_ref, CERTIFICATE)[0].startswith("certificate_valid: no certificate")
    [line] = fill(app, project_ref, tmp_path, CERTIFICATE)
    assert line == (
        "certificate JQA-IM2417 recorded: issued by JQA (Japan Quality Assurance Organization) "
        "on 2026-04-01, expires 2029-04-01 (ISO/IEC 27001:2022 (JIS Q 27001:2023))"
    )
    assert unmet(app, project_ref, CERTIFICATE) == []
    assert fill(app, project_ref, tmp_path, CERTIFICATE) == []
