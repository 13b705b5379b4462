"""Console changes (read/unread, pending/closed/reopen) reach the IMAP server."""

from __future__ import annotations

import imaplib
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from csconsole.config import AccountConfig, Config
from csconsole.services import Services
from csconsole.sources.imap_connection import ImapConnectError
from tests.servers.dovecot import DovecotServer, free_port
from tests.servers.proxy import ThrottlingProxy
from tests.sync.helpers import account_for, mail, rows, sync

PENDING = b"$CSPending"
CLOSED = b"$CSClosed"
SEEN = b"\\Seen"

Setup = tuple[DovecotServer, tuple[str, str], AccountConfig, Services, list[int]]


@pytest.fixture
def setup(dovecot: DovecotServer, fresh_store: Database, store_path: Path) -> Iterator[Setup]:
    user = dovecot.new_user()
    uids = dovecot.append_many(
        user,
        [
            mail("Where is my order?", message_id="<q1@example.com>"),
            mail(
                "Re: Where is my order?",
                message_id="<q2@example.com>",
                in_reply_to="<q1@example.com>",
                references="<q1@example.com>",
            ),
        ],
    )
    account = account_for(dovecot, user)
    sync(fresh_store, account, user[1])
    services = Services(store_path, Config(accounts=(account,)))
    yield dovecot, user, account, services, uids
    services.close()


def server_flags(
    server: DovecotServer, user: tuple[str, str], uids: list[int], *, folder: str = "INBOX"
) -> list[set[bytes]]:
    """What a second client on the same mailbox sees."""
    other = server.client(*user)
    try:
        other.select_folder(folder, readonly=True)
        found = other.get_flags(uids)
        return [set(found[uid]) for uid in uids]
    finally:
        other.logout()


def only_conversation(db: Database) -> int:
    ids = rows(db, "SELECT id FROM conversations")
    assert len(ids) == 1
    return int(str(ids[0][0]))


def test_read_and_unread_reach_the_server(setup: Setup, fresh_store: Database) -> None:
    server, user, account, services, uids = setup
    conversation = only_conversation(fresh_store)
    services.inbox.mark_read(conversation)
    assert all(SEEN not in f for f in server_flags(server, user, uids))  # not before a sync
    sync(fresh_store, account, user[1])
    assert all(SEEN in f for f in server_flags(server, user, uids))
    assert rows(fresh_store, "SELECT count(*) FROM flag_changes") == [(0,)]

    services.inbox.mark_read(conversation, read=False)
    sync(fresh_store, account, user[1])
    first, newest = server_flags(server, user, uids)
    assert SEEN in first and SEEN not in newest  # as the console shows it: newest unread

    sync(fresh_store, account, user[1])  # our own change coming back changes nothing locally
    assert rows(fresh_store, f"SELECT unread FROM conversations WHERE id = {conversation}") == [
        (1,)
    ]


def test_pending_closed_and_reopen_reach_the_server(setup: Setup, fresh_store: Database) -> None:
    server, user, account, services, uids = setup
    conversation = only_conversation(fresh_store)
    services.inbox.set_pending(conversation)
    sync(fresh_store, account, user[1])
    assert all(PENDING in f and CLOSED not in f for f in server_flags(server, user, uids))

    services.inbox.close(conversation)
    sync(fresh_store, account, user[1])
    assert all(CLOSED in f and PENDING not in f for f in server_flags(server, user, uids))
    status = f"SELECT status FROM conversations WHERE id = {conversation}"
    assert rows(fresh_store, status) == [("closed",)]

    services.inbox.reopen(conversation)
    sync(fresh_store, account, user[1])
    assert all(not f & {PENDING, CLOSED} for f in server_flags(server, user, uids))
    sync(fresh_store, account, user[1])
    assert rows(fresh_store, status) == [("open",)]


def test_customer_reply_reopens_on_the_server_too(setup: Setup, fresh_store: Database) -> None:
    server, user, account, services, uids = setup
    conversation = only_conversation(fresh_store)
    services.inbox.close(conversation)
    sync(fresh_store, account, user[1])
    assert all(CLOSED in f for f in server_flags(server, user, uids))

    new_uid = server.append(
        user,
        mail(
            "Re: Where is my order?",
            "Still nothing arrived.",
            message_id="<q3@example.com>",
            in_reply_to="<q2@example.com>",
            references="<q1@example.com> <q2@example.com>",
        ),
    )
    sync(fresh_store, account, user[1])
    status = f"SELECT status FROM conversations WHERE id = {conversation}"
    assert rows(fresh_store, status) == [("open",)]
    # A second client sees it open again after this same pass, not a poll later.
    assert all(not f & {PENDING, CLOSED} for f in server_flags(server, user, [*uids, new_uid]))
    assert rows(fresh_store, "SELECT count(*) FROM flag_changes") == [(0,)]
    sync(fresh_store, account, user[1])
    assert rows(fresh_store, status) == [("open",)]


def test_change_made_offline_is_applied_when_the_link_returns(
    setup: Setup,
    fresh_store: Database,
) -> None:
    server, user, account, services, uids = setup
    conversation = only_conversation(fresh_store)
    services.inbox.close(conversation)
    services.inbox.mark_read(conversation)
    unreachable = account_for(server, user, port=free_port())
    with pytest.raises(ImapConnectError):
        sync(fresh_store, unreachable, user[1])
    assert rows(fresh_store, "SELECT count(*) FROM flag_changes") != [(0,)]
    assert all(not f & {SEEN, CLOSED} for f in server_flags(server, user, uids))

    sync(fresh_store, account, user[1])
    assert all({SEEN, CLOSED} <= f for f in server_flags(server, user, uids))
    assert rows(fresh_store, "SELECT count(*) FROM flag_changes") == [(0,)]


def test_change_from_another_client_during_the_queue_does_not_undo_ours(
    setup: Setup,
    fresh_store: Database,
) -> None:
    server, user, account, services, uids = setup
    conversation = only_conversation(fresh_store)
    services.inbox.mark_read(conversation)
    server.set_flags(user, [uids[0]], ["\\Flagged"])  # someone else touches the message
    sync(fresh_store, account, user[1])
    sync(fresh_store, account, user[1])
    unread = f"SELECT unread FROM conversations WHERE id = {conversation}"
    assert rows(fresh_store, unread) == [(0,)]
    assert all(SEEN in f for f in server_flags(server, user, uids))


def test_later_change_wins_when_several_are_queued(setup: Setup, fresh_store: Database) -> None:
    server, user, account, services, uids = setup
    conversation = only_conversation(fresh_store)
    services.inbox.mark_read(conversation)
    services.inbox.set_pending(conversation)
    services.inbox.mark_read(conversation, read=False)
    services.inbox.close(conversation)
    sync(fresh_store, account, user[1])
    first, newest = server_flags(server, user, uids)
    assert {SEEN, CLOSED} <= first and PENDING not in first
    assert CLOSED in newest and not newest & {SEEN, PENDING}


def test_refused_select_keeps_the_queued_changes_for_the_next_pass(
    dovecot: DovecotServer,
    fresh_store: Database,
    store_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    user = dovecot.new_user()
    uids = dovecot.append_many(user, [mail("Refund please")], folder="Orders")
    account = account_for(dovecot, user, folders=("INBOX", "Orders"))
    sync(fresh_store, account, user[1])
    services = Services(store_path, Config(accounts=(account,)))
    try:
        services.inbox.close(only_conversation(fresh_store))
    finally:
        services.close()
    folder = dovecot.root / "home" / user[0] / "Maildir" / ".Orders"
    folder.chmod(0)  # the server cannot open the folder for now: SELECT answers NO
    try:
        with caplog.at_level(logging.WARNING):
            reports = sync(fresh_store, account, user[1])
    finally:
        folder.chmod(0o700)
    assert [r.folder for r in reports if r.error] == ["Orders"]
    retries = [r for r in caplog.records if "cannot write flags to Orders" in r.getMessage()]
    assert len(retries) == 1  # once per pass, not again at its end
    assert rows(fresh_store, "SELECT count(*) FROM flag_changes") == [(1,)]

    sync(fresh_store, account, user[1])
    assert CLOSED in server_flags(dovecot, user, uids, folder="Orders")[0]
    assert rows(fresh_store, "SELECT count(*) FROM flag_changes") == [(0,)]


def test_link_dropped_during_the_push_keeps_the_queued_changes(
    dovecot_condstore: DovecotServer, fresh_store: Database, store_path: Path
) -> None:
    server = dovecot_condstore
    user = server.new_user()
    uids = server.append_many(user, [mail("Where is my order?"), mail("Hello?")])
    with ThrottlingProxy((server.host, server.port)) as proxy:
        account = account_for(server, user, port=proxy.port)
        sync(fresh_store, account, user[1])
        services = Services(store_path, Config(accounts=(account,)))
        try:
            for (conversation,) in rows(fresh_store, "SELECT id FROM conversations"):
                services.inbox.close(int(str(conversation)))
        finally:
            services.close()
        proxy.cut_when_sent(b"STORE")  # plaintext server: the STORE line is visible
        with pytest.raises((OSError, imaplib.IMAP4.error)):
            sync(fresh_store, account, user[1])
        assert rows(fresh_store, "SELECT count(*) FROM flag_changes") == [(2,)]
        assert all(CLOSED not in f for f in server_flags(server, user, uids))

        sync(fresh_store, account, user[1])
    assert all(CLOSED in f for f in server_flags(server, user, uids))
    assert rows(fresh_store, "SELECT count(*) FROM flag_changes") == [(0,)]


def test_changes_for_a_reset_folder_are_dropped(setup: Setup, fresh_store: Database) -> None:
    server, user, account, services, _ = setup
    conversation = only_conversation(fresh_store)
    services.inbox.close(conversation)
    server.recreate_folder(user, "INBOX", [mail("Someone else"), mail("And another")])
    with fresh_store.atomic():  # the queued UIDs now name the new messages (3 and 4)
        fresh_store.execute("UPDATE flag_changes SET uid = uid + 2")
    sync(fresh_store, account, user[1])  # the old UIDs now name other messages: leave them be
    assert rows(fresh_store, "SELECT count(*) FROM flag_changes") == [(0,)]
    with server.client(*user) as other:
        other.select_folder("INBOX", readonly=True)
        on_server = other.get_flags(other.search(["ALL"]))
    assert len(on_server) == 2 and all(CLOSED not in f for f in on_server.values())


@pytest.mark.skip(
    reason="the Dovecot fixture always offers \\* in PERMANENTFLAGS; the local-only rule "
    "for keywords is covered by imap_flags.storable in test_parts_and_flags"
)
def test_server_without_keywords_keeps_status_local() -> None:
    """Needs a server variant whose PERMANENTFLAGS lack \\*."""
