"""Shared fixtures: a real SQLite file per test, a frozen clock, the shipped workflows."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings, bundled_path
from isms_flow.services import clients, projects

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = bundled_path("workflows")
ISO_WORKFLOW = WORKFLOWS / "iso27001-2022.yaml"
START = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)  # 09:30 in Tokyo


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ISMS_FLOW_* variable of the developer's shell leaks into a test."""
    import os

    for name in list(os.environ):
        if name.startswith("ISMS_FLOW_") and not name.startswith("ISMS_FLOW_TEST_"):
            monkeypatch.delenv(name)


@pytest.fixture
def clock() -> FrozenClock:
    """A clock frozen at START; tests move it explicitly."""
    return FrozenClock(START)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a fresh SQLite file and vault under tmp_path."""
    return Settings(data_dir=tmp_path / "data", actor="tester")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session; each test gets its own copy."""
    folder = tmp_path_factory.mktemp("template")
    template = bootstrap(Settings(data_dir=folder, actor="tester"))
    template.close()
    return folder / "isms-flow.db"


@pytest.fixture
def app(settings: Settings, clock: FrozenClock, migrated_template: Path) -> Iterator[App]:
    """A wired application on a real, migrated SQLite file of its own."""
    database = settings.data_dir / "isms-flow.db"
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated_template, database)
    application = bootstrap(settings, clock=clock)
    yield application
    application.close()


@pytest.fixture
def project_ref(app: App) -> str:
    """A client `acme` with project `isms` at the first stage; returns `acme/isms`."""
    clients.add_client(app, key="acme", name="ACME Corp.", actor="consultant")
    projects.create_project(
        app, client_key="acme", key="isms", title="ISMS certification", actor="consultant"
    )
    return "acme/isms"


@pytest.fixture
def make_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a small evidence file and return its path: make_file('name.pdf', 'content')."""
    folder = tmp_path / "files"
    folder.mkdir(exist_ok=True)

    def _make(name: str, content: str | bytes = "evidence") -> Path:
        path = folder / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return _make
