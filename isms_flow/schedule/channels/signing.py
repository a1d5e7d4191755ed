"""HMAC signatures of webhook deliveries, and how a receiver verifies them.

Every webhook POST carries two headers:

    X-Isms-Flow-Timestamp: 1790812800
    X-Isms-Flow-Signature: sha256=<hex>

The timestamp is the Unix time (seconds) of sending; the signature is the hex HMAC-SHA256,
keyed with the recipient's secret (UTF-8), of the timestamp, a dot, and the raw request body:
`HMAC(secret, b"1790812800." + body)`. A receiver should

1. recompute the HMAC over the *exact bytes* it received (before any JSON parsing) and compare
   it with the header in constant time (`hmac.compare_digest`);
2. refuse a timestamp further than a few minutes from its own clock, so a captured request
   cannot be replayed later (the timestamp is inside the signed text and cannot be changed);
3. drop a delivery whose `Idempotency-Key` header it has already processed: after a crash
   between delivery and record the same notification is sent again with the same key.

In Python, with isms-flow installed:

    from isms_flow.schedule.channels.signing import verify_signature
    ok = verify_signature(secret, headers["X-Isms-Flow-Timestamp"], raw_body,
                          headers["X-Isms-Flow-Signature"], now=datetime.now(UTC))

and without it:

    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + raw_body, hashlib.sha256)
    ok = hmac.compare_digest("sha256=" + mac.hexdigest(), signature_header) and (
        abs(time.time() - int(timestamp)) <= 300)
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

__all__ = [
    "DEFAULT_TOLERANCE",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "sign",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Isms-Flow-Signature"
TIMESTAMP_HEADER = "X-Isms-Flow-Timestamp"
DEFAULT_TOLERANCE = timedelta(minutes=5)
_SCHEME = "sha256="


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value for `body` sent at `timestamp` (Unix seconds, as text)."""
    signed = timestamp.encode("ascii") + b"." + body
    return _SCHEME + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    header: str,
    now: datetime,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> bool:
    """True when `header` signs `body` at `timestamp` with `secret`, and that is recent."""
    if not timestamp.isascii() or not timestamp.isdigit() or not header.startswith(_SCHEME):
        return False
    sent_at = datetime.fromtimestamp(int(timestamp), UTC)
    if abs(now - sent_at) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)
