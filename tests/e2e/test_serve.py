"""`isms-flow serve`: the API and the scheduler in one command, a demo token, a clean stop.

Every test starts the real command in a subprocess on a free loopback port with its own data
folder, talks HTTP to it, and stops it with a signal as a terminal or a service manager would.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.served import Served, environment

DEMO_ADMIN = "demo-admin@demo-corp.example"
STARTED_WORKER = re.compile(r"^Started server process \[(\d+)\]$")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The working folder of the command; its data goes to `data/` inside."""
    return tmp_path


@pytest.fixture
def served(folder: Path) -> Iterator[list[Served]]:
    """Servers a test starts; whatever is still running at the end is killed."""
    started: list[Served] = []
    yield started
    for server in started:
        server.kill()


def start(served: list[Served], folder: Path, *args: str, **kwargs: tuple[str, ...]) -> Served:
    """Start `serve` with `args` on a free port."""
    server = Served(folder, free_port(), *args, **kwargs)
    served.append(server)
    return server


def ticks_by(server: Served) -> set[int]:
    """The pids of the processes whose scheduler ticked (the worker id is host:pid:nonce)."""
    return {
        int(event["worker"].split(":")[1])
        for event in server.log_events()
        if event.get("event") == "tick"
    }


def assert_clean_stop(server: Served, status: int) -> None:
    """Exit 0, no traceback, and the last line says so."""
    assert status == 0, server.transcript()
    assert "Traceback" not in "\n".join(server.err), server.transcript()
    assert server.out[-1] == "server stopped", server.transcript()


def cli_json(folder: Path, *args: str) -> Any:
    """Run a read command with --json on the same data; its JSON document."""
    done = subprocess.run(
        [sys.executable, "-m", "isms_flow", *args, "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=folder,
        env=environment(folder / "data"),
        timeout=180,
        check=True,
    )
    return json.loads(done.stdout)


def test_serve_seeds_the_demo_and_its_token_works_until_ctrl_c(
    folder: Path, served: list[Served]
) -> None:
    server = start(served, folder, "--seed-demo")
    token = server.token()
    server.wait_until_serving()
    assert server.get("/health").json() == {"status": "ok"}
    me = server.get("/me", token)
    assert me.status_code == 200, me.text
    assert me.json()["email"] == DEMO_ADMIN
    assert me.json()["roles"] == [{"client": "demo-corp", "role": "admin"}]
    assert me.headers["X-Request-ID"]
    assert server.get("/me").status_code == 401
    printed = "\n".join(server.out)
    assert "demo data created: client demo-corp, project demo-corp/isms-cert" in printed
    assert f"isms-flow API at {server.url} (documentation: {server.url}/docs)" in printed
    assert f'curl -H "Authorization: Bearer {token}" {server.url}/me' in printed
    assert f"scheduler: runs in this process (pid {server.pid})" in printed
    # The first tick runs at start, in this very process.
    server.wait_for("a scheduler tick", lambda: server.pid in ticks_by(server))
    assert_clean_stop(server, server.stop(signal.SIGINT))


def test_a_second_start_keeps_the_data_and_prints_a_new_working_token(
    folder: Path, served: list[Served]
) -> None:
    first = start(served, folder, "--seed-demo")
    old_token = first.token()
    first.wait_until_serving()
    assert_clean_stop(first, first.stop(signal.SIGINT))

    second = start(served, folder, "--seed-demo")
    new_token = second.token()
    second.wait_until_serving()
    assert new_token != old_token
    assert second.get("/me", new_token).json()["email"] == DEMO_ADMIN
    assert "demo data: already there, kept as it is" in second.out
    assert_clean_stop(second, second.stop(signal.SIGTERM))  # as a service manager stops it
    clients = cli_json(folder, "client", "list")
    assert [(c["key"], c["projects"]) for c in clients] == [("demo-corp", 1)]


def test_two_workers_serve_while_the_parent_alone_runs_the_scheduler(
    folder: Path, served: list[Served]
) -> None:
    # --db reaches the workers only through the environment `serve` hands them: /me with the
    # demo token proves they read the same database.
    url = f"sqlite:///{folder / 'elsewhere.db'}"
    server = start(served, folder, "--seed-demo", "--workers", "2", global_args=("--db", url))
    token = server.token()

    def worker_pids() -> set[int]:
        events = server.log_events()
        found = (STARTED_WORKER.match(str(event.get("event"))) for event in events)
        return {int(match.group(1)) for match in found if match}

    workers = server.wait_for(
        "two started workers", lambda: len(worker_pids()) == 2 and worker_pids()
    )
    assert server.pid not in workers
    for pid in workers:
        assert _parent_of(pid) == server.pid
    for _ in range(10):
        assert server.get("/health").status_code == 200
    assert server.get("/me", token).json()["email"] == DEMO_ADMIN
    server.wait_for("a scheduler tick", lambda: ticks_by(server))
    assert ticks_by(server) == {server.pid}
    assert "scheduler: runs once, in the parent process" in "\n".join(server.out)
    assert_clean_stop(server, server.stop(signal.SIGINT))
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or _parent_of(pid) != server.pid


def test_serve_without_scheduler_starts_none(folder: Path, served: list[Served]) -> None:
    server = start(served, folder, "--no-scheduler")
    server.wait_until_serving()
    # The lifespan starts the scheduler before the first request is answered: none here.
    assert not any(e.get("event") == "scheduler_started" for e in server.log_events())
    assert "scheduler: off (--no-scheduler)" in "\n".join(server.out)
    assert_clean_stop(server, server.stop(signal.SIGINT))


def test_a_busy_port_is_one_clear_line_and_changes_nothing(folder: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "isms_flow", "serve", "--seed-demo", "--port", str(port)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=folder,
            env=environment(folder / "data"),
            timeout=180,
            check=False,
        )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        f"error: port {port} on 127.0.0.1 is already in use; stop what listens there "
        "or choose another port with --port"
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert not (folder / "data").exists()  # no database was created, no demo seeded


def _parent_of(pid: int) -> int:
    if sys.platform != "linux":  # pragma: no cover - /proc is how this test looks
        pytest.skip("reads the process tree from /proc")
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
