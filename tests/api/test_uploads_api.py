"""Refused evidence uploads over HTTP: each one a clear 4xx problem, and nothing stored.

"Nothing stored" is counted where it would show: files in the vault folder (leftovers
included), evidence rows, and events.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from isms_flow.bootstrap import App
from isms_flow.clock import FrozenClock
from isms_flow.config import Settings
from isms_flow.services import accounts
from tests.api.conftest import World, email_of
from tests.api.evidence_support import EVIDENCE, MULTIPART, PDF, raw_multipart, upload
from tests.integration.support import event_count, row_count, vault_files

LIMIT = 4096
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(120)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The test's settings with a small upload limit."""
    return Settings(data_dir=tmp_path / "data", actor="tester", max_upload_bytes=LIMIT)


def stored(app: App) -> tuple[int, int, int, int]:
    """What an upload would add to: vault files, documents, versions, events."""
    return (
        len(vault_files(app)),
        row_count(app, "evidence_documents"),
        row_count(app, "evidence_versions"),
        event_count(app),
    )


def assert_problem(response: httpx.Response, status: int, slug: str) -> None:
    """`response` is the problem+json `slug` with `status` and a one-line detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == f"/problems/{slug}"
    assert problem["detail"] and "\n" not in problem["detail"] and "Traceback" not in response.text


@pytest.fixture
def before(app: App, world: World) -> Iterator[tuple[int, int, int, int]]:
    """The counts once the world is set up; each test checks they did not move."""
    counts = stored(app)
    yield counts
    assert stored(app) == counts


BAD_UPLOADS = [
    # (name, content, declared type, status, problem type, words in the detail)
    ("big.pdf", b"%PDF-" + bytes(LIMIT), "application/pdf", 413, "payload-too-large", "limit"),
    ("../../etc/passwd", PDF, "application/pdf", 400, "bad-input", "path separator"),
    ("a/b.pdf", PDF, "application/pdf", 400, "bad-input", "path separator"),
    ("..\\x.pdf", PDF, "application/pdf", 400, "bad-input", "path separator"),
    ("empty.pdf", b"", "application/pdf", 400, "bad-input", "empty"),
    ("scope.pdf", ELF, "application/pdf", 415, "unsupported-media-type", "ELF"),
    (
        "scope.pdf",
        b"MZ\x90\x00" + bytes(100),
        "application/pdf",
        415,
        "unsupported-media-type",
        "exe",
    ),
    ("notes.txt", b"#!/bin/sh\necho hi\n", "text/plain", 415, "unsupported-media-type", "interp"),
    (
        "scan.pdf",
        b"\x89PNG\r\n\x1a\n" + bytes(40),
        "image/png",
        415,
        "unsupported-media-type",
        "name",
    ),
]


def test_every_bad_upload_is_a_clear_problem_and_stores_nothing(
    admin: httpx.Client, before: tuple[int, int, int, int]
) -> None:
    for name, content, declared, status, slug, words in BAD_UPLOADS:
        response = upload(admin, '"v1"', name=name, content=content, media_type=declared)
        assert_problem(response, status, slug)
        assert words in response.json()["detail"], (name, response.json()["detail"])
    assert admin.get(EVIDENCE).json()["items"] == []


def test_a_file_exactly_at_the_limit_is_accepted(admin: httpx.Client) -> None:
    response = upload(
        admin, '"v1"', name="notes.txt", content=b"x" * LIMIT, media_type="text/plain"
    )
    assert response.status_code == 201, response.text
    assert response.json()["size"] == LIMIT


def test_an_oversized_body_is_refused_from_its_content_length(
    admin: httpx.Client, before: tuple[int, int, int, int]
) -> None:
    response = upload(admin, '"v1"', content=b"%PDF-" + bytes(512 * 1024))
    assert_problem(response, 413, "payload-too-large")


def test_a_file_name_with_control_characters_is_refused(
    admin: httpx.Client, before: tuple[int, int, int, int]
) -> None:
    for name in (b"x\x01.pdf", b"scope\x00.pdf", b"invoice\xe2\x80\xaefdp.exe"):
        response = admin.post(
            EVIDENCE,
            content=raw_multipart(name, PDF),
            headers={"If-Match": '"v1"', "Content-Type": MULTIPART},
        )
        assert_problem(response, 400, "bad-input")


def test_an_oversized_chunked_body_is_refused_while_it_streams(
    admin: httpx.Client, before: tuple[int, int, int, int]
) -> None:
    whole = raw_multipart(b"big.pdf", b"%PDF-" + bytes(512 * 1024))

    def body() -> Iterator[bytes]:
        # A generator: no Content-Length, so the server can only count what arrives.
        for start in range(0, len(whole), 16 * 1024):
            yield whole[start : start + 16 * 1024]

    response = admin.post(
        EVIDENCE, content=body(), headers={"If-Match": '"v1"', "Content-Type": MULTIPART}
    )
    assert "content-length" not in response.request.headers
    assert_problem(response, 413, "payload-too-large")


def test_an_upload_needs_a_current_if_match(
    admin: httpx.Client, before: tuple[int, int, int, int]
) -> None:
    assert_problem(upload(admin, None), 428, "if-match-required")
    assert_problem(upload(admin, '"v7"'), 412, "stale-version")
    assert_problem(upload(admin, '"v1"', kind="no_such_kind"), 400, "bad-input")


def test_a_wrong_token_uploads_nothing(world: World, before: tuple[int, int, int, int]) -> None:
    with httpx.Client(base_url=world.url, headers={"Authorization": "Bearer nope"}) as http:
        assert_problem(upload(http, '"v1"'), 401, "unauthenticated")
    with httpx.Client(base_url=world.url) as anonymous:
        assert_problem(upload(anonymous, '"v1"'), 401, "unauthenticated")


def test_an_expired_token_uploads_nothing(
    admin: httpx.Client, clock: FrozenClock, app: App
) -> None:
    clock.advance(timedelta(days=91))
    counts = stored(app)  # the clock moved: counted now, before the refused upload
    assert_problem(upload(admin, '"v1"'), 401, "unauthenticated")
    assert stored(app) == counts


def test_a_revoked_token_uploads_nothing(admin: httpx.Client, app: App) -> None:
    token = accounts.list_tokens(app, email=email_of("admin"))[0]
    accounts.revoke_token(app, token_id=token.id, actor="root")
    counts = stored(app)
    assert_problem(upload(admin, '"v1"'), 401, "unauthenticated")
    assert stored(app) == counts
