"""Connection security and transport: TLS, STARTTLS without downgrade, plaintext rules, DEFLATE."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from sqlite_utils import Database

from csconsole.config import ServerConfig
from csconsole.sources.imap_connection import ImapSecurityError, describe, open_imap
from tests.servers.dovecot import DovecotServer
from tests.servers.proxy import ThrottlingProxy
from tests.sync.helpers import account_for, mail, rows, sync


def _server(port: int, security: str, user: str, **extra: object) -> ServerConfig:
    return ServerConfig(
        host=str(extra.pop("host", "127.0.0.1")),
        port=port,
        security=security,  # type: ignore[arg-type]
        username=user,
        timeout=5,
        **extra,  # type: ignore[arg-type]
    )


def test_implicit_tls_with_the_test_ca(dovecot_tls: DovecotServer, fresh_store: Database) -> None:
    user = dovecot_tls.new_user()
    dovecot_tls.append(user, mail("Over TLS"))
    assert dovecot_tls.tls is not None and dovecot_tls.tls_port is not None
    imap = _server(dovecot_tls.tls_port, "tls", user[0], ca_file=str(dovecot_tls.tls.ca_file))
    client = open_imap(imap, user[1])
    assert describe(client)["tls"] is True
    client.close_now()
    account = account_for(dovecot_tls, user, imap=imap)
    sync(fresh_store, account, user[1])
    assert rows(fresh_store, "SELECT subject FROM messages") == [("Over TLS",)]


def test_untrusted_certificate_is_refused(dovecot_tls: DovecotServer) -> None:
    user = dovecot_tls.new_user()
    assert dovecot_tls.tls_port is not None
    with pytest.raises(ImapSecurityError, match="certificate"):
        open_imap(_server(dovecot_tls.tls_port, "tls", user[0]), user[1])


def test_starttls_upgrades_before_login(dovecot_tls: DovecotServer) -> None:
    user = dovecot_tls.new_user()
    assert dovecot_tls.tls is not None
    client = open_imap(
        _server(
            dovecot_tls.port,
            "starttls",
            user[0],
            host="localhost",
            ca_file=str(dovecot_tls.tls.ca_file),
        ),
        user[1],
    )
    assert describe(client)["tls"] is True
    client.close_now()


def test_starttls_never_falls_back_to_plaintext(dovecot: DovecotServer) -> None:
    """The full variant runs without TLS, so it does not offer STARTTLS."""
    user = dovecot.new_user()
    with ThrottlingProxy((dovecot.host, dovecot.port)) as proxy:
        with pytest.raises(ImapSecurityError, match="STARTTLS"):
            open_imap(_server(proxy.port, "starttls", user[0]), user[1])
        assert proxy.stats.up < 20  # the password never left: at most a CAPABILITY request


@pytest.fixture
def preauth_server() -> Iterator[int]:
    """A hostile server that greets with PREAUTH (the STARTTLS-skipping trick)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = int(listener.getsockname()[1])

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.sendall(b"* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome\r\n")
            try:
                conn.recv(1000)
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port
    listener.close()
    thread.join(timeout=2)


def test_preauth_greeting_is_refused_under_starttls(preauth_server: int) -> None:
    with pytest.raises(ImapSecurityError, match="PREAUTH"):
        open_imap(_server(preauth_server, "starttls", "someone"), "secret")


def test_plaintext_to_a_remote_host_is_refused_before_connecting() -> None:
    with pytest.raises(ImapSecurityError, match="without TLS"):
        open_imap(_server(143, "plain", "someone", host="192.0.2.10"), "secret")


def test_compression_cuts_the_bytes_of_a_first_sync(
    dovecot: DovecotServer, dovecot_condstore: DovecotServer, tmp_path: object
) -> None:
    from csconsole.store.db import open_store

    downloaded = {}
    for server in (dovecot, dovecot_condstore):  # same mail, with and without DEFLATE
        user = server.new_user()
        server.append_many(
            user, [mail(f"Question {i}", "Where is my order? " * 20) for i in range(60)]
        )
        with ThrottlingProxy((server.host, server.port)) as proxy:
            db = open_store(f"{tmp_path}/{server.variant.name}.sqlite")
            sync(db, account_for(server, user, port=proxy.port, sent_folder="Sent"), user[1])
            assert rows(db, "SELECT count(*) FROM messages") == [(60,)]
            db.close()
            downloaded[server.variant.name] = proxy.stats.down
    assert downloaded["full"] * 3 < downloaded["condstore"]
