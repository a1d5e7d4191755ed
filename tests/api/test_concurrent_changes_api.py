"""Several callers change one project at once, each with the ETag they read: one wins per version.

Threads of real HTTP clients against the real server (PostgreSQL, and SQLite for comparison):
in each round every thread reads the same ETag and sends a different scope with it. Exactly one
is accepted; the others get 412 (or 409 when they lost inside the same instant) and write
nothing. After all rounds the version moved once per round, the history holds exactly one
`scope_set` per round, and the scope is the last winner's: no update was lost.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from isms_flow.bootstrap import App
from tests.api.conftest import email_of, populate
from tests.api.server import serving
from tests.backends import BACKENDS
from tests.integration.support import stored_events

THREADS = 6
ROUNDS = 5
PROJECT = "/clients/acme/projects/isms"


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_of_concurrent_if_match_changes_exactly_one_wins_per_version(app: App) -> None:
    token = populate(app)[email_of("project_manager")]
    headers = {"Authorization": f"Bearer {token}"}
    winners: list[str] = []
    with serving(app) as url:
        http = [httpx.Client(base_url=url, headers=headers, timeout=60) for _ in range(THREADS)]
        try:
            for round_number in range(ROUNDS):
                etag = http[0].get(PROJECT).headers["ETag"]
                start = threading.Barrier(THREADS)

                def change(
                    index: int, etag: str = etag, start: threading.Barrier = start
                ) -> tuple[int, str | None]:
                    start.wait()
                    response = http[index].put(
                        f"{PROJECT}/scope",
                        json={"units": [f"unit-{index}"]},
                        headers={"If-Match": etag},
                    )
                    return response.status_code, response.headers.get("ETag")

                with ThreadPoolExecutor(THREADS) as pool:
                    answers = list(pool.map(change, range(THREADS)))
                statuses = [status for status, _ in answers]
                assert statuses.count(200) == 1, (round_number, statuses)
                assert set(statuses) <= {200, 409, 412}, statuses
                winner = statuses.index(200)
                # The winner is told the version its own change wrote, nobody else's.
                assert answers[winner][1] == f'"v{round_number + 2}"'
                winners.append(f"unit-{winner}")
            final = http[0].get(PROJECT)
        finally:
            for client in http:
                client.close()
    assert final.headers["ETag"] == f'"v{1 + ROUNDS}"'
    assert winners[-1] in final.json()["scope"]
    scope_events = [e for e in stored_events(app) if e.type == "scope_set"]
    assert [e.payload["scope"]["units"] for e in scope_events] == [[w] for w in winners]
