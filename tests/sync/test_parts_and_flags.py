"""Attachments fetched on demand; the console's state written back as IMAP keywords."""

from __future__ import annotations

from csconsole.sources.imap_connection import open_imap
from csconsole.sources.imap_flags import PENDING, set_flags, storable
from csconsole.sources.imap_parts import fetch_part
from tests.servers.dovecot import DovecotServer
from tests.sync.helpers import account_for, mail


def test_attachment_is_downloaded_only_when_asked(dovecot: DovecotServer) -> None:
    user = dovecot.new_user()
    payload = b"%PDF-1.4 " + bytes(range(256)) * 40
    uid = dovecot.append(user, mail("Invoice", "attached", attachment=payload))
    client = open_imap(account_for(dovecot, user).imap, user[1])
    try:
        data = fetch_part(client, "INBOX", uid, "2", encoding="base64", size=len(payload) * 2)
        assert data == payload
        assert b"\\Seen" not in client.get_flags([uid])[uid]  # still unread
    finally:
        client.close_now()


def test_console_state_is_stored_as_a_keyword_another_client_sees(dovecot: DovecotServer) -> None:
    user = dovecot.new_user()
    uid = dovecot.append(user, mail("Waiting on customer"))
    client = open_imap(account_for(dovecot, user).imap, user[1])
    try:
        written = set_flags(client, "INBOX", [uid], add=[PENDING, "\\Seen"])
        assert set(written) == {PENDING, "\\Seen"}
    finally:
        client.close_now()
    with dovecot.client(*user) as other:
        other.select_folder("INBOX")
        assert set(other.get_flags([uid])[uid]) == {PENDING.encode(), b"\\Seen"}


def test_keywords_are_kept_local_when_the_folder_refuses_them() -> None:
    assert storable([PENDING, "\\Seen"], ["\\Seen", "\\Answered"]) == ["\\Seen"]
