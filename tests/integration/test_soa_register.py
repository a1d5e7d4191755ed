"""The SoA register on a real database: init, decide, show, the snapshot parts, the history."""

from __future__ import annotations

import pytest

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.errors import BadInput, NotFound
from isms_flow.isms.soa import Soa, SoaEntry
from isms_flow.services import clients, evidence, history, projects
from isms_flow.services.lookup import find_project
from isms_flow.services.registers import part_loaders
from isms_flow.services.registers import soa as service
from isms_flow.services.registers.soa.register import load_soa
from isms_flow.services.registers.soa.views import SoaChangeView
from tests.integration.support import MakeFile, event_count, row_count, stored_events

POLICY = "The information security policy approved by the CEO"


def decide(app: App, ref: str, *controls: str, **decision: object) -> SoaChangeView:
    """Decide controls as applicable/implemented unless told otherwise."""
    fields: dict[str, object] = {
        "applicable": True,
        "justification": POLICY,
        "status": "implemented",
        "actor": "sato.isms",
    }
    fields.update(decision)
    return service.decide_controls(app, ref=ref, controls=list(controls), **fields)  # type: ignore[arg-type]


def test_init_lists_all_93_controls_once_and_a_second_init_changes_nothing(
    app: App, project_ref: str
) -> None:
    first = service.init_soa(app, ref=project_ref, actor="sato.isms")
    assert (len(first.controls), first.decided, first.total, first.saved) == (93, 0, 93, True)
    assert first.controls[:3] == ["5.1", "5.2", "5.3"]
    events = event_count(app)
    again = service.init_soa(app, ref=project_ref, actor="sato.isms")
    assert (again.controls, len(again.unchanged), again.saved) == ([], 93, False)
    assert event_count(app) == events
    assert row_count(app, "soa_entries") == 93
    assert stored_events(app)[-1].payload == {
        "edition": "ISO/IEC 27001:2022",
        "added": 93,
        "total": 93,
    }


def test_a_decision_is_stored_with_who_and_when_and_recorded_as_one_event(
    app: App, project_ref: str, make_file: MakeFile, clock: FrozenClock
) -> None:
    policy = evidence.add_evidence(
        app, ref=project_ref, kind="information_security_policy", file=make_file("p.pdf"), actor="c"
    )
    view = decide(app, project_ref, "A.5.1", "5.2", risk_keys=["r-004"], evidence_ids=[policy.id])
    assert (view.controls, view.verdict, view.decided, view.saved) == (
        ["5.1", "5.2"],
        "applicable",
        2,
        True,
    )
    (last,) = stored_events(app)[-1:]
    assert (last.type, last.actor) == ("soa_decided", "sato.isms")
    assert last.payload == {
        "controls": ["5.1", "5.2"],
        "verdict": "applicable",
        "justification": POLICY,
        "status": "implemented",
        "risk_keys": ["R-004"],
        "evidence_ids": [policy.id],
    }
    shown = service.show_soa(app, ref=project_ref)
    line = shown.entries[0]
    assert (line.control, line.verdict, line.status_title, line.risk_keys) == (
        "5.1",
        "applicable",
        "Implemented",
        ["R-004"],
    )
    assert line.evidence == [f"#{policy.id} information_security_policy"]
    assert (line.decided_by, line.decided_at) == ("sato.isms", clock.now())
    assert history.verify_history(app).intact


def test_ranges_and_themes_decide_many_controls_in_one_event(app: App, project_ref: str) -> None:
    events = event_count(app)
    view = decide(
        app, project_ref, "7.11-7.12", "8.30", applicable=False, status=None,
        justification="No server room or owned cabling; nothing is outsourced",
    )  # fmt: skip
    assert (view.controls, view.verdict, view.decided) == (["7.11", "7.12", "8.30"], "excluded", 3)
    assert event_count(app) == events + 1
    whole_theme = decide(app, project_ref, "6", status="partial", justification="HR controls")
    assert whole_theme.controls == [f"6.{n}" for n in range(1, 9)]
    assert whole_theme.decided == 11


def test_deciding_the_same_again_changes_nothing_and_writes_no_event(
    app: App, project_ref: str
) -> None:
    decide(app, project_ref, "5.1", "5.2")
    events = event_count(app)
    again = decide(app, project_ref, "5.2", "5.1", "5.3")
    assert (again.controls, again.unchanged, again.saved) == (["5.3"], ["5.1", "5.2"], True)
    same = decide(app, project_ref, "5.3")
    assert (same.controls, same.unchanged, same.saved) == ([], ["5.3"], False)
    assert event_count(app) == events + 1


def test_a_redecision_replaces_the_old_one(app: App, project_ref: str) -> None:
    decide(app, project_ref, "7.4", applicable=False, status=None, justification="No secure area")
    decide(app, project_ref, "7.4", status="planned", justification="New office has a server rack")
    line = service.show_soa(app, ref=project_ref, theme="7").entries[3]
    assert (line.control, line.verdict, line.status, line.justification) == (
        "7.4",
        "applicable",
        "planned",
        "New office has a server rack",
    )


@pytest.mark.parametrize(
    ("controls", "decision", "error", "message"),
    [
        (["5.38"], {}, NotFound, "Annex A control '5.38' not found: did you mean 5.3, 5.8, 5.37?"),
        ([], {}, BadInput, "name at least one control, e.g. 5.15, 7.1-7.14 or a theme such as 7"),
        (["7.4"], {"applicable": False, "status": None, "justification": " "}, BadInput,
         "an excluded control needs a justification"),
        (["5.1"], {"status": None}, BadInput,
         "an applicable control needs an implementation status (planned, partial, implemented)"),
        (["5.1"], {"status": "done"}, BadInput,
         "status 'done' is not planned, partial or implemented"),
        (["7.4"], {"applicable": False, "status": None, "risk_keys": ["R-001"]}, BadInput,
         "an excluded control treats no risk (linked to R-001)"),
        (["5.1"], {"risk_keys": ["risk one"]}, BadInput, "risk key 'risk one' is not like R-004"),
        (["5.1"], {"evidence_ids": [999]}, NotFound,
         "evidence #999 of project acme/isms not found: see `isms-flow evidence list PROJECT`"),
    ],
)  # fmt: skip
def test_bad_decisions_are_refused_with_one_line_and_change_nothing(
    app: App,
    project_ref: str,
    controls: list[str],
    decision: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    events = event_count(app)
    with pytest.raises(error) as refused:
        decide(app, project_ref, *controls, **decision)
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)
    assert (event_count(app), row_count(app, "soa_entries")) == (events, 0)


def test_evidence_of_another_project_cannot_be_linked(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    clients.add_client(app, key="other", name="Other Ltd.", actor="c")
    projects.create_project(app, client_key="other", key="isms", title="ISMS", actor="c")
    theirs = evidence.add_evidence(
        app, ref="other/isms", kind="isms_procedures", file=make_file("x.pdf"), actor="c"
    )
    with pytest.raises(NotFound, match=f"evidence #{theirs.id} of project acme/isms not found"):
        decide(app, project_ref, "5.15", evidence_ids=[theirs.id])


def test_show_reports_progress_counts_and_filters(app: App, project_ref: str) -> None:
    service.init_soa(app, ref=project_ref, actor="sato.isms")
    decide(app, project_ref, "5.1-5.3")
    decide(app, project_ref, "8.11", status="planned", justification="Masking planned for June")
    decide(app, project_ref, "7.12", applicable=False, status=None, justification="No cabling")
    view = service.show_soa(app, ref=project_ref)
    assert (view.decided, view.applicable, view.excluded, view.undecided) == (5, 4, 1, 88)
    assert view.statuses == {"planned": 1, "partial": 0, "implemented": 3}
    assert view.progress == "SoA 5/93 decided"
    assert (view.project, view.client, view.as_of.isoformat()) == (
        "acme/isms",
        "ACME Corp.",
        "2026-04-01",
    )
    assert len(view.entries) == 93 and not view.complete
    assert view.problems[0].startswith("soa_complete: 88 of 93 Annex A controls undecided: 5.4, ")

    undecided = service.show_soa(app, ref=project_ref, undecided_only=True, theme="physical")
    assert [e.control for e in undecided.entries] == [f"7.{n}" for n in range(1, 15) if n != 12]
    assert undecided.filters == {"undecided": "yes", "theme": "7"}
    japanese = service.show_soa(app, ref=project_ref, theme="物理的", lang="ja")
    assert japanese.progress == "適用宣言書 5/93 決定済み"
    assert japanese.entries[11].title == "ケーブル配線のセキュリティ"
    assert japanese.problems[0].startswith("適用宣言書: 附属書A管理策93項目のうち88項目が未決定")


def test_an_unknown_theme_is_refused_naming_the_four(app: App, project_ref: str) -> None:
    with pytest.raises(BadInput) as error:
        service.show_soa(app, ref=project_ref, theme="legal")
    assert str(error.value) == (
        "unknown Annex A theme 'legal' (known: 5 (Organizational), 6 (People), 7 (Physical), "
        "8 (Technological))"
    )


def test_the_snapshot_parts_are_the_pure_soa_and_the_applicable_ids(
    app: App, project_ref: str
) -> None:
    decide(app, project_ref, "5.1", "8.34")
    decide(app, project_ref, "7.4", applicable=False, status=None, justification="No secure area")
    loaders = part_loaders()
    with app.uow() as uow:
        project = find_project(uow.session, project_ref)
        soa = loaders["soa"](uow.session, project)
        applicable = loaders["soa_applicable"](uow.session, project)
    assert loaders["soa"] is load_soa
    assert isinstance(soa, Soa) and soa.decided_count == 3
    assert soa.entry("7.4") == SoaEntry("7.4", False, "No secure area")
    assert soa.entry("5.2") == SoaEntry("5.2")  # not stored: undecided
    assert applicable == frozenset({"5.1", "8.34"})


def test_an_unknown_project_is_not_found(app: App) -> None:
    with pytest.raises(NotFound, match="project nobody/isms not found"):
        service.show_soa(app, ref="nobody/isms")
