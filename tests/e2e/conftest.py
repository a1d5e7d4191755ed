"""Drive the real command line: `python -m isms_flow` in a subprocess, or `main(argv)` in process.

Every test gets its own SQLite file (the vault goes next to it) and a default actor. Global
options are put in front for subprocess runs and at the end for in-process calls, so both
spellings of the command line are exercised.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from isms_flow.cli.app import main

ANCHOR = re.compile(r"\b(\d+):([0-9a-f]{64})\b")


@dataclass(frozen=True)
class Result:
    """What one run of the command line did."""

    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        """stdout and stderr together, for "is it mentioned anywhere" checks."""
        return self.out + self.err

    def json(self) -> Any:
        """stdout parsed as one JSON document."""
        return json.loads(self.out)

    def ok(self) -> Result:
        """Assert exit 0; return self for chaining."""
        assert self.code == 0, f"exit {self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}"
        self.no_traceback()
        return self

    def fails(self, code: int) -> Result:
        """Assert a clean failure: this exit code, a message, and never a traceback."""
        assert self.code == code, (
            f"expected exit {code}, got {self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}"
        )
        self.no_traceback()
        assert self.err.strip(), "a failure must say why on stderr"
        return self

    def no_traceback(self) -> None:
        """Neither a Python traceback nor the last-resort 'internal error' line."""
        assert "Traceback" not in self.text, self.text
        assert "internal error" not in self.text, self.text


class Cli:
    """The command line bound to one database file and one default actor."""

    def __init__(
        self,
        folder: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        actor: str = "tester",
    ) -> None:
        self.folder = folder
        self.db_file = folder / "db.sqlite"
        self.db_url = f"sqlite:///{self.db_file}"
        self.vault = folder / "vault"
        self.actor = actor
        self._capsys = capsys
        self._monkeypatch = monkeypatch

    def _globals(self, actor: str | None) -> list[str]:
        return ["--db", self.db_url, "--actor", actor or self.actor]

    def run(
        self, *args: str, actor: str | None = None, env: Mapping[str, str] | None = None
    ) -> Result:
        """Run `python -m isms_flow` in a fresh process (global options first)."""
        environment = {k: v for k, v in os.environ.items() if not k.startswith("ISMS_FLOW_")}
        environment.update({"COLUMNS": "250", "PYTHONUTF8": "1", "NO_COLOR": "1"})
        environment.update(env or {})
        done = subprocess.run(
            [sys.executable, "-m", "isms_flow", *self._globals(actor), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=self.folder,
            env=environment,
            timeout=120,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def call(self, *args: str, actor: str | None = None) -> Result:
        """Call `main(argv)` in this process (global options last, to exercise hoisting)."""
        self._monkeypatch.setenv("COLUMNS", "250")
        self._monkeypatch.chdir(self.folder)
        self._capsys.readouterr()
        try:
            main([*args, *self._globals(actor)])
        except SystemExit as exit_:
            code = exit_.code
        else:  # pragma: no cover - main always exits
            raise AssertionError("main() returned instead of exiting")
        captured = self._capsys.readouterr()
        return Result(code if isinstance(code, int) else 1, captured.out, captured.err)

    def events(self) -> int:
        """How many events the whole history holds."""
        return int(self.call("audit", "verify", "--json").ok().json()["events"])


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The command line on a fresh SQLite file under tmp_path."""
    folder = tmp_path / "cli"
    folder.mkdir()
    return Cli(folder, capsys, monkeypatch)


@pytest.fixture
def acme(cli: Cli) -> str:
    """Client `acme` with project `isms` at scoping, scope undefined; returns `acme/isms`."""
    cli.call("client", "add", "acme", "--name", "ACME Corp.").ok()
    cli.call("project", "create", "acme", "isms", "--title", "ISMS certification").ok()
    return "acme/isms"
