"""Hostile and badly encoded mail: stored safely, never blocking the folder."""

from __future__ import annotations

from sqlite_utils import Database

from tests.servers.dovecot import DovecotServer
from tests.servers.proxy import ThrottlingProxy
from tests.sync.helpers import account_for, rows, sync
from tests.sync.hostile_mail import MIXED_CHARSETS, hostile_messages

UNSAFE = ("\x1b", "\x9b", "\u202e", "\x07", "\x00")


def test_twenty_hostile_messages_are_all_stored_and_safe_to_show(
    dovecot: DovecotServer, fresh_store: Database
) -> None:
    user = dovecot.new_user()
    messages = hostile_messages()
    assert len(messages) == 20
    dovecot.append_many(user, messages)
    with ThrottlingProxy((dovecot.host, dovecot.port)) as proxy:
        account = account_for(dovecot, user, port=proxy.port, sent_folder="Sent", body_cap=4096)
        reports = sync(fresh_store, account, user[1])
        downloaded = proxy.stats.down
    assert reports[0].new == 20
    assert downloaded < 1_500_000  # the 4 MB "bomb" part stayed on the server
    texts = rows(
        fresh_store,
        "SELECT subject, from_name, from_addr, body_text, body_html_text, message_id, refs, "
        "headers FROM messages",
    )
    for row in texts:
        for value in row:
            assert not any(bad in str(value or "") for bad in UNSAFE), row[0]
    names = [str(r[0]) for r in rows(fresh_store, "SELECT filename FROM attachments")]
    assert all("/" not in n and not any(bad in n for bad in UNSAFE) for n in names)
    assert any(n.endswith(".exe") for n in names)  # the real extension shows
    for (body,) in rows(
        fresh_store, "SELECT length(body_text) + length(body_html_text) FROM messages"
    ):
        assert int(str(body)) <= 4096
    html = rows(
        fresh_store, "SELECT body_text || body_html_text FROM messages WHERE subject = 'nasty html'"
    )
    assert "visible" in str(html[0][0]) and "alert" not in str(html[0][0])
    # a later sync of the same folder goes through cleanly
    assert sync(fresh_store, account_for(dovecot, user), user[1])[0].error is None


def test_mixed_and_mislabelled_charsets_are_readable(
    any_dovecot: DovecotServer, fresh_store: Database
) -> None:
    user = any_dovecot.new_user()
    any_dovecot.append_many(user, [raw for raw, _ in MIXED_CHARSETS])
    sync(fresh_store, account_for(any_dovecot, user, sent_folder="Sent"), user[1])
    bodies = " | ".join(str(r[0]) for r in rows(fresh_store, "SELECT body_text FROM messages"))
    for _, expected in MIXED_CHARSETS:
        assert expected in bodies
    subjects = [str(r[0]) for r in rows(fresh_store, "SELECT subject FROM messages")]
    assert "سلام" in subjects and "پاسخ" in subjects
