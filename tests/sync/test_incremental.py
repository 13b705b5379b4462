"""Incremental sync on servers with QRESYNC, with CONDSTORE only, and with neither."""

from __future__ import annotations

from sqlite_utils import Database

from tests.servers.dovecot import DovecotServer
from tests.servers.proxy import ThrottlingProxy
from tests.sync.helpers import account_for, day, mail, rows, sync


def test_new_mail_flag_changes_and_expunges_reach_the_store(
    any_dovecot: DovecotServer, fresh_store: Database
) -> None:
    server = any_dovecot
    user = server.new_user()
    uids = server.append_many(user, [mail(f"Q{i}", when=day(i)) for i in range(10)])
    account = account_for(server, user)
    sync(fresh_store, account, user[1])

    server.set_flags(user, [uids[0], uids[1]], [b"\\Seen", b"$CSPending"])
    server.expunge(user, [uids[2]])
    server.append(user, mail("Brand new", when=day(20)))
    reports = sync(fresh_store, account, user[1])

    inbox = reports[0]
    assert (inbox.new, inbox.flag_changes, inbox.removed) == (1, 2, 1)
    seen = rows(fresh_store, "SELECT uid FROM messages WHERE seen = 1 ORDER BY uid")
    assert seen == [(uids[0],), (uids[1],)]
    gone = rows(fresh_store, "SELECT subject, folder_id FROM messages WHERE subject = 'Q2'")
    assert gone == [("Q2", None)]  # kept in the conversation history, no longer on the server
    assert rows(fresh_store, "SELECT count(*) FROM messages WHERE subject = 'Brand new'") == [(1,)]
    unread = rows(fresh_store, "SELECT sum(unread) FROM conversations")[0][0]
    assert unread == 10 - 2 + 1  # 2 read in another client, 1 new (Q2 stays in the history)

    again = sync(fresh_store, account, user[1])[0]
    assert (again.new, again.flag_changes, again.removed) == (0, 0, 0)


def test_moved_message_is_not_duplicated(dovecot: DovecotServer, fresh_store: Database) -> None:
    user = dovecot.new_user()
    uids = dovecot.append_many(user, [mail("Keep me", message_id="<move@x>"), mail("Stay")])
    account = account_for(dovecot, user, folders=("INBOX", "Archive"))
    sync(fresh_store, account, user[1])
    dovecot.move(user, [uids[0]], "Archive")
    sync(fresh_store, account, user[1])
    placed = rows(
        fresh_store,
        "SELECT f.name, m.uid FROM messages m JOIN folders f ON f.id = m.folder_id "
        "WHERE m.message_id = 'move@x'",
    )
    assert placed == [("Archive", 1)]
    assert rows(fresh_store, "SELECT count(*) FROM messages") == [(2,)]


def test_unchanged_folder_costs_at_most_two_round_trips(
    any_dovecot: DovecotServer, fresh_store: Database
) -> None:
    server = any_dovecot
    user = server.new_user()
    server.append_many(user, [mail(f"Q{i}") for i in range(30)])
    with ThrottlingProxy((server.host, server.port)) as proxy:
        account = account_for(server, user, port=proxy.port, sent_folder="Sent")
        sync(fresh_store, account, user[1])
        from csconsole.sources.imap_connection import open_imap
        from csconsole.store.inbox import ensure_account
        from csconsole.sync.imap_sync import ImapAccountSync

        client = open_imap(account.imap, user[1])
        engine = ImapAccountSync(
            fresh_store,
            account,
            client,
            account_id=ensure_account(fresh_store, account.name, "imap"),
        )
        proxy.stats.reset()
        engine.sync_folder("INBOX", "inbox")
        trips, down, up = proxy.stats.round_trips, proxy.stats.down, proxy.stats.up
        client.close_now()
    assert trips <= 2, trips
    assert down + up < 2048
