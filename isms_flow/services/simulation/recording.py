"""A channel that delivers nowhere: it keeps what it was given, for a simulation to report."""

from __future__ import annotations

from dataclasses import dataclass, field

from isms_flow.schedule.channels.base import Notification, Recipient

__all__ = ["RecordingChannel"]


@dataclass
class RecordingChannel:
    """Accepts every notification and keeps its subject by idempotency key (bodies are not
    kept: a three-year forecast of many projects would hold them all in memory)."""

    name: str
    subjects: dict[str, str] = field(default_factory=dict)

    def send(self, notification: Notification, recipients: list[Recipient]) -> None:
        """Keep the subject; never fails, never sends."""
        self.subjects[notification.idempotency_key] = notification.subject
