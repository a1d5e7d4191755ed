"""`isms-flow serve` as a real subprocess on loopback: its output as it comes, HTTP, signals."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import httpx

TOKEN = re.compile(r'Bearer (isf_[A-Za-z0-9_-]+)"')
_PATIENCE = 180.0  # seconds: a bound for a busy machine, never an assertion about speed


def environment(data_dir: Path) -> dict[str, str]:
    """This process's environment without ISMS_FLOW_* settings, the data in `data_dir`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ISMS_FLOW_")}
    env.update(
        {
            "ISMS_FLOW_DATA_DIR": str(data_dir),
            "PYTHONUNBUFFERED": "1",
            "PYTHONUTF8": "1",
            "NO_COLOR": "1",
            "COLUMNS": "250",
        }
    )
    return env


class Served:
    """One `python -m isms_flow ... serve ...` process; stdout and stderr collected by line."""

    def __init__(self, folder: Path, port: int, *args: str, global_args: tuple[str, ...] = ()):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "isms_flow", "--log-level", "info", *global_args]
        self.process = subprocess.Popen(
            [*command, "serve", "--port", str(port), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=folder,
            env=environment(folder / "data"),
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [
            threading.Thread(target=_collect, args=(stream, lines), daemon=True)
            for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err))
        ]
        for reader in self._readers:
            reader.start()

    @property
    def pid(self) -> int:
        """The `serve` process itself."""
        return self.process.pid

    def log_events(self) -> list[dict[str, Any]]:
        """The JSON log lines on stderr so far."""
        events = []
        for line in list(self.err):
            if line.startswith("{"):
                events.append(json.loads(line))
        return events

    def wait_for(self, what: str, found: Callable[[], Any]) -> Any:
        """Poll until `found()` is truthy; fail with the output if the process ends first."""
        deadline = time.monotonic() + _PATIENCE
        while time.monotonic() < deadline:
            value = found()
            if value:
                return value
            if self.process.poll() is not None:
                self._join()
                raise AssertionError(f"serve ended before {what}:\n{self.transcript()}")
            time.sleep(0.1)
        raise AssertionError(f"no {what} within {_PATIENCE:g} s:\n{self.transcript()}")

    def token(self) -> str:
        """The demo token printed on stdout."""
        return str(self.wait_for("a demo token", lambda: _first(TOKEN, self.out)))

    def wait_until_serving(self) -> None:
        """Until GET /health answers 200."""
        self.wait_for("an answer to /health", self._healthy)

    def get(self, path: str, token: str | None = None) -> httpx.Response:
        """GET `path`, with `token` as a Bearer token if given."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.get(self.url + path, headers=headers, timeout=60)

    def stop(self, signum: int = signal.SIGINT) -> int:
        """Send `signum`, wait for the exit; the exit status."""
        self.process.send_signal(signum)
        try:
            status = self.process.wait(timeout=_PATIENCE)
        finally:
            self.kill()
        self._join()
        return status

    def kill(self) -> None:
        """Last resort for a test that failed half-way: no process outlives its test."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def transcript(self) -> str:
        """Everything printed so far."""
        return "stdout:\n" + "\n".join(self.out) + "\nstderr:\n" + "\n".join(self.err)

    def _healthy(self) -> bool:
        try:
            return self.get("/health").status_code == 200
        except httpx.TransportError:
            return False

    def _join(self) -> None:
        for reader in self._readers:
            reader.join(timeout=_PATIENCE)


def _collect(stream: IO[str] | None, lines: list[str]) -> None:
    assert stream is not None
    for line in stream:
        lines.append(line.rstrip("\n"))


def _first(pattern: re.Pattern[str], lines: list[str]) -> str | None:
    for line in list(lines):
        match = pattern.search(line)
        if match:
            return match.group(1)
    return None
