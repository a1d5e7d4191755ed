"""CSV import and export of the risk register: all rows or none, and a lossless round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.services import clients, projects
from isms_flow.services.registers import risks as service
from tests.integration.support import event_count, row_count, stored_events

ASSETS = """\
key,name,owner,confidentiality,integrity,availability,description
A-001,顧客データベース,suzuki.it,3,3,3,RDS
,Laptops,suzuki.it,3,2,2,52 MacBooks
"""
RISKS = """\
key,asset,threat,vulnerability,owner,likelihood,impact,treatment,controls,treatment_owner,\
treatment_due,residual_likelihood,residual_impact
R-001,A-001,不正アクセス,No MFA,suzuki.it,4,5,modify,5.15;8.5,suzuki.it,2026-06-30,2,4
,A-002,Laptop theft,Local copies,suzuki.it,4,3,avoid,7.10,suzuki.it,2026-05-31,1,3
R-010,,Earthquake,One office,tanaka.ceo,2,4,retain,,,,,
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def imported(app: App, ref: str, folder: Path) -> None:
    """The assets and risks above, imported into `ref`."""
    service.import_register(
        app, ref=ref, kind="assets", file=write(folder, "assets.csv", ASSETS), actor="sato"
    )
    service.import_register(
        app, ref=ref, kind="risks", file=write(folder, "risks.csv", RISKS), actor="sato"
    )


def test_a_good_file_is_imported_as_one_event_with_free_keys_given(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    imported(app, project_ref, tmp_path)
    assert [a.key for a in service.list_assets(app, ref=project_ref)] == ["A-001", "A-002"]
    risks = service.list_risks(app, ref=project_ref).risks
    assert [(r.key, r.rating, r.treatment, r.residual_rating) for r in risks] == [
        ("R-001", 20, "modify", 8),
        ("R-010", 8, "retain", 8),
        ("R-011", 12, "avoid", 3),
    ]
    assert [r.flags for r in risks] == [["acceptance_missing"], ["acceptance_missing"], []]
    events = stored_events(app)[-2:]
    assert [e.type for e in events] == ["assets_imported", "risks_imported"]
    assert events[1].payload["added"] == ["R-001", "R-011", "R-010"]  # in the file's order
    assert events[1].payload["file"] == "risks.csv"


def test_bad_rows_are_each_reported_by_line_and_nothing_is_saved(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    imported(app, project_ref, tmp_path)
    before = (event_count(app), row_count(app, "risks"))
    bad = write(
        tmp_path,
        "bad.csv",
        "key,threat,owner,likelihood,impact,treatment,controls,residual_likelihood,residual_impact\n"
        "R-020,Good new risk,sato,2,2,,,,\n"
        "R-021,Bad score,sato,9,1,,,,\n"
        "R-001,,suzuki.it,4,5,modify,5.15,2,4\n"
        "R-022,Retained,sato,3,3,retain,8.1,,\n"
        "R-010,Earthquake,tanaka.ceo,1,4,retain,,,\n"
        "R-023,Worse after,sato,2,2,modify,8.1,3,3\n",
    )
    with pytest.raises(BadInput) as error:
        service.import_register(app, ref=project_ref, kind="risks", file=bad, actor="sato")
    assert str(error.value) == (
        "bad.csv: 4 bad rows, nothing was imported:\n"
        "  line 3: likelihood 9 is outside the risk method's scale 1–5 "
        "(5 × 5, acceptable up to 6)\n"
        "  line 4: R-001: the threat must not be empty\n"
        "  line 5: R-022: retain keeps the risk as it is: it takes no Annex A controls\n"
        "  line 7: R-023: residual rating 9 is above the rating 4 before treatment: a treatment "
        "does not raise a risk"
    )
    assert (event_count(app), row_count(app, "risks")) == before
    assert service.list_risks(app, ref=project_ref).risks[1].rating == 8  # R-010 untouched


def test_a_file_with_an_unusable_header_is_refused_naming_the_file(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    file = write(tmp_path, "wrong.csv", "name,owner\nDB,suzuki\n")
    with pytest.raises(BadInput) as error:
        service.import_register(app, ref=project_ref, kind="assets", file=file, actor="sato")
    assert str(error.value).startswith(
        "wrong.csv: nothing was imported: line 1: missing column confidentiality, integrity, "
        "availability"
    )
    with pytest.raises(BadInput, match=r"nowhere\.csv: no such file"):
        service.import_register(
            app, ref=project_ref, kind="risks", file=tmp_path / "nowhere.csv", actor="sato"
        )
    sjis = tmp_path / "sjis.csv"
    sjis.write_bytes("threat,owner\n漏えい,佐藤\n".encode("cp932"))
    with pytest.raises(BadInput, match=r"sjis\.csv: line 2: not utf-8-sig text"):
        service.import_register(app, ref=project_ref, kind="risks", file=sjis, actor="sato")
    done = service.import_register(
        app, ref=project_ref, kind="risks", file=sjis, actor="sato", encoding="cp932"
    )
    assert done.added == ["R-001"]


def test_export_then_import_into_another_project_gives_the_same_register(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    imported(app, project_ref, tmp_path)
    service.accept_risk(app, ref=project_ref, key="R-001", actor="suzuki.it")
    assets_file, risks_file = tmp_path / "out-assets.csv", tmp_path / "out-risks.csv"
    assert service.export_register(app, ref=project_ref, kind="assets", file=assets_file).rows == 2
    assert service.export_register(app, ref=project_ref, kind="risks", file=risks_file).rows == 3
    assert risks_file.read_bytes().startswith(b"\xef\xbb\xbfkey,asset,threat")

    projects.create_project(app, client_key="acme", key="copy", title="Copy", actor="c")
    service.import_register(app, ref="acme/copy", kind="assets", file=assets_file, actor="sato")
    copied = service.import_register(
        app, ref="acme/copy", kind="risks", file=risks_file, actor="sato"
    )
    assert copied.added == ["R-001", "R-010", "R-011"]

    def comparable(ref: str) -> list[dict[str, object]]:
        views = service.list_risks(app, ref=ref).risks
        skip = {"accepted_by", "accepted_at", "accepted_rating", "acceptance", "flags",
                "flag_titles", "stale_reason"}  # fmt: skip
        return [view.model_dump(exclude=skip) for view in views]

    assert comparable("acme/copy") == comparable(project_ref)
    # an acceptance is never imported: the owner of the copy must give it
    first = service.list_risks(app, ref="acme/copy").risks[0]
    assert (first.key, first.acceptance) == ("R-001", "missing")

    again = service.import_register(app, ref=project_ref, kind="risks", file=risks_file, actor="s")
    assert (again.saved, again.unchanged, again.added, again.changed) == (False, 3, [], [])


def test_an_import_that_re_scores_an_accepted_risk_says_its_acceptance_is_stale(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    imported(app, project_ref, tmp_path)
    service.accept_risk(app, ref=project_ref, key="R-001", actor="suzuki.it")
    header = "key,threat,owner,residual_likelihood,residual_impact\n"
    rescore = write(tmp_path, "rescore.csv", header + "R-001,不正アクセス,suzuki.it,3,4\n")
    view = service.import_register(app, ref=project_ref, kind="risks", file=rescore, actor="sato")
    assert (view.changed, view.stale) == (["R-001"], ["R-001"])
    risk = service.list_risks(app, ref=project_ref).risks[0]
    assert (risk.rating, risk.residual_rating, risk.acceptance) == (20, 12, "stale")
    assert risk.vulnerability == "No MFA"  # columns the file lacks stay as they were


def test_another_clients_project_cannot_be_the_target_by_a_bare_ambiguous_key(
    app: App, project_ref: str, tmp_path: Path
) -> None:
    clients.add_client(app, key="beta", name="Beta", actor="c")
    projects.create_project(app, client_key="beta", key="isms", title="ISMS", actor="c")
    with pytest.raises(BadInput, match="project 'isms' is ambiguous"):
        service.import_register(
            app, ref="isms", kind="assets", file=write(tmp_path, "a.csv", ASSETS), actor="s"
        )
