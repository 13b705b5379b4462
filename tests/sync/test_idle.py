"""Push: new mail arrives while the console waits in IDLE; a dead link is noticed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from csconsole.config import Config
from csconsole.services.sync import SyncEvent
from csconsole.services.sync_watch import watch
from csconsole.sources.imap_connection import open_imap
from csconsole.sources.imap_idle import IdleLinkLost, idle_wait
from csconsole.store.db import open_store
from tests.servers.dovecot import DovecotServer
from tests.servers.proxy import ThrottlingProxy
from tests.sync.helpers import account_for, mail


def test_idle_reports_new_mail_quickly(dovecot: DovecotServer) -> None:
    user = dovecot.new_user()
    client = open_imap(account_for(dovecot, user).imap, user[1])
    client.select_folder("INBOX")
    timer = threading.Timer(0.5, lambda: dovecot.append(user, mail("Pushed")))
    timer.start()
    started = time.monotonic()
    result = idle_wait(client, 20)
    elapsed = time.monotonic() - started
    timer.join()
    assert result.changed and elapsed < 10
    assert client.noop()  # the session is usable again after DONE
    client.close_now()


def test_idle_on_a_dead_link_raises_instead_of_hanging(dovecot: DovecotServer) -> None:
    user = dovecot.new_user()
    with ThrottlingProxy((dovecot.host, dovecot.port)) as proxy:
        client = open_imap(account_for(dovecot, user, port=proxy.port).imap, user[1])
        client.select_folder("INBOX")
        threading.Timer(0.3, proxy.cut_now).start()
        started = time.monotonic()
        with pytest.raises(IdleLinkLost):
            idle_wait(client, 2, renew_after=1)
        assert time.monotonic() - started < 15


def test_watch_syncs_mail_pushed_while_idling(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()
    account = account_for(dovecot, user, name="pushy", sent_folder="Sent")
    password_file = tmp_path / "pw"
    password_file.write_text(user[1])
    from dataclasses import replace

    account = replace(account, imap=replace(account.imap, password_command=f"cat {password_file}"))
    store = tmp_path / "watch.sqlite"
    stop = threading.Event()
    events: list[SyncEvent] = []
    thread = threading.Thread(
        target=watch,
        args=(store, Config(accounts=(account,)), stop),
        kwargs={"progress": events.append},
        daemon=True,
    )
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not any(e.phase == "idle" for e in events) and time.monotonic() < deadline:
            time.sleep(0.05)
        dovecot.append(user, mail("Arrived during IDLE"))
        db = open_store(store)
        found: list[tuple[object, ...]] = []
        while not found and time.monotonic() < deadline:
            found = [tuple(r) for r in db.execute("SELECT subject FROM messages").fetchall()]
            time.sleep(0.05)
        db.close()
        assert found == [("Arrived during IDLE",)]
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_console_change_during_idle_reaches_the_server_within_seconds(
    dovecot: DovecotServer, tmp_path: Path
) -> None:
    from dataclasses import replace

    from csconsole.services import Services

    user = dovecot.new_user()
    [uid] = dovecot.append_many(user, [mail("Close me")])
    password_file = tmp_path / "pw"
    password_file.write_text(user[1])
    account = account_for(dovecot, user, name="waker", sent_folder="Sent", poll_interval=600)
    account = replace(account, imap=replace(account.imap, password_command=f"cat {password_file}"))
    config = Config(accounts=(account,))
    store = tmp_path / "watch.sqlite"
    stop = threading.Event()
    events: list[SyncEvent] = []
    thread = threading.Thread(
        target=watch, args=(store, config, stop), kwargs={"progress": events.append}, daemon=True
    )
    thread.start()
    services = Services(store, config)
    try:
        deadline = time.monotonic() + 15
        while not any(e.phase == "idle" for e in events) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(e.phase == "idle" for e in events)
        [(conversation,)] = services.db().execute("SELECT id FROM conversations").fetchall()
        idles = sum(e.phase == "idle" for e in events)
        services.inbox.close(conversation)  # the watch loop sits in IDLE (poll: 10 min)
        queued_at = time.monotonic()
        flags: tuple[bytes, ...] = ()
        while time.monotonic() - queued_at < 8 and b"$CSClosed" not in flags:
            with dovecot.client(*user) as other:
                other.select_folder("INBOX", readonly=True)
                flags = other.get_flags([uid])[uid]
            time.sleep(0.2)
        assert b"$CSClosed" in flags
        assert time.monotonic() - queued_at < 5
        deadline = time.monotonic() + 5
        while sum(e.phase == "idle" for e in events) == idles and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sum(e.phase == "idle" for e in events) > idles  # back in IDLE afterwards
    finally:
        services.close()
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
