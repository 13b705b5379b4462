"""Storing a fetched batch at once threads mail exactly as storing it one message at a time.

The storer answers a batch's Message-ID, reply and customer lookups from a few
queries made up front and keeps them true as the batch's own messages land; the
conversations a user sees must not depend on how the mail was cut into batches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from csconsole.store.db import open_store
from csconsole.sync import imap_plan
from tests.servers.dovecot import DovecotServer
from tests.sync.helpers import account_for, day, mail, rows, sync


def _mailbox() -> list[bytes]:
    """Threads whose replies come before, after and beside their parents, customers
    writing twice about one order, a message and its duplicate, and a late root that
    ties two conversations together."""
    raws = []
    for i in range(12):
        customer = f"Customer {i % 4} <c{i % 4}@example.com>"
        raws.append(
            mail(
                f"Order #{500 + i % 5}",
                f"text {i}",
                sender=customer,
                when=day(i),
                message_id=f"<p{i}@x>",
            )
        )
    for i in range(12):
        customer = f"Customer {(i + 1) % 4} <c{(i + 1) % 4}@example.com>"
        raws.append(
            mail(
                "Re: news?",
                f"reply {i}",
                sender=customer,
                when=day(20 + i),
                message_id=f"<r{i}@x>",
                in_reply_to=f"<p{i}@x>",
                references=f"<p{i}@x>",
            )
        )
    raws.insert(
        3,
        mail(
            "Re: late",
            "answers a later root",
            when=day(40),
            message_id="<a1@x>",
            in_reply_to="<root@x>",
            references="<root@x>",
        ),
    )
    raws.insert(
        5,
        mail(
            "Re: late",
            "answers it too",
            sender="Other <o@example.com>",
            when=day(41),
            message_id="<a2@x>",
            in_reply_to="<root@x>",
            references="<root@x>",
        ),
    )
    raws.append(mail("late", "the root", when=day(2), message_id="<root@x>"))
    raws.append(
        mail(
            "Order #500",
            "again",
            sender="Customer 0 <c0@example.com>",
            when=day(50),
            message_id="<p0@x>",
        )
    )
    return raws


def _threads(db: Database) -> set[frozenset[Any]]:
    found: dict[object, set[Any]] = {}
    for conversation_id, message_id, uid in rows(
        db, "SELECT conversation_id, message_id, uid FROM messages"
    ):
        found.setdefault(conversation_id, set()).add((message_id, uid))
    return {frozenset(members) for members in found.values()}


def _summary(db: Database) -> list[tuple[Any, ...]]:
    return sorted(
        rows(
            db,
            "SELECT c.subject, c.status, c.message_count, c.unread, c.last_message_at, "
            "c.awaiting_since, k.value FROM conversations c LEFT JOIN customer_contacts k "
            "ON k.customer_id = c.customer_id",
        ),
        key=repr,
    )


def test_batches_thread_like_single_messages(
    dovecot: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    dovecot.append_many(user, _mailbox())
    account = account_for(dovecot, user)

    whole = open_store(tmp_path / "whole.sqlite")
    sync(whole, account, user[1])

    def one_by_one(uids: Any, **_: Any) -> list[list[int]]:
        return [[uid] for uid in sorted(set(uids))]  # the same order as within one batch

    monkeypatch.setattr(imap_plan, "newest_first_batches", one_by_one)
    single = open_store(tmp_path / "single.sqlite")
    sync(single, account, user[1])

    assert rows(whole, "SELECT count(*) FROM messages") == [(28,)]
    assert _threads(whole) == _threads(single)
    assert _summary(whole) == _summary(single)
    assert len(_threads(whole)) < 20  # the threading did join mail, or the check proves nothing
