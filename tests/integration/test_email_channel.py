"""The e-mail channel against a real SMTP server (aiosmtpd) on 127.0.0.1.

What a recipient's mail system sees: one message per language, UTF-8 text and HTML parts, a
Japanese subject that decodes, a Message-ID that is the same when a notification is sent
again, and every failure (refused recipient, refused login, no STARTTLS, no server) as a
DeliveryError with a one-line reason.
"""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from isms_flow.clock import FrozenClock
from isms_flow.config import load_settings
from isms_flow.errors import BadInput
from isms_flow.schedule.channels.base import DeliveryError, Notification, Recipient
from isms_flow.schedule.channels.email import EmailChannel, SmtpSettings, message_id

KEY = "7:surveillance_audit:2027:2027-11-19:reminder:30:email"
SENDER = "isms-flow@consultancy.example.jp"
SUBJECT_JA = "【ISMS】acme/isms: 第1回サーベイランス審査の期限まで30日 (2027-11-19)"
BODY_JA = "第1回サーベイランス審査の期限は2027-11-19です。\n\n不足しているもの:\n- 内部監査報告書"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server accepted, and which addresses it refuses."""

    refuse: set[str] = field(default_factory=set)
    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"

    def raw(self, index: int) -> bytes:
        return self.received[index][2].as_bytes()


@dataclass
class SmtpServer:
    """A running server and the mailbox behind it."""

    port: int
    mailbox: Mailbox

    def channel(self, **overrides: Any) -> EmailChannel:
        smtp = SmtpSettings(host="127.0.0.1", port=self.port, sender=SENDER, timeout_seconds=5)
        values = {**smtp.__dict__, **overrides}
        return EmailChannel(SmtpSettings(**values), clock=FrozenClock(SENT_AT))


SENT_AT = datetime(2027, 10, 20, 0, 0, tzinfo=UTC)


def _start(mailbox: Mailbox, **smtp_options: Any) -> Iterator[SmtpServer]:
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **smtp_options)
    controller.start()
    try:
        yield SmtpServer(port, mailbox)
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on a free loopback port."""
    yield from _start(Mailbox())


def _authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"isms",
        b"correct horse",
    )
    return AuthResult(success=ok, handled=False)  # not handled: the server answers 535


@pytest.fixture
def smtp_with_login() -> Iterator[SmtpServer]:
    """A server that wants a login (plain-text AUTH allowed on loopback for the test)."""
    yield from _start(Mailbox(), authenticator=_authenticator, auth_require_tls=False)


def _notification(**changes: Any) -> Notification:
    values: dict[str, Any] = {
        "idempotency_key": KEY,
        "kind": "reminder",
        "client_key": "acme",
        "project_ref": "acme/isms",
        "deadline_key": "surveillance_audit:2027",
        "deadline_kind": "surveillance_audit",
        "due_on": date(2027, 11, 19),
        "fire_at": datetime(2027, 10, 20, 0, 0, tzinfo=UTC),
        "late": False,
        "language": "ja",
        "subject": SUBJECT_JA,
        "body": BODY_JA,
        "translations": {
            "en": (
                "[ISMS] acme/isms: first surveillance audit due in 30 days (2027-11-19)",
                "The first surveillance audit is due on 2027-11-19.\n\n"
                "Still missing:\n- internal audit report",
            )
        },
    }
    values.update(changes)
    return Notification(**values)


def _text(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    content = part.get_content()
    assert isinstance(content, str)
    return content.replace("\r\n", "\n")  # text travels in MIME's canonical CRLF form


def test_one_message_per_language_with_headers_and_decoded_bodies(smtp: SmtpServer) -> None:
    recipients = [
        Recipient(address="tanaka@acme.example.jp", role="isms_manager", language="ja"),
        Recipient(address="ceo@acme.example.jp", role="top_management", language="ja"),
        Recipient(address="auditor@partner.example.com", role="consultant", language="en"),
    ]
    smtp.channel().send(_notification(), recipients)

    assert len(smtp.mailbox.received) == 2
    by_language = {msg["Content-Language"]: (rcpt, msg) for _, rcpt, msg in smtp.mailbox.received}
    ja_to, ja = by_language["ja"]
    en_to, en = by_language["en"]
    assert ja_to == ["tanaka@acme.example.jp", "ceo@acme.example.jp"]
    assert en_to == ["auditor@partner.example.com"]

    assert ja["Subject"] == SUBJECT_JA  # decoded from RFC 2047
    assert ja["From"].addresses[0].addr_spec == SENDER
    assert ja["X-Isms-Flow-Idempotency-Key"] == KEY
    assert ja["Message-ID"] == message_id(KEY, "ja", SENDER)
    assert ja["Message-ID"].endswith("@consultancy.example.jp>")
    assert ja["Auto-Submitted"] == "auto-generated"
    assert ja.get_content_type() == "multipart/alternative"
    assert _text(ja, "plain") == BODY_JA + "\n"
    assert "第1回サーベイランス審査の期限は2027-11-19です。" in _text(ja, "html")
    assert "<br>" in _text(ja, "html") or "<p>" in _text(ja, "html")

    assert en["Subject"].startswith("[ISMS] acme/isms: first surveillance audit")
    assert "Still missing:\n- internal audit report" in _text(en, "plain")
    assert en["Message-ID"] != ja["Message-ID"]

    # On the wire every header is 7-bit ASCII: the Japanese subject is encoded, not raw UTF-8.
    raw_headers = smtp.mailbox.raw(0).split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    assert raw_headers.isascii()
    assert b"=?utf-8?" in raw_headers.lower()


def test_a_resend_after_a_crash_carries_the_same_message_id(smtp: SmtpServer) -> None:
    recipient = [Recipient(address="tanaka@acme.example.jp", role="isms_manager", language="ja")]
    smtp.channel().send(_notification(), recipient)
    smtp.channel().send(_notification(), recipient)  # a new process, the same outbox row

    first, second = (msg for _, _, msg in smtp.mailbox.received)
    assert first["Message-ID"] == second["Message-ID"]
    assert first["X-Isms-Flow-Idempotency-Key"] == second["X-Isms-Flow-Idempotency-Key"] == KEY
    other = _notification(idempotency_key=KEY.replace(":30:", ":7:"))
    smtp.channel().send(other, recipient)
    assert smtp.mailbox.received[2][2]["Message-ID"] != first["Message-ID"]


def test_a_recipient_without_translation_gets_the_notification_language(smtp: SmtpServer) -> None:
    smtp.channel().send(
        _notification(translations={}),
        [Recipient(address="auditor@partner.example.com", role="consultant", language="en")],
    )
    message = smtp.mailbox.received[0][2]
    assert message["Subject"] == SUBJECT_JA
    assert message["Content-Language"] == "en"


def test_a_refused_recipient_is_a_delivery_error(smtp: SmtpServer) -> None:
    smtp.mailbox.refuse.add("gone@acme.example.jp")
    with pytest.raises(DeliveryError) as refused:
        smtp.channel().send(
            _notification(),
            [Recipient(address="gone@acme.example.jp", role="isms_manager", language="ja")],
        )
    assert str(refused.value) == (
        f"e-mail: the SMTP server 127.0.0.1:{smtp.port} refused 1 recipient(s): "
        "gone@acme.example.jp (550 5.1.1 mailbox unavailable)"
    )
    assert smtp.mailbox.received == []


def test_one_refused_among_accepted_recipients_is_still_an_error(smtp: SmtpServer) -> None:
    smtp.mailbox.refuse.add("gone@acme.example.jp")
    with pytest.raises(DeliveryError, match="the other recipients were accepted"):
        smtp.channel().send(
            _notification(),
            [
                Recipient(address="tanaka@acme.example.jp", role="isms_manager", language="ja"),
                Recipient(address="gone@acme.example.jp", role="isms_manager", language="ja"),
            ],
        )
    assert smtp.mailbox.received[0][1] == ["tanaka@acme.example.jp"]


def test_a_server_that_is_down_is_a_delivery_error() -> None:
    port = _free_port()  # nothing listens there
    channel = EmailChannel(SmtpSettings(host="127.0.0.1", port=port, sender=SENDER))
    with pytest.raises(DeliveryError) as down:
        channel.send(
            _notification(),
            [Recipient(address="tanaka@acme.example.jp", role="isms_manager", language="ja")],
        )
    assert str(down.value).startswith(f"e-mail: cannot reach the SMTP server 127.0.0.1:{port}: ")
    assert "refused" in str(down.value).lower()


def test_starttls_demanded_but_not_offered_is_a_delivery_error(smtp: SmtpServer) -> None:
    with pytest.raises(DeliveryError) as no_tls:
        smtp.channel(starttls=True).send(
            _notification(),
            [Recipient(address="tanaka@acme.example.jp", role="isms_manager", language="ja")],
        )
    assert str(no_tls.value) == (
        f"e-mail: the SMTP server 127.0.0.1:{smtp.port} does not offer STARTTLS "
        "(smtp_starttls is on)"
    )
    assert smtp.mailbox.received == []


def test_a_login_is_used_and_a_wrong_password_is_a_delivery_error(
    smtp_with_login: SmtpServer,
) -> None:
    recipient = [Recipient(address="tanaka@acme.example.jp", role="isms_manager", language="ja")]
    with pytest.raises(DeliveryError) as refused:
        smtp_with_login.channel(username="isms", password="wrong").send(_notification(), recipient)
    assert str(refused.value).startswith(
        f"e-mail: the SMTP server 127.0.0.1:{smtp_with_login.port} refused the login of 'isms': 535"
    )
    assert smtp_with_login.mailbox.received == []

    smtp_with_login.channel(username="isms", password="correct horse").send(
        _notification(), recipient
    )
    assert len(smtp_with_login.mailbox.received) == 1


def test_no_recipients_sends_nothing_and_needs_no_server() -> None:
    channel = EmailChannel(SmtpSettings(host="127.0.0.1", port=_free_port(), sender=SENDER))
    channel.send(_notification(), [])  # no connection is attempted, so no error


def test_the_channel_is_built_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISMS_FLOW_SMTP_PASSWORD", "s3cret")
    settings = load_settings(smtp_host="mail.example.jp", smtp_port=587, smtp_starttls=True)
    channel = EmailChannel.from_settings(settings)
    assert channel.smtp == SmtpSettings(
        host="mail.example.jp",
        port=587,
        sender="isms-flow@localhost",
        starttls=True,
        username="",
        password="s3cret",
        timeout_seconds=10.0,
    )
    assert "s3cret" not in repr(settings)  # a SecretStr never prints


def test_a_bad_sender_address_in_the_settings_is_bad_input() -> None:
    with pytest.raises(BadInput) as bad:
        load_settings(smtp_from="isms-flow at example.jp")
    assert str(bad.value) == (
        "setting smtp_from: 'isms-flow at example.jp' is not an e-mail address "
        "(expected e.g. name@example.com)"
    )
