"""API tokens: their format, how they are stored (a SHA-256), expiry and use.

A token is `isf_` followed by `secrets.token_urlsafe(32)`: 256 random bits, recognisable in a
leaked log or repository by its prefix. Only its SHA-256 is stored. A pepper (an HMAC key held
outside the database) would protect *guessable* secrets such as passwords against a stolen
database; a 256-bit random token cannot be guessed from its hash anyway, and a pepper would add
a key to keep, rotate and lose. See docs/accounts.md.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from isms_flow.errors import BadInput

__all__ = [
    "DEFAULT_EXPIRY_DAYS",
    "MAX_EXPIRY_DAYS",
    "TOKEN_PREFIX",
    "TOUCH_INTERVAL",
    "TokenStatus",
    "expiry",
    "hashes_match",
    "is_well_formed",
    "needs_touch",
    "new_token",
    "token_fingerprint",
    "token_hash",
    "token_status",
]

TOKEN_PREFIX = "isf_"
DEFAULT_EXPIRY_DAYS = 90
MAX_EXPIRY_DAYS = 365
TOUCH_INTERVAL = timedelta(minutes=1)
"""`last_used_at` is written at most this often, so a busy integration does not write on
every request."""

_RANDOM_BYTES = 32
# token_urlsafe(32): 32 bytes in unpadded base64url are 43 characters of [A-Za-z0-9_-].
_WELL_FORMED = re.compile(rf"^{TOKEN_PREFIX}[A-Za-z0-9_-]{{43}}$")
_FINGERPRINT_DOMAIN = b"isms-flow token fingerprint\x00"


class TokenStatus(StrEnum):
    """Where a token stands at an instant."""

    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


def new_token() -> str:
    """A fresh token: the prefix and 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(_RANDOM_BYTES)


def is_well_formed(text: str) -> bool:
    """True when `text` has a token's shape (prefix, length, alphabet); says nothing of validity."""
    return _WELL_FORMED.match(text) is not None


def token_hash(token: str) -> str:
    """What is stored and looked up: the SHA-256 of the token, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_fingerprint(token: str) -> str:
    """12 hex digits that tell tokens apart in lists and the history.

    Hashed with a domain prefix, so it is not a piece of the stored hash: the history may
    show it without showing any part of what a token is looked up by.
    """
    return hashlib.sha256(_FINGERPRINT_DOMAIN + token.encode("utf-8")).hexdigest()[:12]


def hashes_match(stored: str, presented_token: str) -> bool:
    """Compare a stored hash with a presented token's hash in constant time."""
    return hmac.compare_digest(stored.encode("ascii"), token_hash(presented_token).encode("ascii"))


def expiry(created_at: datetime, days: int) -> datetime:
    """When a token created at `created_at` for `days` days stops working."""
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        raise BadInput(
            f"a token must expire within 1–{MAX_EXPIRY_DAYS} days (got {days}); "
            f"the default is {DEFAULT_EXPIRY_DAYS}"
        )
    return created_at + timedelta(days=days)


def token_status(expires_at: datetime, revoked_at: datetime | None, now: datetime) -> TokenStatus:
    """Revoked wins over expired; a token is expired from its expiry instant on."""
    if revoked_at is not None:
        return TokenStatus.REVOKED
    if now >= expires_at:
        return TokenStatus.EXPIRED
    return TokenStatus.ACTIVE


def needs_touch(last_used_at: datetime | None, now: datetime) -> bool:
    """True when `last_used_at` should be written now (never, or at least a minute ago)."""
    return last_used_at is None or now - last_used_at >= TOUCH_INTERVAL
