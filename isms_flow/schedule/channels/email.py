"""The e-mail channel: one message per language of the recipients, over SMTP.

Each message is multipart/alternative (plain text and a simple HTML rendering of the same
text), UTF-8, with its subject encoded per RFC 2047 so Japanese survives every relay. The
`Message-ID` is derived from the notification's idempotency key (and the language), so a
message sent again after a crash between delivery and record carries the same Message-ID and
mail systems that deduplicate drop it; the key itself travels in `X-Isms-Flow-Idempotency-Key`
for receivers that file notifications by machine.

Every failure (no connection, refused login, missing STARTTLS, a refused recipient) becomes a
`DeliveryError` whose message names the server and the reason; the dispatcher retries it.
"""

from __future__ import annotations

import hashlib
import html
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime

import structlog

from isms_flow.clock import Clock, SystemClock
from isms_flow.config import Settings
from isms_flow.schedule.channels.base import DeliveryError, Notification, Recipient

__all__ = ["IDEMPOTENCY_HEADER", "EmailChannel", "SmtpSettings", "compose_message", "message_id"]

IDEMPOTENCY_HEADER = "X-Isms-Flow-Idempotency-Key"
_log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to hand messages over; built from `Settings` by `from_settings`."""

    host: str = "localhost"
    port: int = 25
    sender: str = "isms-flow@localhost"
    starttls: bool = False
    username: str = ""
    password: str = ""
    timeout_seconds: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpSettings:
        """The `smtp_*` settings."""
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            starttls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value(),
            timeout_seconds=settings.smtp_timeout_seconds,
        )

    @property
    def server(self) -> str:
        """`host:port`, as error messages name it."""
        return f"{self.host}:{self.port}"


class _UnfoldedIds(EmailPolicy):
    """SMTP line endings; the identifying headers and an ASCII subject on one line each.

    Folding is legal, but Python's folder breaks a long value right after the colon and
    parsers (Python's own among them) then keep the fold's space in the value, so a
    receiver's duplicate check would compare " <id>" with "<id>". These values stay far below
    the 998-character line limit; a non-ASCII subject is folded into RFC 2047 encoded words.
    """

    def fold_binary(self, name: str, value: str) -> bytes:
        text = str(value)
        if name.lower() in _UNFOLDED and text.isascii() and len(name) + len(text) < 990:
            return f"{name}: {text}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


_UNFOLDED = {"message-id", "subject", IDEMPOTENCY_HEADER.lower()}
_POLICY = _UnfoldedIds(linesep="\r\n")


def message_id(idempotency_key: str, language: str, sender: str) -> str:
    """A stable Message-ID: the same key and language give the same id on every resend."""
    # The key holds ':' which a Message-ID may not; a digest is stable and always valid.
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:40]
    domain = sender.rpartition("@")[2] or "isms-flow.invalid"
    return f"<{digest}.{language}@{domain}>"


def compose_message(
    notification: Notification,
    *,
    language: str,
    to: list[str],
    sender: str,
    clock: Clock,
) -> EmailMessage:
    """The message for the recipients of one language."""
    subject, body = notification.text_in(language)
    subject = " ".join(subject.split())  # a line break in a header would end the header
    message = EmailMessage(policy=_POLICY)
    message["From"] = Address(display_name="isms-flow", addr_spec=sender)
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = message_id(notification.idempotency_key, language, sender)
    message[IDEMPOTENCY_HEADER] = notification.idempotency_key
    # RFC 3834: an automatic message; vacation responders must not answer it.
    message["Auto-Submitted"] = "auto-generated"
    # Base64 keeps the message 7-bit clean for a relay without 8BITMIME.
    message.set_content(body, charset="utf-8", cte="base64")
    message.add_alternative(
        _html(subject, body, language), subtype="html", charset="utf-8", cte="base64"
    )
    # After the content: setting content replaces the Content-* headers set before it.
    message["Content-Language"] = language
    return message


def _html(subject: str, body: str, language: str) -> str:
    paragraphs = [part for part in body.split("\n\n") if part.strip()]
    rendered = "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in part.splitlines()) + "</p>"
        for part in paragraphs
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(language)}">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head>\n<body>\n{rendered}\n</body>\n</html>\n"
    )


class EmailChannel:
    """Delivers notifications as e-mail through one SMTP server."""

    name = "email"

    def __init__(self, smtp: SmtpSettings, *, clock: Clock | None = None) -> None:
        self.smtp = smtp
        self._clock = clock or SystemClock()

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock | None = None) -> EmailChannel:
        """The channel configured by the `smtp_*` settings."""
        return cls(SmtpSettings.from_settings(settings), clock=clock)

    def send(self, notification: Notification, recipients: list[Recipient]) -> None:
        """Send one message per recipient language; DeliveryError if any is not accepted."""
        groups = _by_language(recipients)
        if not groups:
            return
        messages = [
            (
                addresses,
                compose_message(
                    notification,
                    language=language,
                    to=addresses,
                    sender=self.smtp.sender,
                    clock=self._clock,
                ),
            )
            for language, addresses in groups.items()
        ]
        with self._session() as server:
            for addresses, message in messages:
                self._hand_over(server, message, addresses)
        _log.debug(
            "email_sent",
            idempotency_key=notification.idempotency_key,
            messages=len(messages),
            recipients=sum(len(addresses) for addresses, _ in messages),
        )

    @contextmanager
    def _session(self) -> Iterator[smtplib.SMTP]:
        server = smtplib.SMTP(timeout=self.smtp.timeout_seconds)
        try:
            with self._errors_mapped():
                server.connect(self.smtp.host, self.smtp.port)
                server.ehlo()
                if self.smtp.starttls:
                    server.starttls(context=ssl.create_default_context())
                    server.ehlo()
                if self.smtp.username:
                    server.login(self.smtp.username, self.smtp.password)
            yield server
        finally:
            _close(server)

    def _hand_over(self, server: smtplib.SMTP, message: EmailMessage, to: list[str]) -> None:
        with self._errors_mapped():
            refused = server.send_message(message, from_addr=self.smtp.sender, to_addrs=to)
        if refused:
            # Some were accepted: the retry resends to all with the same Message-ID.
            raise DeliveryError(
                f"e-mail: the SMTP server {self.smtp.server} refused {_refusals(refused)}; "
                "the other recipients were accepted"
            )

    @contextmanager
    def _errors_mapped(self) -> Iterator[None]:
        where = f"the SMTP server {self.smtp.server}"
        try:
            yield
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryError(f"e-mail: {where} refused {_refusals(error.recipients)}") from None
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryError(
                f"e-mail: {where} refused the login of '{self.smtp.username}': "
                f"{_reply(error.smtp_code, error.smtp_error)}"
            ) from None
        except smtplib.SMTPSenderRefused as error:
            raise DeliveryError(
                f"e-mail: {where} refused the sender {self.smtp.sender}: "
                f"{_reply(error.smtp_code, error.smtp_error)}"
            ) from None
        except smtplib.SMTPNotSupportedError as error:
            raise DeliveryError(f"e-mail: {where} {_unsupported(error, self.smtp)}") from None
        except smtplib.SMTPServerDisconnected as error:
            raise DeliveryError(f"e-mail: {where} closed the connection: {error}") from None
        except smtplib.SMTPResponseException as error:
            raise DeliveryError(
                f"e-mail: {where} answered {_reply(error.smtp_code, error.smtp_error)}"
            ) from None
        except smtplib.SMTPException as error:
            raise DeliveryError(f"e-mail: {where} failed: {error}") from None
        except ssl.SSLError as error:
            reason = error.reason or str(error)
            raise DeliveryError(f"e-mail: TLS with {where} failed: {reason}") from None
        except TimeoutError:
            raise DeliveryError(
                f"e-mail: {where} did not answer within {self.smtp.timeout_seconds:g} s"
            ) from None
        except OSError as error:
            reason = error.strerror or str(error) or type(error).__name__
            raise DeliveryError(f"e-mail: cannot reach {where}: {reason}") from None


def _by_language(recipients: list[Recipient]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for recipient in recipients:
        addresses = groups.setdefault(recipient.language, [])
        if recipient.address not in addresses:  # one address with two roles gets one copy
            addresses.append(recipient.address)
    return groups


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(message.split())}"


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    listed = ", ".join(f"{address} ({_reply(*reply)})" for address, reply in refused.items())
    return f"{len(refused)} recipient(s): {listed}"


def _unsupported(error: smtplib.SMTPNotSupportedError, smtp: SmtpSettings) -> str:
    text = str(error)
    if "STARTTLS" in text.upper():
        return "does not offer STARTTLS (smtp_starttls is on)"
    if "AUTH" in text.upper():
        return f"does not offer a login (smtp_username is '{smtp.username}')"
    return f"does not support what was asked: {text}"


def _close(server: smtplib.SMTP) -> None:
    # The messages were accepted or the error already raised: a failing QUIT changes nothing.
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()
