"""The SMTP policy: verified implicit TLS, STARTTLS never downgraded, no cleartext off-host."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from csconsole.config import ServerConfig
from csconsole.sources.smtp import SmtpPermanentError, SmtpTemporaryError, send_message
from tests.replies.conftest import make_shop
from tests.servers.smtp import PASSWORD, USER, SmtpServer, start_smtp

RAW = b"From: a@shop.example\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nhello\r\n"


@pytest.fixture(scope="module")
def starttls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpServer]:
    """Cleartext greeting, STARTTLS required before AUTH and MAIL (a port 587 server)."""
    server = start_smtp(security="starttls", tls_dir=tmp_path_factory.mktemp("smtp-starttls"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpServer]:
    server = start_smtp(security="tls", tls_dir=tmp_path_factory.mktemp("smtp-tls"))
    yield server
    server.stop()


def _server(
    port: int, security: str, ca_file: Path | None = None, host: str = "127.0.0.1"
) -> ServerConfig:
    return ServerConfig(
        host=host,
        port=port,
        security=security,  # type: ignore[arg-type]
        username=USER,
        ca_file=str(ca_file) if ca_file else None,
        timeout=5.0,
    )


def test_implicit_tls_with_the_trusted_ca_delivers(tls_server: SmtpServer) -> None:
    tls_server.reset()
    assert tls_server.tls is not None
    server = _server(tls_server.port, "tls", tls_server.tls.ca_file)
    send_message(server, PASSWORD, sender="a@shop.example", recipients=["b@example.org"], raw=RAW)
    assert len(tls_server.wait_for(1)) == 1


def test_untrusted_certificate_is_a_permanent_error(tls_server: SmtpServer) -> None:
    tls_server.reset()
    with pytest.raises(SmtpPermanentError, match="certificate"):
        send_message(
            _server(tls_server.port, "tls"),
            PASSWORD,
            sender="a@shop.example",
            recipients=["b@example.org"],
            raw=RAW,
        )
    assert tls_server.arrivals == []


def test_starttls_missing_is_refused_not_downgraded(smtp_server: SmtpServer) -> None:
    with pytest.raises(SmtpPermanentError, match="STARTTLS"):
        send_message(
            _server(smtp_server.port, "starttls"),
            PASSWORD,
            sender="a@shop.example",
            recipients=["b@example.org"],
            raw=RAW,
        )
    assert smtp_server.arrivals == []


def test_cleartext_to_a_remote_host_is_refused() -> None:
    with pytest.raises(SmtpPermanentError, match="without TLS"):
        send_message(
            _server(25, "plain", host="mail.shop.example"),
            PASSWORD,
            sender="a@shop.example",
            recipients=["b@example.org"],
            raw=RAW,
        )


def test_wrong_password_is_permanent_and_a_closed_port_temporary(smtp_server: SmtpServer) -> None:
    with pytest.raises(SmtpPermanentError, match=r"535|login"):
        send_message(
            _server(smtp_server.port, "plain"),
            "wrong",
            sender="a@shop.example",
            recipients=["b@example.org"],
            raw=RAW,
        )
    with pytest.raises(SmtpTemporaryError):
        send_message(
            _server(9, "plain"), "", sender="a@shop.example", recipients=["b@example.org"], raw=RAW
        )


def test_reply_through_a_starttls_account_arrives_over_an_upgraded_session(
    starttls_server: SmtpServer, store_path: Path
) -> None:
    starttls_server.reset()
    assert starttls_server.tls is not None
    smtp = replace(
        _server(starttls_server.port, "starttls", starttls_server.tls.ca_file),
        password_command=f"echo {PASSWORD}",  # AUTH is only offered after the upgrade
    )
    shop = make_shop(store_path, starttls_server, save_sent="never", smtp_config=smtp)
    try:
        plan = shop.replies.plan(shop.conversation_id)
        queued = shop.replies.send(plan, "ارسال شد")
        assert [r.outcome for r in shop.replies.outbox.drain()] == ["sent"]
    finally:
        shop.services.close()
        shop.db.close()
    (arrival,) = starttls_server.wait_for(1)
    assert arrival.tls_version is not None and arrival.tls_version.startswith("TLS")
    assert arrival.recipients == ["sara@example.org"]
    assert arrival.message["Message-ID"] == f"<{queued.message_id}>"
    assert arrival.message.get_content().startswith("ارسال شد")


def test_implicit_tls_arrivals_are_seen_as_encrypted_and_plain_ones_not(
    tls_server: SmtpServer, smtp_server: SmtpServer
) -> None:
    """The server's TLS record is what the STARTTLS test relies on: check both ways."""
    tls_server.reset()
    assert tls_server.tls is not None
    for server in (
        _server(tls_server.port, "tls", tls_server.tls.ca_file),
        _server(smtp_server.port, "plain"),
    ):
        send_message(
            server, PASSWORD, sender="a@shop.example", recipients=["b@example.org"], raw=RAW
        )
    assert tls_server.wait_for(1)[0].tls_version is not None
    assert smtp_server.wait_for(1)[0].tls_version is None
