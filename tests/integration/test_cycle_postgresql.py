"""The forecast on PostgreSQL: the rows are copied into a scratch SQLite file, the real
scheduler runs there, and the server's database is left exactly as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_flow.bootstrap import App, bootstrap
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.services.demo import run_demo
from isms_flow.services.simulation import simulate_schedule
from tests.integration.cycle_support import fingerprint
from tests.integration.deadline_support import REF
from tests.integration.test_cycle_no_action import NOBODY_ACTS, as_table
from tests.integration.test_postgresql import pg_url

__all__ = ["pg_url"]  # fixture used below

pytestmark = pytest.mark.postgresql


@pytest.fixture
def certified_on_postgresql(pg_url: str, tmp_path: Path, clock: FrozenClock) -> Iterator[App]:
    """The demo project walked to `certified` at START, on the server."""
    app = bootstrap(Settings(data_dir=tmp_path, database_url=pg_url, actor="tester"), clock=clock)
    for _ in run_demo(app):
        pass
    yield app
    app.close()


def test_the_forecast_of_a_postgresql_database_runs_on_a_copy(
    certified_on_postgresql: App,
) -> None:
    before = fingerprint(certified_on_postgresql)

    view = simulate_schedule(certified_on_postgresql, until="2029-12-31", ref=REF)

    assert as_table(view) == NOBODY_ACTS
    assert fingerprint(certified_on_postgresql) == before
