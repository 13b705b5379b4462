"""A reply stored before the message it answers: the parent joins the reply's conversation."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from csconsole.domain.models import Direction, NewMessage
from csconsole.store.db import open_store
from csconsole.store.mail_batch import MailBatch
from csconsole.store.migrations import migrations
from csconsole.sync.imap_threading import choose_conversation
from tests.servers.dovecot import DovecotServer
from tests.sync.helpers import SHOP, account_for, day, mail, rows, sync


def _conversations_of(db: Database, *message_ids: str) -> set[object]:
    marks = ",".join("?" * len(message_ids))
    found = rows(
        db, f"SELECT conversation_id FROM messages WHERE message_id IN ({marks})", [*message_ids]
    )
    assert len(found) == len(message_ids)
    return {r[0] for r in found}


def test_parent_in_a_later_batch_joins_its_reply(
    dovecot: DovecotServer, fresh_store: Database
) -> None:
    user = dovecot.new_user()
    parent = mail(
        "Broken mug", "It arrived in pieces.", message_id="<mug@example.com>", when=day(0)
    )
    others = [
        mail(f"Question {i}", sender=f"Other {i} <other{i}@example.com>", when=day(1 + i))
        for i in range(60)
    ]
    reply = mail(
        "Any news?",  # a new subject: only the reference chain ties it to the parent
        "Still waiting for the replacement.",
        message_id="<news@example.com>",
        in_reply_to="<mug@example.com>",
        references="<mug@example.com>",
        when=day(100),
    )
    dovecot.append_many(user, [parent, *others, reply])  # newest 50 first: reply before parent
    sync(fresh_store, account_for(dovecot, user), user[1])

    assert len(_conversations_of(fresh_store, "mug@example.com", "news@example.com")) == 1
    customer_convs = rows(
        fresh_store,
        "SELECT c.subject, c.message_count FROM conversations c JOIN customer_contacts k "
        "ON k.customer_id = c.customer_id WHERE k.value = 'customer@example.com'",
    )
    assert customer_convs == [("Any news?", 2)]


def test_late_parent_joins_two_conversations_into_one_thread(
    dovecot: DovecotServer, fresh_store: Database
) -> None:
    user = dovecot.new_user()
    root = mail("Broken mug", "It arrived in pieces.", message_id="<o@example.com>", when=day(0))
    middle = mail(
        "Photos",
        "Here are photos of the pieces.",
        message_id="<p@example.com>",
        in_reply_to="<o@example.com>",
        references="<o@example.com>",
        when=day(1),
    )
    others = [
        mail(f"Question {i}", sender=f"Other {i} <other{i}@example.com>", when=day(2 + i))
        for i in range(60)
    ]
    latest = mail(
        "Any news?",
        "Still waiting for the replacement.",
        message_id="<r@example.com>",
        in_reply_to="<p@example.com>",
        references="<p@example.com>",  # a client that drops the root from References
        when=day(100),
    )
    dovecot.append_many(user, [root, middle, *others, latest])
    sync(fresh_store, account_for(dovecot, user), user[1])

    ids = ("o@example.com", "p@example.com", "r@example.com")
    [conversation] = _conversations_of(fresh_store, *ids)
    summary = rows(
        fresh_store,
        "SELECT subject, message_count, unread, last_message_at, preview, status "
        "FROM conversations WHERE id = ?",
        [conversation],
    )
    assert summary == [
        ("Broken mug", 3, 3, "2026-11-05T04:00:00Z", "Still waiting for the replacement.", "open")
    ]
    customer = rows(
        fresh_store,
        "SELECT count(*) FROM conversations c JOIN customer_contacts k "
        "ON k.customer_id = c.customer_id WHERE k.value = 'customer@example.com'",
    )
    assert customer == [(1,)]
    found = rows(fresh_store, "SELECT rowid FROM search_index WHERE search_index MATCH 'news'")
    assert found == [(conversation,)]  # the merged-away conversation left no search row


def test_original_delivered_after_our_sent_reply_joins_its_conversation(
    dovecot: DovecotServer, fresh_store: Database
) -> None:
    user = dovecot.new_user()
    account = account_for(dovecot, user, sent_folder="Sent")
    dovecot.append(
        user,
        mail(
            "Your refund is on its way",
            "We refunded the mug.",
            sender=f"Shop <{SHOP}>",
            to="Customer <customer@example.com>",
            message_id="<refund@shop.example>",
            in_reply_to="<late@example.com>",
            references="<late@example.com>",
            when=day(5),
        ),
        folder="Sent",
    )
    sync(fresh_store, account, user[1])
    dovecot.append(
        user, mail("Broken mug", "Pieces.", message_id="<late@example.com>", when=day(1))
    )
    sync(fresh_store, account, user[1])

    assert len(_conversations_of(fresh_store, "refund@shop.example", "late@example.com")) == 1
    assert rows(fresh_store, "SELECT count(*) FROM conversations") == [(1,)]


def test_replies_stored_before_the_upgrade_are_found_too(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = Database(sqlite3.connect(str(path)))
    migrations.apply(old, stop_before="0005_reply_lookup_and_mail_gaps")
    at = "2026-11-01T08:00:00Z"
    old.execute("INSERT INTO accounts(id, name, kind, created_at) VALUES (1, 'a', 'imap', ?)", [at])
    old.execute(
        "INSERT INTO conversations(id, channel, account_id, subject, created_at, updated_at) "
        "VALUES (3, 'email', 1, 'Any news?', ?, ?)",
        [at, at],
    )
    old.execute(
        "INSERT INTO messages(conversation_id, account_id, direction, message_id, refs, "
        "sent_at, received_at, created_at) VALUES (3, 1, 'in', 'news@x', '[\"mug@x\"]', ?, ?, ?)",
        [at, at, at],
    )
    old.conn.commit()
    old.close()

    db = open_store(path)
    try:
        parent = NewMessage(
            direction=Direction.IN,
            sent_at="2026-10-30T08:00:00Z",
            message_id="mug@x",
            subject="Broken mug",
            from_addr="customer@example.com",
        )
        batch = MailBatch(
            db, 1, message_ids=["mug@x"], referenced=[], emails=["customer@example.com"]
        )
        assert choose_conversation(db, 1, parent, batch) == 3
    finally:
        db.close()
