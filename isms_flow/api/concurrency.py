"""ETags and `If-Match`: optimistic concurrency over HTTP.

A project's ETag is its version (`"v7"`); every change to the project moves it. A change must
send `If-Match` with the ETag it read: without one it is refused (428), with a stale one it is
refused (412) — and the comparison is repeated inside the writing transaction
(`services.preconditions`), so two callers holding the same ETag cannot both win.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Header, Response

from isms_flow.errors import BadInput, PreconditionRequired

__all__ = ["IfMatch", "etag_of", "expected_version", "set_etag"]

_STRONG_VERSION = re.compile(r'^"v(\d{1,18})"$')

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The ETag read before the change, e.g. "v7"; `*` accepts any version.',
    ),
]


def etag_of(version: int) -> str:
    """The ETag of a project at `version`."""
    return f'"v{version}"'


def set_etag(response: Response, version: int) -> None:
    """Send the ETag of the version the response shows."""
    response.headers["ETag"] = etag_of(version)


def expected_version(if_match: str | None) -> int | None:
    """The version `If-Match` names; None for `*`; 428 without the header, 400 if unreadable."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "this change needs an If-Match header with the ETag you read "
            '(GET the project or its status first, e.g. If-Match: "v7")'
        )
    value = if_match.strip()
    if value == "*":
        return None
    match = _STRONG_VERSION.match(value)
    if match is None:
        # Weak tags (W/"…") and lists cannot name the one version a change is based on.
        raise BadInput(f'If-Match {value!r} is not one ETag of this API (like "v7") or *')
    return int(match.group(1))
