"""Printing: Rich tables and colour for people, `--json` for scripts, errors on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

__all__ = ["console", "err_console", "local_time", "new_table", "print_json"]

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def print_json(value: BaseModel | Sequence[BaseModel] | dict[str, Any]) -> None:
    """Write one JSON document to stdout."""
    if isinstance(value, BaseModel):
        data: Any = value.model_dump(mode="json")
    elif isinstance(value, dict):
        data = value
    else:
        data = [item.model_dump(mode="json") for item in value]
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def new_table(*columns: str, title: str | None = None) -> Table:
    """A table with our house style."""
    table = Table(title=title, title_justify="left", header_style="bold", expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def local_time(moment: datetime, timezone: str) -> str:
    """An instant shown in a time zone, to the minute."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M %Z")
