"""What counts as a deliverable address: an e-mail address, a webhook URL.

Checked when a recipient is registered (and for the configured From address), so a typo is a
clear message at the keyboard instead of a delivery that fails months later, on the day a
surveillance-audit reminder was due.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["MAX_ADDRESS_LENGTH", "check_email_address", "check_webhook_url"]

MAX_ADDRESS_LENGTH = 500  # notification_recipients.address

# RFC 5322 dot-atom local part and an RFC 1035 host name with at least one dot. ASCII only:
# delivering to internationalised addresses needs SMTPUTF8, which most relays lack.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^(?P<local>{_LOCAL})@(?P<domain>{_LABEL}(?:\.{_LABEL})*)$")


def check_email_address(text: str, *, local_domain: bool = False) -> str:
    """The address with its domain lower-cased; ValueError naming what is wrong.

    A domain without a dot (`isms-flow@localhost`) is accepted only with `local_domain`: in a
    recipient's address it is far more often a typo than a mail host on the local network.
    """
    address = text.strip()
    match = _EMAIL.match(address)
    if match is not None and "." not in match["domain"] and not local_domain:
        match = None
    # 64 and 254 are the SMTP limits of a local part and of a whole path (RFC 5321 4.5.3.1).
    if match is None or len(match["local"]) > 64 or len(address) > 254:
        raise ValueError(f"'{text}' is not an e-mail address (expected e.g. name@example.com)")
    return f"{match['local']}@{match['domain'].lower()}"


def check_webhook_url(text: str) -> str:
    """An absolute http(s) URL with a host; ValueError naming what is wrong."""
    url = text.strip()
    if not url or any(character.isspace() for character in url):
        raise ValueError(f"webhook URL '{text}' must not be empty or contain spaces")
    if len(url) > MAX_ADDRESS_LENGTH:
        raise ValueError(f"webhook URL is {len(url)} characters long; at most {MAX_ADDRESS_LENGTH}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it validates the port number
    except ValueError:
        raise ValueError(f"webhook URL '{text}' is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"webhook URL '{text}' must start with http:// or https://")
    if not parts.hostname:
        raise ValueError(f"webhook URL '{text}' has no host")
    if parts.username is not None or parts.password is not None:
        # Credentials in a URL would be printed by `recipients list`; the HMAC secret is the key.
        raise ValueError(f"webhook URL '{text}' must not carry a user name or password")
    if parts.fragment:
        raise ValueError(f"webhook URL '{text}' must not have a #fragment")
    return url
