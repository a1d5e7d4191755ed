"""Cursor pagination: opaque cursors over a list's sort key, `next_cursor` and a `Link` header.

A cursor is the sort key of the last item served, base64url-encoded JSON. The next page starts
strictly after it, so items added or removed meanwhile never make a page repeat or skip an item
that stays. Cursors are not secrets and not signed: a forged one only moves the page start,
always within what the caller may see.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Request, Response
from pydantic import BaseModel

from isms_flow.errors import BadInput

__all__ = [
    "Cursor",
    "Limit",
    "Page",
    "decode_cursor",
    "decode_cursor_any",
    "encode_cursor",
    "link_next",
    "paginate",
]

T = TypeVar("T")
SortKey = tuple[Any, ...]

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

Cursor = Annotated[
    str | None, Query(description="`next_cursor` of the previous page", max_length=512)
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    next_cursor: str | None = None
    """Pass as `cursor` for the next page; null on the last page."""


def encode_cursor(key: SortKey) -> str:
    """The cursor pointing after an item with sort key `key`."""
    raw = json.dumps(list(key), separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> SortKey:
    """The sort key a cursor holds; BadInput if it was not made by this list."""
    key = decode_cursor_any(cursor)
    if len(key) != arity:
        raise BadInput("cursor is not one this API handed out; start without it")
    return key


def decode_cursor_any(cursor: str) -> SortKey:
    """The sort key a cursor holds, of any length; BadInput if it is not a cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadInput("cursor is not one this API handed out; start without it") from None
    if not isinstance(key, list):
        raise BadInput("cursor is not one this API handed out; start without it")
    return tuple(key)


def paginate(
    items: Sequence[T],
    *,
    key: Callable[[T], SortKey],
    cursor: str | None,
    limit: int,
    request: Request,
    response: Response,
) -> Page[T]:
    """The page of `items` (sorted by `key`) after `cursor`, with `Link: rel="next"`."""
    ordered = sorted(items, key=key)
    if cursor is not None and not ordered:
        decode_cursor_any(cursor)  # still refuse garbage
        return Page[T](items=[])
    if cursor is not None:
        after = decode_cursor(cursor, len(key(ordered[0])) if ordered else 0)
        try:
            ordered = [item for item in ordered if _as_list(key(item)) > list(after)]
        except TypeError:
            raise BadInput("cursor is not one this API handed out; start without it") from None
    page = ordered[:limit]
    next_cursor = encode_cursor(key(page[-1])) if len(ordered) > limit else None
    link_next(request, response, next_cursor, limit)
    return Page[T](items=list(page), next_cursor=next_cursor)


def link_next(request: Request, response: Response, next_cursor: str | None, limit: int) -> None:
    """Send `Link: <…>; rel="next"` for the page after this one, if there is one."""
    if next_cursor:
        link = request.url.include_query_params(cursor=next_cursor, limit=limit)
        response.headers["Link"] = f'<{link}>; rel="next"'


def _as_list(key: SortKey) -> list[Any]:
    # Compare as JSON would have stored it, so a decoded cursor compares like the live key.
    decoded: list[Any] = json.loads(json.dumps(list(key), default=str))
    return decoded
