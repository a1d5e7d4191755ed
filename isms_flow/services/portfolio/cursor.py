"""The opaque keyset cursor of the portfolio: where the previous page ended in its order."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from isms_flow.clock import ensure_utc
from isms_flow.errors import BadInput

__all__ = ["FORMAT", "Position", "decode_cursor", "encode_cursor"]

FORMAT = 1
"""The cursor format this version writes and reads; any other is refused."""

_MAX_LENGTH = 1000  # a cursor this module wrote is far shorter: anything longer is not one


@dataclass(frozen=True)
class Position:
    """The sort key of the last row shown: next deadline (None sorts last), ref, project id."""

    due_at: datetime | None
    client_key: str
    project_key: str
    project_id: int


def encode_cursor(position: Position) -> str:
    """The cursor that continues after `position`: base64url of a small JSON document."""
    document = {
        "v": FORMAT,
        "d": None if position.due_at is None else position.due_at.isoformat(),
        "c": position.client_key,
        "p": position.project_key,
        "i": position.project_id,
    }
    raw = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str) -> Position:
    """The position a cursor names; BadInput for anything `encode_cursor` did not write."""
    try:
        if not cursor or len(cursor) > _MAX_LENGTH:
            raise ValueError("length")
        padded = cursor + "=" * (-len(cursor) % 4)
        document = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        return _position(document)
    except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error):
        raise BadInput(
            "the cursor is not one this listing gave out; start again without a cursor"
        ) from None


def _position(document: Any) -> Position:
    if not isinstance(document, dict) or document.get("v") != FORMAT:
        raise ValueError("format")
    due, client, project, project_id = document["d"], document["c"], document["p"], document["i"]
    if not (isinstance(client, str) and isinstance(project, str)):
        raise TypeError("keys")
    if not isinstance(project_id, int) or isinstance(project_id, bool):
        raise TypeError("id")
    if due is not None and not isinstance(due, str):
        raise TypeError("due")
    due_at = None if due is None else ensure_utc(datetime.fromisoformat(due))
    return Position(due_at, client, project, project_id)
