"""A folder whose UIDVALIDITY changed: re-match what we hold instead of re-importing it.

A server restore or a recreated mailbox renumbers every message. Like mbsync we pair
stored messages with the new UIDs by Message-ID (and size, or size and date for mail
without one), so nothing is downloaded twice and nothing the agent did is lost.
Stored messages the server no longer has are detached, not deleted.
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any

from sqlite_utils import Database

from csconsole.domain.clock import to_iso
from csconsole.domain.headers import parse_message_ids
from csconsole.sources import imap_commands as cmd
from csconsole.sources import imap_fetch
from csconsole.sources.imap_connection import CsImapClient
from csconsole.store import mail_state
from csconsole.sync import imap_plan


def rematch_after_reset(
    db: Database,
    client: CsImapClient,
    cursor: mail_state.FolderCursor,
    selected: cmd.SelectResult,
) -> tuple[int, int]:
    """Move stored messages to their new UIDs; returns (re-matched, detached).

    Leaves the cursor empty so the caller's first-sync path fetches only what is new.
    """
    stored = mail_state.messages_in_folder(db, cursor.id)
    ids = mail_state.message_ids_by_row(db, [m.id for m in stored])
    mine = {m.id: imap_plan.Identity(ids.get(m.id), m.size, m.sent_at) for m in stored}
    server = imap_fetch.fetch_identities(client) if selected.exists else {}
    theirs = {uid: identity_of(data) for uid, data in server.items()}
    pairs = imap_plan.rematch(mine, theirs)
    with db.atomic():
        for row_id, uid in pairs.items():
            db.execute(
                "UPDATE messages SET uidvalidity = ?, uid = ? WHERE id = ?",
                [selected.uidvalidity, uid, row_id],
            )
        mail_state.detach_rows(db, [row for row in mine if row not in pairs])
        mail_state.save_cursor(
            db,
            cursor.id,
            uidvalidity=None,
            uidnext=None,
            highestmodseq=None,
            oldest_uid=None,
            backfill_done=False,
            gap_low=None,
            gap_high=None,
        )
    return len(pairs), len(mine) - len(pairs)


def identity_of(data: dict[bytes, Any]) -> imap_plan.Identity:
    """Message-ID, size and Date of one message from ``fetch_identities`` data."""
    block = data.get(imap_fetch.IDENTITY_KEY) or b""
    text = block.decode("utf-8", "replace") if isinstance(block, bytes) else str(block)
    message_id = None
    date = None
    for line in text.replace("\r\n ", " ").replace("\r\n\t", " ").splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "message-id":
            found = parse_message_ids(value)
            message_id = found[0] if found else None
        elif name.strip().lower() == "date":
            try:
                date = to_iso(parsedate_to_datetime(value.strip()))
            except (TypeError, ValueError, IndexError, OverflowError):
                date = None
    size = data.get(b"RFC822.SIZE")
    return imap_plan.Identity(message_id, int(size) if isinstance(size, int) else 0, date)
