"""Files over HTTP: a request body limit enforced while an upload streams in, and the headers
of a download.

The limit is the installation's `max_upload_bytes` plus room for the form's other fields. A
declared `Content-Length` over it is refused before a byte is read; a body without one (chunked)
is counted as it arrives and refused the moment it passes, so an oversized upload is never read
to its end. The exact file size is checked again when the file is copied
(`services.evidence_files`).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive

from isms_flow.api.deps import get_app
from isms_flow.errors import PayloadTooLarge

__all__ = ["FORM_ALLOWANCE", "UploadLimitedRoute", "attachment"]

FORM_ALLOWANCE = 64 * 1024
"""Bytes a multipart body may carry beyond the file: boundaries, part headers, short fields."""

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class UploadLimitedRoute(APIRoute):
    """A route whose request body may not pass the upload limit (plus `FORM_ALLOWANCE`)."""

    def get_route_handler(self) -> Handler:
        """The route's handler behind a byte counter on the request body."""
        handle = super().get_route_handler()

        async def limited(request: Request) -> Response:
            limit = get_app(request).settings.max_upload_bytes + FORM_ALLOWANCE
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise _too_large(limit)
            try:
                return await handle(Request(request.scope, _counted(request.receive, limit)))
            except HTTPException as error:
                # FastAPI answers any failure while reading a body with 400; ours is the cause.
                if isinstance(error.__cause__, PayloadTooLarge):
                    raise error.__cause__ from None
                raise

        return limited


def attachment(filename: str) -> str:
    """`Content-Disposition` of a download: an ASCII fallback and the exact name (RFC 6266)."""
    fallback = "".join(
        char if " " <= char <= "~" and char not in '"\\%' else "_" for char in filename
    )
    encoded = quote(filename, safe="")
    return f"attachment; filename=\"{fallback or 'download'}\"; filename*=UTF-8''{encoded}"


def _counted(receive: Receive, limit: int) -> Receive:
    received = 0

    async def counting() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise _too_large(limit)
        return message

    return counting


def _too_large(limit: int) -> PayloadTooLarge:
    allowed = limit - FORM_ALLOWANCE
    return PayloadTooLarge(
        f"the upload is larger than the limit of {allowed:,} bytes per file; nothing was stored"
    )
