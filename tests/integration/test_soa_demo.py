"""The demo's SoA: all 93 controls decided realistically, in one import, linked to risks and
documents, and never excluding a control a risk treatment chose."""

from __future__ import annotations

from pathlib import Path

from isms_flow.bootstrap import App
from isms_flow.isms.requirements.soa import SoaCompleteRequirement
from isms_flow.services import evidence
from isms_flow.services.registers import demo_fillers
from isms_flow.services.registers import soa as service
from tests.integration.support import MakeFile, execute, stored_events

EXCLUDED = ["7.4", "7.6", "7.11", "7.12", "8.30"]


def fill(app: App, ref: str, folder: Path) -> list[str]:
    """Run the demo filler of `soa_complete`; return the lines it printed."""
    filler = demo_fillers()["soa_complete"]
    requirement = SoaCompleteRequirement(soa_complete=True)
    return [step.text for step in filler(app, ref, requirement, folder, "en")]


def test_the_demo_decides_every_control_with_defensible_exclusions(
    app: App, project_ref: str, make_file: MakeFile, tmp_path: Path
) -> None:
    policy = evidence.add_evidence(
        app, ref=project_ref, kind="information_security_policy", file=make_file("p.md"), actor="c"
    )
    procedures = evidence.add_evidence(
        app, ref=project_ref, kind="isms_procedures", file=make_file("proc.md"), actor="c"
    )
    lines = fill(app, project_ref, tmp_path)
    assert lines == [
        "SoA initialised: 93 Annex A controls",
        "SoA imported from statement-of-applicability.csv: 93/93 controls decided — "
        "88 applicable (1 planned, 5 partial, 82 implemented), 5 excluded: "
        "7.4, 7.6, 7.11, 7.12, 8.30",
    ]
    view = service.show_soa(app, ref=project_ref)
    assert (view.complete, view.problems, view.decided) == (True, [], 93)
    by_id = {e.control: e for e in view.entries}
    assert [c for c, e in by_id.items() if e.verdict == "excluded"] == EXCLUDED
    assert "production runs on AWS" in by_id["7.4"].justification
    assert by_id["8.11"].status == "planned"
    assert by_id["5.1"].evidence_ids == [policy.id]
    assert by_id["5.15"].evidence_ids == [procedures.id]
    assert all(len(e.justification) > 40 for e in view.entries)
    assert {e.decided_by for e in view.entries} == {"sato.isms"}
    assert [e.type for e in stored_events(app)[-2:]] == ["soa_initialised", "soa_imported"]


def test_a_control_a_risk_treatment_chose_is_kept_applicable_and_linked_to_the_risk(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    execute(
        app,
        "INSERT INTO risks (project_id, key, threat, vulnerability, owner, controls) "
        "SELECT id, 'R-007', 'Intruder in the office', 'No monitoring', 'suzuki.it', "
        "'[\"7.4\", \"5.15\"]' FROM projects WHERE key = 'isms'",
    )
    lines = fill(app, project_ref, tmp_path)
    assert lines[-1].endswith(
        "4 excluded: 7.6, 7.11, 7.12, 8.30; "
        "the 2 controls chosen in risk treatments are all applicable"
    )
    view = service.show_soa(app, ref=project_ref)
    by_id = {e.control: e for e in view.entries}
    assert (by_id["7.4"].verdict, by_id["7.4"].risk_keys) == ("applicable", ["R-007"])
    assert by_id["5.15"].risk_keys == ["R-007"]
    assert view.complete
