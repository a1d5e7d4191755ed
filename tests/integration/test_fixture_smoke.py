"""The shared fixtures give a working application on a real SQLite file."""

from isms_flow.bootstrap import App
from isms_flow.services import projects


def test_new_project_starts_at_scoping(app: App, project_ref: str) -> None:
    status = projects.project_status(app, ref=project_ref)
    assert status.project.state == "scoping"
    assert [t.trigger for t in status.triggers] == ["advance", "cancel"]
