"""Helpers of the evidence API tests: the project's paths, a PDF, an upload as browsers send it."""

from __future__ import annotations

import httpx

PROJECT = "/clients/acme/projects/isms"
EVIDENCE = f"{PROJECT}/evidence"
PDF = b"%PDF-1.7\n% scope statement: the whole organization\n%%EOF\n"


def upload(
    http: httpx.Client,
    etag: str | None,
    *,
    name: str = "scope.pdf",
    content: bytes = PDF,
    media_type: str = "application/pdf",
    kind: str = "scope_statement",
    path: str = EVIDENCE,
) -> httpx.Response:
    """POST one file as multipart/form-data, with If-Match `etag` unless None."""
    headers = {"If-Match": etag} if etag else {}
    return http.post(
        path, files={"file": (name, content, media_type)}, data={"kind": kind}, headers=headers
    )


def content_url(document_id: int, version: int, project: str = PROJECT) -> str:
    """Where a version's file is served."""
    return f"{project}/evidence/{document_id}/versions/{version}/content"


def raw_multipart(filename: bytes, content: bytes, *, kind: str = "scope_statement") -> bytes:
    """A multipart body with the file name's bytes exactly as given (clients escape some)."""
    return b"".join(
        [
            b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="kind"\r\n\r\n',
            kind.encode() + b"\r\n--" + BOUNDARY + b"\r\n",
            b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n',
            b"Content-Type: application/pdf\r\n\r\n" + content,
            b"\r\n--" + BOUNDARY + b"--\r\n",
        ]
    )


BOUNDARY = b"isms-flow-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY.decode()}"
"""The Content-Type of a `raw_multipart` body."""
