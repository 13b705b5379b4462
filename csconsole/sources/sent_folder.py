"""The IMAP side of sending: find the Sent folder, look for a Message-ID, file a copy, flag.

``UID SEARCH HEADER Message-ID`` is how the sender learns, after a crash, whether a
message it may have handed to SMTP already went out (servers such as Gmail file
the copy themselves; otherwise the copy we appended is the proof).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from csconsole.sources.imap_connection import ServerSettings, open_imap

# Providers whose SMTP service files a copy in Sent by itself: appending would duplicate.
SERVER_SAVES_SENT = (
    "gmail.com",
    "googlemail.com",
    "office365.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
)
_SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "INBOX.Sent", "[Gmail]/Sent Mail")


class SentFolderError(Exception):
    """Talking to the IMAP server about the Sent folder failed (temporary as a rule).

    Temporary: a recovered row whose Sent folder cannot be searched waits and retries
    rather than being sent blind.
    """

    temporary = True


def server_saves_sent(smtp_host: str, setting: str) -> bool:
    """Whether the provider files sent mail itself (``save_sent``: auto | always | never)."""
    if setting == "always":
        return False
    if setting == "never":
        return True
    host = smtp_host.lower().rstrip(".")
    return any(host == known or host.endswith("." + known) for known in SERVER_SAVES_SENT)


def _folder_name(name: Any) -> str:
    return name.decode() if isinstance(name, bytes) else str(name)


def sent_folder(client: Any, configured: str | None, *, create: bool) -> str | None:
    """The configured folder, the SPECIAL-USE \\Sent one, a usual name, or (if asked) a new one."""
    if configured:
        if create and not client.folder_exists(configured):
            client.create_folder(configured)
        return configured
    for flags, _, name in client.list_folders():
        if b"\\Sent" in flags:
            return _folder_name(name)
    for name in _SENT_NAMES:
        if client.folder_exists(name):
            return name
    if create:
        client.create_folder("Sent")
        return "Sent"
    return None


class SentFolder:
    """One IMAP session for the Sent-folder chores of a send (use as a context manager)."""

    def __init__(self, server: ServerSettings, password: str, configured: str | None) -> None:
        self._server = server
        self._password = password
        self._configured = configured
        self._client: Any = None

    def __enter__(self) -> SentFolder:
        try:
            self._client = open_imap(self._server, self._password, compress=False)
        except Exception as error:
            raise SentFolderError(f"cannot reach {self._server.host}: {error}") from error
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._client.logout()
        except Exception:
            self._client.close_now()

    def contains(self, message_id: str) -> bool:
        """Whether a message with this Message-ID is in Sent (no folder yet: no)."""
        try:
            folder = sent_folder(self._client, self._configured, create=False)
            if folder is None:
                return False
            self._client.select_folder(folder, readonly=True)
            found = self._client.search(["HEADER", "Message-ID", f"<{message_id}>"])
            return bool(found)
        except Exception as error:
            raise SentFolderError(f"cannot search Sent on {self._server.host}: {error}") from error

    def append(self, raw: bytes, when: datetime) -> None:
        """File our copy, already marked \\Seen."""
        try:
            folder = sent_folder(self._client, self._configured, create=True)
            self._client.append(folder, raw, flags=(b"\\Seen",), msg_time=when)
        except Exception as error:
            raise SentFolderError(f"cannot save to Sent on {self._server.host}: {error}") from error

    def mark_answered(self, folder: str, uidvalidity: int, uid: int) -> bool:
        """Flag the original \\Answered, unless its folder was rebuilt since (UIDVALIDITY)."""
        try:
            status = self._client.select_folder(folder)
            if int(status.get(b"UIDVALIDITY", 0)) != uidvalidity:
                return False
            self._client.add_flags([uid], [b"\\Answered"])
            return True
        except Exception as error:
            raise SentFolderError(
                f"cannot flag the original on {self._server.host}: {error}"
            ) from (error)
