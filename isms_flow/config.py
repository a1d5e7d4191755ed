"""Settings: config/default.toml, a user config file, ISMS_FLOW_* variables, then flags."""

from __future__ import annotations

import getpass
import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from isms_flow.errors import BadInput
from isms_flow.i18n import Language
from isms_flow.schedule.channels.addresses import check_email_address

__all__ = ["SchedulerSettings", "Settings", "bundled_path", "load_settings"]

_PACKAGE = Path(__file__).resolve().parent
_given_config_file: ContextVar[str | None] = ContextVar("isms_flow_config_file", default=None)


def bundled_path(name: str) -> Path:
    """A top-level folder of the source tree (`workflows`, `config`), or its copy in the wheel."""
    source_tree = _PACKAGE.parent / name
    return source_tree if source_tree.is_dir() else _PACKAGE / "_bundled" / name


class SchedulerSettings(BaseModel):
    """The dispatcher's timing: `[scheduler]` in TOML, ISMS_FLOW_SCHEDULER__* in the environment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tick_seconds: float = Field(default=60.0, gt=0)
    lease_seconds: float = Field(default=300.0, gt=0)
    max_attempts: int = Field(default=5, ge=1)
    backoff_seconds: float = Field(default=60.0, ge=0)
    backoff_max_seconds: float = Field(default=21600.0, ge=0)
    catch_up_grace_seconds: float = Field(default=3600.0, ge=0)
    batch_size: int = Field(default=20, ge=1)


class Settings(BaseSettings):
    """Every setting isms-flow reads; see config/default.toml for what each means."""

    model_config = SettingsConfigDict(
        env_prefix="ISMS_FLOW_", env_nested_delimiter="__", extra="forbid"
    )

    data_dir: Path = Path(".isms-flow")
    database_url: str = ""
    vault_dir: Path | None = None
    workflow_dirs: list[Path] = []
    timezone: str = "Asia/Tokyo"
    language: Language = "en"
    actor: str = ""
    log_level: Literal["debug", "info", "warning", "error"] = "warning"
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    # Where `isms-flow serve` listens (its --host and --port override these).
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    scheduler: SchedulerSettings = SchedulerSettings()
    # E-mail notifications (SMTP) and webhook POSTs; see config/default.toml.
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "isms-flow@localhost"
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    # The largest evidence file the HTTP API accepts; see config/default.toml.
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone '{value}' (use an IANA name such as Asia/Tokyo)"
            ) from None
        return value

    @field_validator("smtp_from")
    @classmethod
    def _sender_address(cls, value: str) -> str:
        return check_email_address(value, local_domain=True)

    @field_validator("vault_dir", mode="before")
    @classmethod
    def _empty_is_default(cls, value: Any) -> Any:
        return None if value in ("", None) else value

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the SQLite file in `data_dir`."""
        return self.database_url or f"sqlite:///{self.data_dir / 'isms-flow.db'}"

    @property
    def effective_vault_dir(self) -> Path:
        """The configured vault, or `vault/` next to the SQLite file, or under `data_dir`."""
        if self.vault_dir is not None:
            return self.vault_dir
        url = self.effective_database_url
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            return Path(url.removeprefix("sqlite:///")).parent / "vault"
        return self.data_dir / "vault"

    @property
    def effective_workflow_dirs(self) -> list[Path]:
        """The configured folders, or the workflows shipped with isms-flow."""
        return self.workflow_dirs or [bundled_path("workflows")]

    @property
    def effective_actor(self) -> str:
        """Who is acting: the configured name, else the login name."""
        if self.actor:
            return self.actor
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Flags beat environment, environment beats files, a user file beats the defaults."""
        files = [bundled_path("config") / "default.toml"]
        user_file = _given_config_file.get() or os.environ.get("ISMS_FLOW_CONFIG")
        if user_file:
            files.append(Path(user_file))
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=files, deep_merge=True),
        )


def load_settings(config_file: Path | None = None, **flags: Any) -> Settings:
    """Build settings; a bad value or config file is a BadInput naming the setting."""
    if config_file is not None and not config_file.is_file():
        raise BadInput(f"config file {config_file} not found")
    given = {key: value for key, value in flags.items() if value is not None}
    # A context variable, not os.environ: a --config flag must not leak into later loads.
    token = _given_config_file.set(str(config_file) if config_file is not None else None)
    try:
        return Settings(**given)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        raise BadInput(f"setting {where}: {message}") from None
    except ValueError as error:  # a TOML file that does not parse
        raise BadInput(f"config file: {error}") from None
    finally:
        _given_config_file.reset(token)
