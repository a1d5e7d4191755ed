"""Parameters and value parsers every command group shares, so they read and fail alike."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from isms_flow.errors import BadInput

__all__ = ["JsonFlag", "ProjectArg", "optional_date", "required_date"]

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ProjectArg = Annotated[str, typer.Argument(help="CLIENT/PROJECT, or PROJECT when unambiguous.")]


def required_date(option: str, value: str) -> date:
    """`value` as a calendar date, or BadInput naming the option."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{option} '{value}' is not a date (use YYYY-MM-DD)") from None


def optional_date(option: str, value: str | None) -> date | None:
    """Like `required_date`, None when the option was not given."""
    return None if value is None else required_date(option, value)
