"""A store whose disk fills up mid-sync: a plain message, nothing lost, resumed later."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from csconsole.config import Config
from csconsole.services.sync import SourceRef, SyncEvent, run_source, sync_imap_account
from csconsole.store.db import open_store
from tests.servers.dovecot import DovecotServer
from tests.sync.helpers import account_for, mail

MESSAGES = 300


def test_a_full_disk_ends_the_pass_plainly_and_the_next_pass_completes(
    dovecot: DovecotServer, tmp_path: Path
) -> None:
    user = dovecot.new_user()
    dovecot.append_many(
        user, [mail(f"Order question {n}", "Where is it? " * 80) for n in range(MESSAGES)]
    )
    secret = tmp_path / "secret"
    secret.write_text(user[1])
    account = account_for(dovecot, user)
    account = replace(account, imap=replace(account.imap, password_command=f"cat {secret}"))
    config = Config(accounts=(account,))  # type: ignore[arg-type]
    ref = SourceRef("imap", account.name, 60.0)
    db = open_store(tmp_path / "store.sqlite")
    try:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages + 60}")  # room for a batch or so
        events: list[SyncEvent] = []
        result = run_source(sync_imap_account, db, config, ref, events.append)

        assert result.error is not None and "disk holding the store is full" in result.error
        assert "nothing was lost" in result.error
        assert any(e.phase == "error" and "full" in e.message for e in events)
        stored = db.execute("SELECT count(*) FROM messages").fetchone()[0]
        assert 0 < stored < MESSAGES  # what fit was kept, the batch that did not was undone

        db.execute("PRAGMA max_page_count = 1073741823")  # space freed
        again = run_source(sync_imap_account, db, config, ref, events.append)
        assert again.error is None
        subjects = [r[0] for r in db.execute("SELECT subject FROM messages").fetchall()]
        assert sorted(subjects) == sorted(f"Order question {n}" for n in range(MESSAGES))
    finally:
        db.close()
