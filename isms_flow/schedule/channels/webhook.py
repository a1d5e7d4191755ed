"""The webhook channel: a signed JSON POST to each recipient's URL.

The body is one JSON object (UTF-8): the notification's machine-readable `data` plus the
envelope — `format`, `idempotency_key`, `kind` (reminder or escalation), `client`, `project`,
`deadline` (its stable key), `deadline_kind`, `due_on`, `fire_at`, `late`, `language`,
`subject` and `body` (in the recipient's language). Headers:

    Content-Type: application/json; charset=utf-8
    Idempotency-Key: <the outbox row's key; the same on a resend after a crash>
    X-Isms-Flow-Timestamp: <Unix seconds>
    X-Isms-Flow-Signature: sha256=<HMAC-SHA256(secret, timestamp + "." + body)>

How a receiver verifies the signature: `isms_flow.schedule.channels.signing` (and
docs/scheduling.md, "Receiving webhooks"). Any answer other than 2xx, a redirect (never
followed: a signed body must not land somewhere else), a timeout or a connection error is a
`DeliveryError` naming the status or the reason; the dispatcher retries it with the same key.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import structlog

from isms_flow.clock import Clock, SystemClock
from isms_flow.config import Settings
from isms_flow.schedule.channels.base import DeliveryError, Notification, Recipient
from isms_flow.schedule.channels.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

__all__ = ["PAYLOAD_FORMAT", "WebhookChannel", "payload"]

PAYLOAD_FORMAT = 1
"""Version of the JSON body; a receiver can refuse one newer than it understands."""

_log = structlog.get_logger(__name__)


def payload(notification: Notification, language: str) -> dict[str, Any]:
    """The JSON object posted for a recipient reading `language`."""
    subject, body = notification.text_in(language)
    envelope = {
        "format": PAYLOAD_FORMAT,
        "idempotency_key": notification.idempotency_key,
        "kind": notification.kind,
        "client": notification.client_key,
        "project": notification.project_ref,
        "deadline": notification.deadline_key,
        "deadline_kind": notification.deadline_kind,
        "due_on": notification.due_on.isoformat(),
        "fire_at": notification.fire_at.isoformat(),
        "late": notification.late,
        "language": language,
        "subject": subject,
        "body": body,
    }
    # The envelope wins over a data field of the same name: receivers rely on its meaning.
    return {**notification.data, **envelope}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


class WebhookChannel:
    """Delivers notifications as signed JSON POSTs (stdlib urllib, with a timeout)."""

    name = "webhook"

    def __init__(self, *, timeout_seconds: float = 10.0, clock: Clock | None = None) -> None:
        self.timeout_seconds = timeout_seconds
        self._clock = clock or SystemClock()
        self._opener = urllib.request.build_opener(_NoRedirects())

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock | None = None) -> WebhookChannel:
        """The channel with the configured `webhook_timeout_seconds`."""
        return cls(timeout_seconds=settings.webhook_timeout_seconds, clock=clock)

    def send(self, notification: Notification, recipients: list[Recipient]) -> None:
        """POST to every recipient; DeliveryError at the first that does not answer 2xx."""
        posted: set[tuple[str, str, str]] = set()
        for recipient in recipients:
            # The same URL under two roles gets one POST (same body, same key).
            identity = (recipient.address, recipient.secret, recipient.language)
            if identity in posted:
                continue
            self._post(notification, recipient)
            posted.add(identity)
        if posted:
            _log.debug(
                "webhook_sent", idempotency_key=notification.idempotency_key, posts=len(posted)
            )

    def _post(self, notification: Notification, recipient: Recipient) -> None:
        where = _shown(recipient.address)
        if urlsplit(recipient.address).scheme.lower() not in ("http", "https"):
            # Checked at registration; urllib would also open file:// or ftp:// URLs.
            raise DeliveryError(f"webhook {where}: only http and https URLs are posted to")
        if not recipient.secret:
            raise DeliveryError(f"webhook {where}: the recipient has no secret to sign with")
        body = json.dumps(
            payload(notification, recipient.language),
            ensure_ascii=False,
            sort_keys=True,
            default=_json_value,
        ).encode("utf-8")
        timestamp = str(int(self._clock.now().timestamp()))
        request = urllib.request.Request(
            recipient.address,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "isms-flow",
                "Idempotency-Key": notification.idempotency_key,
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: sign(recipient.secret, timestamp, body),
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout_seconds) as response:
                response.read()  # let the receiver finish its answer before the next POST
        except urllib.error.HTTPError as error:
            error.close()
            status = f"HTTP {error.code} {error.reason}".rstrip()
            hint = " (redirects are not followed)" if 300 <= error.code < 400 else ""
            raise DeliveryError(f"webhook {where}: the receiver answered {status}{hint}") from None
        except urllib.error.URLError as error:
            raise DeliveryError(f"webhook {where}: {self._reason(error.reason)}") from None
        except (OSError, http.client.HTTPException) as error:
            # A timeout or reset while reading the answer arrives unwrapped.
            raise DeliveryError(f"webhook {where}: {self._reason(error)}") from None

    def _reason(self, reason: object) -> str:
        if isinstance(reason, TimeoutError):
            return f"no answer within {self.timeout_seconds:g} s"
        if isinstance(reason, OSError):
            return f"cannot connect: {reason.strerror or reason or type(reason).__name__}"
        if isinstance(reason, http.client.HTTPException):
            return f"broken answer: {type(reason).__name__} {reason}".rstrip()
        return f"cannot connect: {reason}"


def _shown(url: str) -> str:
    # Error messages end up in the outbox (`notifications --failed`): leave out a query string,
    # where some receivers put their access tokens.
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _json_value(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
