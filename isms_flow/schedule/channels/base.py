"""What every delivery channel (log, e-mail, webhook) receives, and how it says it failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from isms_flow.errors import IsmsFlowError

__all__ = ["Channel", "DeliveryError", "Notification", "Recipient"]


@dataclass(frozen=True)
class Recipient:
    """One address of a channel, in the language its messages are written in."""

    address: str
    role: str
    language: str  # en or ja
    secret: str = ""  # a webhook receiver's HMAC key; empty for e-mail


@dataclass(frozen=True)
class Notification:
    """One outbox row made ready to send: already rendered, carrying its idempotency key.

    `subject` and `body` are in `language`; `data` is the machine-readable form (the webhook's
    JSON body). A channel must pass `idempotency_key` on to the receiver unchanged.
    """

    idempotency_key: str
    kind: str  # reminder or escalation
    client_key: str
    project_ref: str
    deadline_key: str
    deadline_kind: str
    due_on: date
    fire_at: datetime
    late: bool
    language: str
    subject: str
    body: str
    data: dict[str, Any] = field(default_factory=dict)
    # Subject and body in other languages, by language code, for a channel that writes to
    # recipients of several languages in one `send`; a language missing here gets the above.
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)

    def text_in(self, language: str) -> tuple[str, str]:
        """Subject and body in `language` when rendered in it, else in `self.language`."""
        if language == self.language:
            return self.subject, self.body
        return self.translations.get(language, (self.subject, self.body))


class DeliveryError(IsmsFlowError):
    """A channel could not deliver; the dispatcher retries with backoff, then gives up."""


class Channel(Protocol):
    """A way to deliver notifications; `send` raises DeliveryError on failure."""

    name: str

    def send(self, notification: Notification, recipients: list[Recipient]) -> None: ...
