"""The delivery channels by name, built from settings: `log` always, plus e-mail and webhook.

A reminder row names its channel; the dispatcher looks it up here. A row whose channel is not
built (e.g. an old row after a channel was removed) is reported, not dropped silently.
"""

from __future__ import annotations

from isms_flow.config import Settings
from isms_flow.schedule.channels.base import Channel
from isms_flow.schedule.channels.email import EmailChannel
from isms_flow.schedule.channels.log import LogChannel
from isms_flow.schedule.channels.webhook import WebhookChannel

__all__ = ["CHANNEL_NAMES", "build_channels"]

CHANNEL_NAMES = ("log", "email", "webhook")
"""The channels `build_channels` builds (a simulation stands in for each of them)."""


def build_channels(settings: Settings) -> dict[str, Channel]:
    """Every channel this installation delivers through, by name."""
    channels: dict[str, Channel] = {"log": LogChannel()}
    # --- e-mail and webhook channels (helper C): add them below this line -----------------
    # Both read the real clock even under a simulated one: a Date header and a signature
    # timestamp are checked against the receiver's own clock.
    channels["email"] = EmailChannel.from_settings(settings)
    channels["webhook"] = WebhookChannel.from_settings(settings)
    # --- end of e-mail and webhook channels ------------------------------------------------
    return channels
