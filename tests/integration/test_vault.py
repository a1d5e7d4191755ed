"""Evidence files: stored once by SHA-256, never overwritten, checked against the records."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from isms_flow.bootstrap import App
from isms_flow.errors import BadInput
from isms_flow.services import evidence
from tests.integration.support import MakeFile, event_count, row_count, vault_files

CONTENT = b"Information asset inventory: laptops, servers, customer database"
SHA = hashlib.sha256(CONTENT).hexdigest()


def test_the_same_content_is_stored_once_under_its_sha256(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    first = evidence.add_evidence(
        app, ref=project_ref, kind="asset_inventory", file=make_file("a.xlsx", CONTENT), actor="c"
    )
    second = evidence.add_evidence(
        app,
        ref=project_ref,
        kind="context_analysis",
        file=make_file("copy.xlsx", CONTENT),
        actor="c",
    )
    assert first.sha256 == second.sha256 == SHA
    assert first.id != second.id
    expected = app.vault.root / SHA[:2] / SHA
    assert vault_files(app) == [expected]
    assert expected.read_bytes() == CONTENT
    assert not expected.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_re_uploading_the_current_content_is_refused_and_stores_nothing(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    evidence.add_evidence(
        app, ref=project_ref, kind="asset_inventory", file=make_file("a.xlsx", CONTENT), actor="c"
    )
    events, versions, files = (
        event_count(app),
        row_count(app, "evidence_versions"),
        vault_files(app),
    )
    with pytest.raises(BadInput, match=r"same content as the current version v1"):
        evidence.add_evidence(
            app,
            ref=project_ref,
            kind="asset_inventory",
            file=make_file("renamed.xlsx", CONTENT),
            actor="c",
        )
    assert event_count(app) == events
    assert row_count(app, "evidence_versions") == versions
    assert vault_files(app) == files


def test_an_intact_vault_verifies(app: App, project_ref: str, make_file: MakeFile) -> None:
    for kind, content in [("asset_inventory", "one"), ("context_analysis", "two")]:
        evidence.add_evidence(
            app, ref=project_ref, kind=kind, file=make_file(f"{kind}.txt", content), actor="c"
        )
    report = evidence.verify_vault(app)
    assert report.intact
    assert report.files == 2
    assert report.problems == []


def test_a_missing_file_is_named_with_every_document_that_uses_it(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    inventory = evidence.add_evidence(
        app, ref=project_ref, kind="asset_inventory", file=make_file("a.xlsx", CONTENT), actor="c"
    )
    context = evidence.add_evidence(
        app,
        ref=project_ref,
        kind="context_analysis",
        file=make_file("c.docx", CONTENT),
        actor="c",
    )
    (app.vault.root / SHA[:2] / SHA).unlink()

    report = evidence.verify_vault(app)
    assert not report.intact
    assert report.files == 1
    [problem] = report.problems
    assert problem.sha256 == SHA
    assert problem.problem == "missing"
    assert sorted(problem.used_by) == [
        f"acme/isms #{inventory.id} 'asset_inventory' v1",
        f"acme/isms #{context.id} 'context_analysis' v1",
    ]


def test_a_changed_file_is_named_with_the_document_that_uses_it(
    app: App, project_ref: str, make_file: MakeFile
) -> None:
    evidence.add_evidence(
        app, ref=project_ref, kind="context_analysis", file=make_file("ok.txt", "fine"), actor="c"
    )
    inventory = evidence.add_evidence(
        app, ref=project_ref, kind="asset_inventory", file=make_file("a.xlsx", CONTENT), actor="c"
    )
    path = app.vault.root / SHA[:2] / SHA
    path.chmod(0o644)
    path.write_bytes(CONTENT.replace(b"laptops", b"LAPTOPS"))  # same size, other bytes

    report = evidence.verify_vault(app)
    assert not report.intact
    assert report.files == 2
    [problem] = report.problems
    assert problem.problem == "changed"
    assert problem.sha256 == SHA
    assert problem.used_by == [f"acme/isms #{inventory.id} 'asset_inventory' v1"]


@pytest.mark.parametrize("content", [b"", None], ids=["empty file", "missing file"])
def test_an_empty_or_missing_file_is_refused_and_nothing_is_written(
    app: App, project_ref: str, make_file: MakeFile, content: bytes | None
) -> None:
    path = make_file("upload.pdf", content or b"x")
    if content is None:
        path.unlink()
    else:
        path.write_bytes(content)
    events = event_count(app)
    with pytest.raises(BadInput, match="empty" if content is not None else "not found"):
        evidence.add_evidence(app, ref=project_ref, kind="asset_inventory", file=path, actor="c")
    assert event_count(app) == events
    assert row_count(app, "evidence_documents") == 0
    assert row_count(app, "evidence_versions") == 0
    assert vault_files(app) == []  # not even a temporary upload left behind


def test_a_folder_is_refused_as_evidence(app: App, project_ref: str, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not a regular file"):
        evidence.add_evidence(
            app, ref=project_ref, kind="asset_inventory", file=tmp_path, actor="c"
        )
    assert row_count(app, "evidence_versions") == 0
