"""Per-invocation state of the CLI: settings from the global options and the wired App."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import typer

from isms_flow.bootstrap import App, bootstrap
from isms_flow.config import Settings, load_settings
from isms_flow.i18n import Language
from isms_flow.logging import configure_logging

__all__ = ["CliState", "state_of"]


@dataclass
class CliState:
    """What the root callback parsed; builds the App on first use."""

    config_file: Path | None = None
    database_url: str | None = None
    language: Language | None = None
    actor: str | None = None
    log_level: str | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _app: App | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """Settings: defaults, config file, environment, then these flags."""
        if self._settings is None:
            self._settings = load_settings(
                self.config_file,
                database_url=self.database_url,
                language=self.language,
                actor=self.actor,
                log_level=self.log_level,
            )
            configure_logging(self._settings.log_level)
        return self._settings

    @property
    def app(self) -> App:
        """The wired application (database migrated on first use)."""
        if self._app is None:
            self._app = bootstrap(self.settings)
        return self._app

    @property
    def lang(self) -> Language:
        """Language of output."""
        return self.settings.language

    @property
    def actor_name(self) -> str:
        """Who is acting."""
        return self.settings.effective_actor

    def close(self) -> None:
        """Release the database."""
        if self._app is not None:
            self._app.close()


def state_of(ctx: typer.Context) -> CliState:
    """The CliState of this invocation."""
    state = ctx.find_root().obj
    if not isinstance(state, CliState):  # pragma: no cover - set by the root callback
        raise RuntimeError("CLI state missing")
    return state
