"""The structured-log channel: every notification is one `notification` log line, always on."""

from __future__ import annotations

import structlog

from isms_flow.schedule.channels.base import Notification, Recipient

__all__ = ["LogChannel"]

_log = structlog.get_logger("isms_flow.notifications")


class LogChannel:
    """Writes each notification to the structured log; needs no recipients and never fails.

    The line carries the idempotency key like every other channel, so a log shipper can drop
    the repeat that a dispatcher killed between delivery and record produces.
    """

    name = "log"

    def send(self, notification: Notification, recipients: list[Recipient]) -> None:
        """Log the notification at info level (run with `--log-level info` to see it)."""
        _log.info(
            "notification",
            idempotency_key=notification.idempotency_key,
            client=notification.client_key,
            project=notification.project_ref,
            kind=notification.kind,
            deadline=notification.deadline_key,
            due=notification.due_on.isoformat(),
            late=notification.late,
            language=notification.language,
            subject=notification.subject,
        )
