"""API token rules: format, hashing, fingerprint, expiry and the once-a-minute use record."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from isms_flow.accounts.tokens import (
    DEFAULT_EXPIRY_DAYS,
    TOKEN_PREFIX,
    TokenStatus,
    expiry,
    hashes_match,
    is_well_formed,
    needs_touch,
    new_token,
    token_fingerprint,
    token_hash,
    token_status,
)
from isms_flow.errors import BadInput

NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)


def test_a_new_token_is_the_prefix_and_256_random_bits() -> None:
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert token.startswith(TOKEN_PREFIX) and len(token) == 47
        assert is_well_formed(token)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "isf_",
        "isf_" + "A" * 42,  # one short
        "isf_" + "A" * 44,  # one long
        "ghp_" + "A" * 43,  # another product's prefix
        "ISF_" + "A" * 43,
        "isf_" + "A" * 42 + "=",  # padding is not part of the alphabet
        "isf_" + "A" * 42 + "\n",
        " isf_" + "A" * 43,
    ],
)
def test_anything_else_is_malformed(text: str) -> None:
    assert not is_well_formed(text)


def test_the_stored_hash_is_the_sha256_and_matches_only_its_token() -> None:
    token = new_token()
    stored = token_hash(token)
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert hashes_match(stored, token)
    assert not hashes_match(stored, new_token())


def test_the_fingerprint_tells_tokens_apart_and_is_no_piece_of_the_hash() -> None:
    token = new_token()
    fingerprint = token_fingerprint(token)
    assert len(fingerprint) == 12 and fingerprint == token_fingerprint(token)
    assert fingerprint not in token_hash(token)
    assert fingerprint != token_fingerprint(new_token())


def test_expiry_defaults_to_90_days_and_is_bounded() -> None:
    assert expiry(NOW, DEFAULT_EXPIRY_DAYS) == NOW + timedelta(days=90)
    assert expiry(NOW, 365) == NOW + timedelta(days=365)
    for days in (0, -1, 366):
        with pytest.raises(BadInput) as bad:
            expiry(NOW, days)
        assert str(bad.value) == (
            f"a token must expire within 1–365 days (got {days}); the default is 90"
        )


def test_a_token_is_expired_from_its_expiry_instant_and_revocation_wins() -> None:
    expires = NOW + timedelta(days=1)
    assert token_status(expires, None, expires - timedelta(microseconds=1)) is TokenStatus.ACTIVE
    assert token_status(expires, None, expires) is TokenStatus.EXPIRED
    assert token_status(expires, NOW, NOW) is TokenStatus.REVOKED


def test_use_is_recorded_at_most_once_a_minute() -> None:
    assert needs_touch(None, NOW)
    assert not needs_touch(NOW - timedelta(seconds=59), NOW)
    assert needs_touch(NOW - timedelta(seconds=60), NOW)
