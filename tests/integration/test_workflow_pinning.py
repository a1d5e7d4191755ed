"""A project pinned to a workflow version notices when that version's file is edited."""

from __future__ import annotations

import shutil
from pathlib import Path

from isms_flow.bootstrap import bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.services import clients, projects
from tests.conftest import ISO_WORKFLOW


def test_status_warns_when_the_pinned_workflow_file_was_edited_in_place(
    tmp_path: Path, clock: FrozenClock
) -> None:
    folder = tmp_path / "workflows"
    folder.mkdir()
    copy = folder / ISO_WORKFLOW.name
    shutil.copyfile(ISO_WORKFLOW, copy)
    settings = Settings(data_dir=tmp_path / "data", workflow_dirs=[folder], actor="t")
    first = bootstrap(settings, clock=clock)
    clients.add_client(first, key="acme", name="ACME", actor="c")
    projects.create_project(first, client_key="acme", key="isms", title="ISMS", actor="c")
    assert not projects.project_status(first, ref="acme/isms").workflow_file_changed
    first.close()

    copy.write_text(copy.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    second = bootstrap(settings, clock=clock)
    try:
        assert projects.project_status(second, ref="acme/isms").workflow_file_changed
    finally:
        second.close()
