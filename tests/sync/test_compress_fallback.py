"""COMPRESS=DEFLATE that is refused, or breaks the link, falls back to an uncompressed session."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from csconsole.config import Config
from csconsole.services.sync import sync_once
from csconsole.sources.imap_connection import open_imap
from csconsole.store.db import open_store
from tests.servers.dovecot import DovecotServer
from tests.servers.proxy import ThrottlingProxy
from tests.sync.helpers import account_for, mail


def _with_password(account: object, tmp_path: Path, password: str) -> object:
    from dataclasses import replace

    secret = tmp_path / "secret"
    secret.write_text(password)
    imap = replace(account.imap, password_command=f"cat {secret}")  # type: ignore[attr-defined]
    return replace(account, imap=imap)  # type: ignore[type-var]


def _subjects(store: Path) -> set[str]:
    db = open_store(store)
    try:
        return {str(r[0]) for r in db.execute("SELECT subject FROM messages").fetchall()}
    finally:
        db.close()


def test_broken_compressed_stream_reconnects_once_without_compress(
    dovecot: DovecotServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    user = dovecot.new_user()
    dovecot.append_many(user, [mail("First"), mail("Second")])
    store = tmp_path / "store.sqlite"
    with ThrottlingProxy((dovecot.host, dovecot.port)) as proxy:
        proxy.garble_after_seen(b"Begin compression")  # a middlebox that mangles DEFLATE
        account = _with_password(account_for(dovecot, user, port=proxy.port), tmp_path, user[1])
        config = Config(accounts=(account,))  # type: ignore[arg-type]
        with caplog.at_level(logging.WARNING):
            [result] = sync_once(store, config)
        assert result.error is None, result.error
        assert _subjects(store) == {"First", "Second"}
        assert proxy.stats.connections == 2  # the failed compressed one, then one without
        assert any("COMPRESS=DEFLATE failed" in r.getMessage() for r in caplog.records)

        dovecot.append(user, mail("Third"))
        with caplog.at_level(logging.WARNING):
            [again] = sync_once(store, config)  # remembered: no second try at compression
        assert again.error is None and again.new == 1
        warnings = [r for r in caplog.records if "COMPRESS=DEFLATE failed" in r.getMessage()]
        assert len(warnings) == 1
        client = open_imap(account.imap, user[1])  # type: ignore[attr-defined]
        assert not client.compressed
        client.close_now()


def test_compress_answered_bad_keeps_the_session_uncompressed(
    dovecot_broken_compress: DovecotServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = dovecot_broken_compress
    user = server.new_user()
    server.append_many(user, [mail("Only one")])
    store = tmp_path / "store.sqlite"
    with ThrottlingProxy((server.host, server.port)) as proxy:
        account = _with_password(account_for(server, user, port=proxy.port), tmp_path, user[1])
        with caplog.at_level(logging.WARNING):
            [result] = sync_once(store, Config(accounts=(account,)))  # type: ignore[arg-type]
        assert result.error is None, result.error
        assert proxy.stats.connections == 1  # the same session simply went on uncompressed
    assert _subjects(store) == {"Only one"}
    assert any("refused COMPRESS" in r.getMessage() for r in caplog.records)
