"""Nothing lost, nothing doubled: UIDVALIDITY resets, dropped links, a killed process."""

from __future__ import annotations

import base64
import imaplib
import os
from pathlib import Path

import pytest
from sqlite_utils import Database

from csconsole.sources.imap_connection import ImapConnectError
from csconsole.store.db import open_store
from tests.servers.dovecot import DovecotServer
from tests.servers.proxy import ThrottlingProxy
from tests.sync.helpers import account_for, day, mail, rows, sync, sync_then_kill


def _assert_complete(db: Database, expected_subjects: set[str]) -> None:
    subjects = [str(r[0]) for r in rows(db, "SELECT subject FROM messages")]
    assert len(subjects) == len(set(subjects)), "duplicates"
    assert set(subjects) == expected_subjects, "gaps"


def test_uidvalidity_change_rematches_instead_of_reimporting(
    dovecot: DovecotServer, fresh_store: Database
) -> None:
    user = dovecot.new_user()
    raws = [mail(f"Q{i}", when=day(i)) for i in range(6)]
    dovecot.append_many(user, raws)
    account = account_for(dovecot, user)
    sync(fresh_store, account, user[1])
    fresh_store.execute("UPDATE messages SET seen = 1 WHERE subject = 'Q1'")  # local work
    ids_before = dict(rows(fresh_store, "SELECT subject, id FROM messages"))

    # The mailbox is restored with one message missing and one new: new UIDVALIDITY.
    dovecot.recreate_folder(user, "INBOX", [*raws[:5], mail("Q-new", when=day(9))])
    report = sync(fresh_store, account, user[1])[0]

    assert report.uidvalidity_reset and report.rematched == 5 and report.new == 1
    ids_after = dict(
        rows(fresh_store, "SELECT subject, id FROM messages WHERE folder_id IS NOT NULL")
    )
    assert {k: ids_after[k] for k in ids_before if k != "Q5"} == {
        k: v for k, v in ids_before.items() if k != "Q5"
    }
    assert "Q-new" in ids_after and "Q5" not in ids_after
    assert rows(fresh_store, "SELECT count(*) FROM messages") == [(7,)]
    again = sync(fresh_store, account, user[1])[0]
    assert (again.new, again.removed, again.uidvalidity_reset) == (0, 0, False)


def test_connection_cut_mid_fetch_then_resume(
    dovecot: DovecotServer, fresh_store: Database
) -> None:
    user = dovecot.new_user()
    subjects = {f"Message {i}" for i in range(300)}
    # Incompressible bodies, so the cut lands in the middle of the fetch even with DEFLATE.
    dovecot.append_many(
        user, [mail(s, base64.b64encode(os.urandom(1500)).decode()) for s in sorted(subjects)]
    )
    with ThrottlingProxy((dovecot.host, dovecot.port)) as proxy:
        account = account_for(dovecot, user, port=proxy.port, sent_folder="Sent")
        proxy.cut_connections_after(down=250_000)
        with pytest.raises((ImapConnectError, OSError, imaplib.IMAP4.error)):
            sync(fresh_store, account, user[1])
        partial = rows(fresh_store, "SELECT count(*) FROM messages")[0][0]
        assert 0 < int(str(partial)) < 300
        sync(fresh_store, account, user[1])
    _assert_complete(fresh_store, subjects)


def test_kill_9_mid_sync_then_resume(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()
    subjects = {f"Message {i}" for i in range(500)}
    dovecot.append_many(user, [mail(s, "text " * 50) for s in sorted(subjects)])
    store = tmp_path / "kill.sqlite"
    sync_then_kill(dovecot, user, store)
    db = open_store(store)
    try:
        partial = int(str(rows(db, "SELECT count(*) FROM messages")[0][0]))
        assert 0 < partial < 500
        account = account_for(dovecot, user, name="kill", sent_folder="Sent")
        sync(db, account, user[1])
        _assert_complete(db, subjects)
    finally:
        db.close()
