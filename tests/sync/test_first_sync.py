"""First sync against a real Dovecot: what the agent sees in the inbox afterwards."""

from __future__ import annotations

import imaplib
import json

import pytest
from sqlite_utils import Database

from tests.servers.dovecot import DovecotServer
from tests.servers.proxy import ThrottlingProxy
from tests.sync.helpers import SHOP, account_for, day, mail, rows, sync


def test_first_sync_stores_every_message_with_text_flags_and_attachment_metadata(
    dovecot: DovecotServer, fresh_store: Database
) -> None:
    user = dovecot.new_user()
    dovecot.append(user, mail("Where is my parcel?", "I ordered last week.", when=day(1)))
    dovecot.append(
        user,
        mail("Invoice", "See attached.", attachment=b"%PDF-1.4 " + b"x" * 5000, when=day(2)),
        flags=[b"\\Seen"],
    )
    dovecot.append(
        user,
        mail("HTML only", html="<p>Hello <b>there</b></p><script>evil()</script>", when=day(3)),
    )
    sync(fresh_store, account_for(dovecot, user), user[1])

    stored = rows(
        fresh_store,
        "SELECT subject, body_text, body_html_text, seen, direction FROM messages ORDER BY sent_at",
    )
    assert [r[0] for r in stored] == ["Where is my parcel?", "Invoice", "HTML only"]
    assert "I ordered last week." in str(stored[0][1])
    assert stored[1][3] == 1 and stored[0][3] == 0
    assert {r[4] for r in stored} == {"in"}
    attachments = rows(fresh_store, "SELECT filename, content_type, size, content FROM attachments")
    assert attachments[0][0] == "invoice.pdf"
    assert attachments[0][1] == "application/pdf"
    assert attachments[0][3] is None  # never downloaded until asked
    # html-only mail gets a body either as text or html-derived text, with no script
    html_row = stored[2]
    assert "Hello" in str(html_row[1]) + str(html_row[2])
    assert "evil" not in str(html_row[1]) + str(html_row[2])
    unread = rows(fresh_store, "SELECT sum(unread) FROM conversations")[0][0]
    assert unread == 2


def test_long_body_is_capped_and_marked_for_fetching_on_demand(
    dovecot: DovecotServer, fresh_store: Database
) -> None:
    user = dovecot.new_user()
    dovecot.append(user, mail("Long", "line of text\n" * 2000))
    sync(fresh_store, account_for(dovecot, user, body_cap=1024), user[1])
    body, truncated = rows(fresh_store, "SELECT body_text, body_truncated FROM messages")[0]
    assert truncated == 1
    assert 900 < len(str(body)) <= 1024


def test_replies_join_their_conversation_and_sent_mail_counts_as_ours(
    dovecot: DovecotServer, fresh_store: Database
) -> None:
    user = dovecot.new_user()
    first = "<q1@customer.example>"
    dovecot.append(user, mail("Broken lamp", "It arrived broken", message_id=first, when=day(1)))
    dovecot.append(
        user,
        mail(
            "Re: Broken lamp",
            "We are sending a new one",
            sender=f"Shop <{SHOP}>",
            to="Customer <customer@example.com>",
            message_id="<r1@shop.example>",
            in_reply_to=first,
            references=first,
            when=day(2),
        ),
        folder="Sent",
    )
    dovecot.append(user, mail("Other question", "Do you ship to Oman?", when=day(3)))
    dovecot.append(user, mail("سفارش #1001", "کجاست؟", sender="c2@example.com", when=day(4)))
    dovecot.append(
        user, mail("Re: سفارش #1001", "هنوز نرسیده", sender="c2@example.com", when=day(5))
    )
    sync(fresh_store, account_for(dovecot, user), user[1])

    lamp = rows(
        fresh_store,
        "SELECT c.id, c.message_count, c.last_outbound_at IS NOT NULL FROM conversations c "
        "WHERE subject = 'Broken lamp'",
    )
    assert lamp and lamp[0][1] == 2 and lamp[0][2] == 1
    directions = rows(
        fresh_store,
        "SELECT direction FROM messages WHERE conversation_id = ? ORDER BY sent_at",
        [lamp[0][0]],
    )
    assert [d[0] for d in directions] == ["in", "out"]
    assert rows(fresh_store, "SELECT count(*) FROM conversations")[0][0] == 3
    sent_folder = rows(fresh_store, "SELECT role FROM folders WHERE name = 'Sent'")
    assert sent_folder == [("sent",)]


def test_newest_mail_is_stored_first(dovecot: DovecotServer, fresh_store: Database) -> None:
    user = dovecot.new_user()
    dovecot.append_many(user, [mail(f"Question {i}", when=day(i)) for i in range(120)])
    sync(fresh_store, account_for(dovecot, user), user[1])
    order = [r[0] for r in rows(fresh_store, "SELECT uid FROM messages ORDER BY id")]
    assert sorted(order) == list(range(1, 121))
    assert order[:50] == list(range(71, 121))  # the first batch holds the newest 50
    cursor = rows(
        fresh_store, "SELECT oldest_uid, backfill_done, uidnext FROM folders WHERE name='INBOX'"
    )
    assert cursor == [(1, 1, 121)]
    flags = json.loads(str(rows(fresh_store, "SELECT flags FROM messages LIMIT 1")[0][0]))
    assert "\\Recent" not in flags


def test_newest_batch_is_stored_before_the_next_batch_is_asked_for(
    dovecot_condstore: DovecotServer, fresh_store: Database
) -> None:
    """Dovecot interleaves pipelined answers: asked for together, the next batch's
    metadata would share a slow link with the newest batch's bodies. The line is cut
    the moment the next batch is asked for, and the newest 50 are already stored."""
    server = dovecot_condstore  # plaintext, so the proxy can see the command
    user = server.new_user()
    server.append_many(user, [mail(f"Question {i}", f"Body {i}", when=day(i)) for i in range(120)])
    with ThrottlingProxy((server.host, server.port)) as proxy:
        proxy.cut_when_sent(b"UID FETCH 1:70 (UID FLAGS")  # the second batch's metadata
        with pytest.raises((OSError, imaplib.IMAP4.error)):
            sync(fresh_store, account_for(server, user, port=proxy.port), user[1])
    stored = rows(fresh_store, "SELECT uid, body_text FROM messages ORDER BY uid")
    assert stored == [(i + 1, f"Body {i}\n") for i in range(70, 120)]
