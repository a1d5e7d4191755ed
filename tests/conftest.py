"""Shared fixtures: a real database per test (SQLite, and PostgreSQL for integration tests when a
server is named), a frozen clock, the shipped workflows; and how the PostgreSQL half went."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings, bundled_path
from isms_flow.services import clients, projects
from tests.backends import (
    BACKENDS,
    HOW_TO_RUN,
    POSTGRES_URL,
    drop_worker_schema,
    fresh_postgres_url,
    shown_url,
)

# A Rich console fixes its width at creation when COLUMNS is set, and the CLI's consoles are
# created at import, during collection. pytest-xdist workers start with COLUMNS=80, which would
# wrap every line the CLI tests read; they set COLUMNS per call instead.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = bundled_path("workflows")
ISO_WORKFLOW = WORKFLOWS / "iso27001-2022.yaml"
START = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)  # 09:30 in Tokyo
# Test folders whose `app` runs on each backend: unit tests touch no database, and the
# end-to-end and API tests drive the adapters, which the integration tests have covered.
ON_EVERY_BACKEND = (REPO / "tests" / "integration",)
_DESELECTED = pytest.StashKey[int]()


def pytest_configure(config: pytest.Config) -> None:
    """Register the two backend markers, and the xdist hook when xdist runs."""
    config.addinivalue_line(
        "markers", "postgresql: needs the PostgreSQL server (ISMS_FLOW_TEST_POSTGRES_URL)"
    )
    config.addinivalue_line(
        "markers", "sqlite_only(reason): its `app` runs on SQLite only, for the reason given"
    )
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_WorkersReport(config), "isms-flow-workers-report")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each integration test that uses `app` once per backend, unless it is sqlite_only."""
    if "backend" not in metafunc.fixturenames or _parametrizes(metafunc, "backend"):
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return
    if any(metafunc.definition.path.is_relative_to(folder) for folder in ON_EVERY_BACKEND):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def _parametrizes(metafunc: pytest.Metafunc, name: str) -> bool:
    for mark in metafunc.definition.iter_markers("parametrize"):
        names = mark.args[0]
        if name in (names.replace(" ", "").split(",") if isinstance(names, str) else names):
            return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test on PostgreSQL; without a server, set them aside (the summary says so)."""
    for item in items:
        params = getattr(item, "callspec", None)
        if params is not None and "postgresql" in params.params.values():
            item.add_marker(pytest.mark.postgresql)
    if POSTGRES_URL:
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    set_aside = [item for item in items if item.get_closest_marker("postgresql") is not None]
    config.stash[_DESELECTED] = len(set_aside)
    if set_aside:
        config.hook.pytest_deselected(items=set_aside)
        items[:] = kept


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Drop this process's PostgreSQL schema; tell the xdist controller what was set aside."""
    drop_worker_schema()
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["postgresql_deselected"] = session.config.stash.get(_DESELECTED, 0)


class _WorkersReport:
    """On the xdist controller: how many PostgreSQL tests the workers set aside."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_testnodedown(self, node: Any, error: object) -> None:
        """Keep the largest count: every worker collects the whole suite."""
        told = int(getattr(node, "workeroutput", {}).get("postgresql_deselected", 0))
        self.config.stash[_DESELECTED] = max(self.config.stash.get(_DESELECTED, 0), told)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One plain line: how many tests ran on PostgreSQL, or that the half was skipped."""
    if not POSTGRES_URL:
        count = terminalreporter.config.stash.get(_DESELECTED, 0)
        not_run = f" ({count} tests not run)" if count else ""
        line = f"PostgreSQL half skipped{not_run}: {HOW_TO_RUN}"
        terminalreporter.write_line(line, yellow=True, bold=True)
        return
    ran = {
        report.nodeid
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call" and "postgresql" in report.keywords
    }
    terminalreporter.write_line(f"PostgreSQL half: {len(ran)} tests ran on {shown_url()}")


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ISMS_FLOW_* variable of the developer's shell leaks into a test."""
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
def backend(request: pytest.FixtureRequest) -> str:
    """The database under `app`: "sqlite", or each of BACKENDS for integration tests."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def app(
    settings: Settings, clock: FrozenClock, migrated_template: Path, backend: str
) -> Iterator[App]:
    """A wired application on a real, migrated, empty database of its own."""
    if backend == "postgresql":
        settings = settings.model_copy(update={"database_url": fresh_postgres_url()})
    else:
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
