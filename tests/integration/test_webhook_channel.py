"""The webhook channel against a real HTTP server on 127.0.0.1 (http.server in a thread).

What a receiver sees: one signed JSON POST per recipient, the idempotency key in a header,
a signature that verifies with the recipient's secret (and fails for a tampered body, another
secret or an old timestamp), and every failure (non-2xx, redirect, timeout, nobody listening)
as a DeliveryError that names the status or reason.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from isms_flow.clock import FrozenClock
from isms_flow.config import load_settings
from isms_flow.schedule.channels.base import DeliveryError, Notification, Recipient
from isms_flow.schedule.channels.signing import sign, verify_signature
from isms_flow.schedule.channels.webhook import WebhookChannel

KEY = "7:surveillance_audit:2027:2027-11-19:reminder:30:webhook"
SECRET = "whsec-3c1f0a9b7d4e2f6a8b0c"
SENT_AT = datetime(2027, 10, 20, 0, 0, 5, tzinfo=UTC)


@dataclass
class Delivery:
    """One request as the receiver got it."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A loopback HTTP server that records requests and answers `status`."""

    port: int = 0
    status: int = 204
    location: str = ""
    hold: threading.Event | None = None  # when set: wait for it before answering
    deliveries: list[Delivery] = field(default_factory=list)

    def url(self, path: str = "/hooks/isms") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.deliveries.append(Delivery(self.path, dict(self.headers.items()), body))
            if receiver.hold is not None:
                receiver.hold.wait(timeout=30)
            self.send_response(receiver.status)
            if receiver.location:
                self.send_header("Location", receiver.location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output clean

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A running receiver on a free loopback port."""
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    if state.hold is not None:
        state.hold.set()
    server.shutdown()
    server.server_close()
    thread.join()


def _channel(timeout: float = 5.0) -> WebhookChannel:
    return WebhookChannel(timeout_seconds=timeout, clock=FrozenClock(SENT_AT))


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
        "language": "en",
        "subject": "[ISMS] acme/isms: first surveillance audit due in 30 days",
        "body": "The first surveillance audit is due on 2027-11-19.",
        "data": {"days_left": 30, "blockers": ["internal audit report"], "kind": "overwritten"},
        "translations": {
            "ja": ("【ISMS】第1回サーベイランス審査まで30日", "期限は2027-11-19です。")
        },
    }
    values.update(changes)
    return Notification(**values)


def _recipient(receiver: Receiver, **changes: Any) -> Recipient:
    values: dict[str, Any] = {
        "address": receiver.url(),
        "role": "isms_manager",
        "language": "en",
        "secret": SECRET,
    }
    values.update(changes)
    return Recipient(**values)


def test_a_signed_json_post_with_the_envelope_and_the_idempotency_key(
    receiver: Receiver,
) -> None:
    _channel().send(_notification(), [_recipient(receiver)])

    [delivery] = receiver.deliveries
    assert delivery.path == "/hooks/isms"
    assert delivery.headers["Content-Type"] == "application/json; charset=utf-8"
    assert delivery.headers["Idempotency-Key"] == KEY
    assert delivery.headers["X-Isms-Flow-Timestamp"] == str(int(SENT_AT.timestamp()))
    assert json.loads(delivery.body) == {
        "format": 1,
        "idempotency_key": KEY,
        "kind": "reminder",  # the envelope wins over a data field of the same name
        "client": "acme",
        "project": "acme/isms",
        "deadline": "surveillance_audit:2027",
        "deadline_kind": "surveillance_audit",
        "due_on": "2027-11-19",
        "fire_at": "2027-10-20T00:00:00+00:00",
        "late": False,
        "language": "en",
        "subject": "[ISMS] acme/isms: first surveillance audit due in 30 days",
        "body": "The first surveillance audit is due on 2027-11-19.",
        "days_left": 30,
        "blockers": ["internal audit report"],
    }


def test_the_signature_verifies_and_a_tampered_body_does_not(receiver: Receiver) -> None:
    _channel().send(_notification(), [_recipient(receiver)])
    [delivery] = receiver.deliveries
    timestamp = delivery.headers["X-Isms-Flow-Timestamp"]
    signature = delivery.headers["X-Isms-Flow-Signature"]
    assert signature.startswith("sha256=")
    now = SENT_AT + timedelta(seconds=2)

    assert verify_signature(SECRET, timestamp, delivery.body, signature, now)
    tampered = delivery.body.replace(b'"late": false', b'"late": true')
    assert tampered != delivery.body
    assert not verify_signature(SECRET, timestamp, tampered, signature, now)
    assert not verify_signature(
        "another-secret-of-the-same-size", timestamp, delivery.body, signature, now
    )
    # A replay of the captured request ten minutes later is refused, as is a moved timestamp.
    assert not verify_signature(
        SECRET, timestamp, delivery.body, signature, now + timedelta(minutes=10)
    )
    moved = str(int(timestamp) + 60)
    assert not verify_signature(SECRET, moved, delivery.body, signature, now)
    assert not verify_signature(SECRET, "not-a-number", delivery.body, signature, now)
    assert not verify_signature(
        SECRET, timestamp, delivery.body, signature.removeprefix("sha256="), now
    )


def test_the_signature_is_the_documented_hmac() -> None:
    # The recipe in docs/scheduling.md, computed by hand for a fixed input.
    import hashlib
    import hmac

    expected = hmac.new(b"k" * 16, b"1790812800.{}", hashlib.sha256).hexdigest()
    assert sign("k" * 16, "1790812800", b"{}") == f"sha256={expected}"


def test_each_recipient_gets_its_language_and_its_own_signature(receiver: Receiver) -> None:
    other_secret = "another-secret-0123456789"
    _channel().send(
        _notification(),
        [
            _recipient(receiver),
            _recipient(receiver, address=receiver.url("/ja"), language="ja", secret=other_secret),
            _recipient(receiver, role="escalation"),  # the same URL twice: one POST
        ],
    )
    assert [d.path for d in receiver.deliveries] == ["/hooks/isms", "/ja"]
    japanese = receiver.deliveries[1]
    content = json.loads(japanese.body)
    assert (content["language"], content["subject"]) == (
        "ja",
        "【ISMS】第1回サーベイランス審査まで30日",
    )
    assert "第1回" in japanese.body.decode("utf-8")  # UTF-8, not \\u escapes
    stamp, signature = (
        japanese.headers["X-Isms-Flow-Timestamp"],
        japanese.headers["X-Isms-Flow-Signature"],
    )
    assert verify_signature(other_secret, stamp, japanese.body, signature, SENT_AT)
    assert not verify_signature(SECRET, stamp, japanese.body, signature, SENT_AT)


def test_a_server_error_is_a_delivery_error_with_the_status(receiver: Receiver) -> None:
    receiver.status = 500
    with pytest.raises(DeliveryError) as failed:
        _channel().send(_notification(), [_recipient(receiver)])
    assert str(failed.value) == (
        f"webhook http://127.0.0.1:{receiver.port}/hooks/isms: "
        "the receiver answered HTTP 500 Internal Server Error"
    )


def test_a_redirect_is_not_followed(receiver: Receiver) -> None:
    receiver.status = 302
    receiver.location = receiver.url("/elsewhere")
    with pytest.raises(DeliveryError) as failed:
        _channel().send(_notification(), [_recipient(receiver)])
    assert str(failed.value).endswith("answered HTTP 302 Found (redirects are not followed)")
    assert [d.path for d in receiver.deliveries] == ["/hooks/isms"]


def test_a_receiver_that_does_not_answer_in_time_is_a_delivery_error(receiver: Receiver) -> None:
    receiver.hold = threading.Event()  # the receiver takes the request and never answers
    with pytest.raises(DeliveryError) as failed:
        _channel(timeout=0.5).send(_notification(), [_recipient(receiver)])
    assert str(failed.value) == (
        f"webhook http://127.0.0.1:{receiver.port}/hooks/isms: no answer within 0.5 s"
    )


def test_nobody_listening_is_a_delivery_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recipient = Recipient(
        address=f"http://127.0.0.1:{port}/hook?token=abc", role="any", language="en", secret=SECRET
    )
    with pytest.raises(DeliveryError) as failed:
        _channel().send(_notification(), [recipient])
    message = str(failed.value)
    assert message.startswith(f"webhook http://127.0.0.1:{port}/hook: cannot connect: ")
    assert "token=abc" not in message  # a query string may hold an access token


def test_a_failing_recipient_stops_the_send_for_a_retry_with_the_same_key(
    receiver: Receiver,
) -> None:
    receiver.status = 503
    with pytest.raises(DeliveryError, match="HTTP 503"):
        _channel().send(_notification(), [_recipient(receiver)])
    receiver.status = 200
    _channel().send(_notification(), [_recipient(receiver)])
    keys = [d.headers["Idempotency-Key"] for d in receiver.deliveries]
    assert keys == [KEY, KEY]  # the receiver can drop the repeat


def test_the_timeout_comes_from_the_settings() -> None:
    settings = load_settings(webhook_timeout_seconds=2.5)
    assert WebhookChannel.from_settings(settings).timeout_seconds == 2.5


def test_a_stored_address_that_is_not_http_is_never_opened(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("unchanged", encoding="utf-8")
    recipient = Recipient(address=target.as_uri(), role="any", language="en", secret=SECRET)
    with pytest.raises(DeliveryError, match="only http and https URLs are posted to"):
        _channel().send(_notification(), [recipient])
    assert target.read_text(encoding="utf-8") == "unchanged"
