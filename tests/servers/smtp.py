"""A real SMTP server on loopback (aiosmtpd) that can be told to misbehave.

Modes: ``ok``; ``temp`` (451 to DATA); ``perm`` (550 to DATA); ``auth_fail`` (535);
``die_after_data`` (the message arrives, then the connection drops before any
reply); ``hang_after_data`` (the message arrives, then no reply until
``release()``, so a test can kill the sender in the middle of a send).
``on_message`` runs for every arrival, e.g. to file a copy in Sent the way Gmail does.
Each arrival records the TLS version the server saw (None for cleartext), so a test
can prove a STARTTLS session really was upgraded.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from tests.servers.tls import TlsFiles, make_tls_files

USER, PASSWORD = "shop", "smtp-secret"


@dataclass
class Arrival:
    """One message as the server received it."""

    sender: str
    recipients: list[str]
    raw: bytes
    tls_version: str | None = None  # e.g. "TLSv1.3" when the session was encrypted

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class SmtpServer:
    """Where it listens, what arrived, and the switch for failures."""

    host: str
    port: int
    mode: str = "ok"
    arrivals: list[Arrival] = field(default_factory=list)
    on_message: Callable[[Arrival], None] | None = None
    tls: TlsFiles | None = None
    _release: threading.Event = field(default_factory=threading.Event)
    _controller: Controller | None = None

    def release(self) -> None:
        self._release.set()

    def reset(self, mode: str = "ok") -> None:
        self.mode = mode
        self.arrivals.clear()
        self._release.clear()
        self.on_message = None

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Arrival]:
        deadline = time.monotonic() + timeout
        while len(self.arrivals) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.arrivals)

    def stop(self) -> None:
        self._release.set()
        if self._controller is not None:
            self._controller.stop()


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, smtp: object, session: Session, envelope: Envelope) -> str:
        mode = self.server.mode
        if mode == "temp":
            return "451 4.3.0 Try again later"
        if mode == "perm":
            return "550 5.1.1 Mailbox unavailable"
        arrival = Arrival(
            str(envelope.mail_from),
            [str(r) for r in envelope.rcpt_tos],
            bytes(envelope.content),
            _tls_version(smtp, session),
        )
        self.server.arrivals.append(arrival)
        if self.server.on_message:
            self.server.on_message(arrival)
        if mode == "die_after_data":
            transport = getattr(smtp, "transport", None)
            if transport is not None:
                transport.abort()
            return "421 gone"
        if mode == "hang_after_data":
            while not self.server._release.is_set():
                await _sleep(0.05)
        return "250 2.0.0 Queued"


def _tls_version(smtp: object, session: Session) -> str | None:
    """The TLS version this session runs under, as the server itself sees it.

    After STARTTLS aiosmtpd keeps the upgraded layer's details in ``session.ssl``;
    with implicit TLS the transport carries the SSL object.
    """
    details = session.ssl or {}
    ssl_object = details.get("ssl_object")
    if ssl_object is None:
        transport = getattr(smtp, "transport", None)
        ssl_object = transport.get_extra_info("ssl_object") if transport is not None else None
    return str(ssl_object.version()) if ssl_object is not None else None


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


def _authenticator(server: SmtpServer) -> Callable[..., AuthResult]:
    def check(
        smtp: object, session: Session, envelope: Envelope, mechanism: str, data: object
    ) -> AuthResult:
        if server.mode == "auth_fail":
            return AuthResult(success=False, handled=False)
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        return AuthResult(success=ok, handled=False)

    return check


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_smtp(*, security: str = "plain", tls_dir: Path | None = None) -> SmtpServer:
    """Start a server: ``plain`` (no TLS), ``tls`` (implicit, port 465 style), ``starttls``."""
    server = SmtpServer("127.0.0.1", _free_port())
    kwargs: dict[str, object] = {
        "authenticator": _authenticator(server),
        "auth_require_tls": security != "plain",
        "auth_required": False,
    }
    if security != "plain":
        assert tls_dir is not None
        server.tls = make_tls_files(tls_dir)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(server.tls.cert_file), str(server.tls.key_file))
        if security == "tls":
            kwargs["ssl_context"] = context
            # aiosmtpd does not see the socket's TLS layer and would hide AUTH otherwise.
            kwargs["auth_require_tls"] = False
        else:
            kwargs["tls_context"] = context
            kwargs["require_starttls"] = True
    controller = Controller(
        _Handler(server), hostname=server.host, port=server.port, ready_timeout=10, **kwargs
    )
    controller.start()
    server._controller = controller
    return server


@pytest.fixture(scope="session")
def smtp_session_server() -> Iterator[SmtpServer]:
    server = start_smtp()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(smtp_session_server: SmtpServer) -> Iterator[SmtpServer]:
    """The shared plain loopback server, reset to behave for each test."""
    smtp_session_server.reset()
    yield smtp_session_server
    smtp_session_server.release()
    smtp_session_server.reset()
