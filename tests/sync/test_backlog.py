"""A large new-mail backlog on an incremental sync: newest first, and safe to kill."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from sqlite_utils import Database

from csconsole.store.db import open_store
from tests.servers.dovecot import DovecotServer
from tests.sync.helpers import account_for, day, mail, rows, sync, sync_then_kill


def _cursor(db: Database) -> tuple[object, ...]:
    return rows(db, "SELECT uidnext, gap_low, gap_high FROM folders WHERE name = 'INBOX'")[0]


def test_backlog_arrives_newest_first(dovecot: DovecotServer, fresh_store: Database) -> None:
    user = dovecot.new_user()
    dovecot.append(user, mail("Before the holidays", when=day(0)))
    account = account_for(dovecot, user)
    sync(fresh_store, account, user[1])
    dovecot.append_many(user, [mail(f"Backlog {i}", when=day(1 + i)) for i in range(300)])

    report = sync(fresh_store, account, user[1])[0]

    assert report.new == 300
    order = [int(str(r[0])) for r in rows(fresh_store, "SELECT uid FROM messages ORDER BY id")]
    assert sorted(order) == list(range(1, 302))
    assert sorted(order[1:51]) == list(range(252, 302))  # the newest 50 come first
    assert _cursor(fresh_store) == (302, None, None)
    again = sync(fresh_store, account, user[1])[0]
    assert again.new == 0


def test_kill_9_mid_backlog_then_resume(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()
    store = tmp_path / "kill.sqlite"
    account = account_for(dovecot, user, name="kill", sent_folder="Sent")
    db = open_store(store)
    try:
        dovecot.append(user, mail("Old", when=day(0)))
        sync(db, account, user[1])
    finally:
        db.close()
    subjects = {"Old"} | {f"Backlog {i}" for i in range(600)}
    # Incompressible bodies, so the throttled child is still busy when it is killed.
    noise = [base64.b64encode(os.urandom(1000)).decode() for _ in range(600)]
    dovecot.append_many(user, [mail(f"Backlog {i}", noise[i]) for i in range(600)])

    sync_then_kill(dovecot, user, store)

    db = open_store(store)
    try:
        held = {int(str(r[0])) for r in rows(db, "SELECT uid FROM messages")}
        assert 51 <= len(held) < 601
        assert 601 in held  # the newest arrived first
        uidnext, gap_low, gap_high = _cursor(db)
        assert uidnext == 602 and gap_low == 2 and gap_high is not None
        # Everything at or above the gap's top is stored; nothing below it yet.
        assert {uid for uid in range(int(str(gap_high)), 602)} <= held
        sync(db, account, user[1])
        stored = [str(r[0]) for r in rows(db, "SELECT subject FROM messages")]
        assert len(stored) == len(set(stored)), "duplicates"
        assert set(stored) == subjects, "gaps"
        assert _cursor(db) == (602, None, None)
    finally:
        db.close()
