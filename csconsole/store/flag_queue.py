"""Flag changes made in the console, queued until the IMAP sync writes them to the server.

A row is written in the same transaction as the console's state change, so a change
made offline, or just before a crash, is never lost: the next sync pass of the account
stores it and deletes the row. Rows point at a message's place on the server
(folder, UIDVALIDITY, UID); a folder whose UIDVALIDITY changed drops them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from csconsole.domain.clock import now_iso
from csconsole.domain.models import Status

SEEN = "\\Seen"
PENDING = "$CSPending"
CLOSED = "$CSClosed"

# What each conversation status means as keywords: (to add, to remove).
_STATUS_KEYWORDS: dict[Status, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Status.PENDING: ((PENDING,), (CLOSED,)),
    Status.CLOSED: ((CLOSED,), (PENDING,)),
    Status.OPEN: ((), (PENDING, CLOSED)),
    Status.SNOOZED: ((), (PENDING, CLOSED)),
}


@dataclass(frozen=True)
class FlagChange:
    """One queued change of one message on the server."""

    id: int
    folder_id: int
    folder: str
    uidvalidity: int
    uid: int
    add: tuple[str, ...]
    remove: tuple[str, ...]


def _queue(
    db: Database, where: str, params: list[object], add: Iterable[str], remove: Iterable[str]
) -> int:
    cursor = db.execute(
        "INSERT INTO flag_changes(message_id, folder_id, uidvalidity, uid, add_flags, "
        "remove_flags, created_at) SELECT id, folder_id, uidvalidity, uid, ?, ?, ? "
        "FROM messages WHERE folder_id IS NOT NULL AND uidvalidity IS NOT NULL AND "
        f"uid IS NOT NULL AND {where}",
        [json.dumps(list(add)), json.dumps(list(remove)), now_iso(), *params],
    )
    return int(cursor.rowcount)


def queue_read(db: Database, conversation_id: int, read: bool) -> int:
    """Queue \\Seen as ``store.conversation_state.set_read`` changed it locally: on every
    customer message when read, off the newest one when unread. Returns rows queued."""
    if read:
        return _queue(db, "conversation_id = ? AND direction = 'in'", [conversation_id], [SEEN], [])
    return _queue(
        db,
        "id = (SELECT id FROM messages WHERE conversation_id = ? AND direction = 'in' "
        "ORDER BY sent_at DESC, id DESC LIMIT 1)",
        [conversation_id],
        [],
        [SEEN],
    )


def queue_status(db: Database, conversation_id: int, status: Status) -> int:
    """Queue the console's keywords for a conversation's new status on its messages."""
    add, remove = _STATUS_KEYWORDS[status]
    return _queue(db, "conversation_id = ?", [conversation_id], add, remove)


def pending(db: Database, account_id: int) -> list[FlagChange]:
    """Every queued change of the account's folders, oldest first."""
    rows = db.execute(
        "SELECT q.id, q.folder_id, f.name, q.uidvalidity, q.uid, q.add_flags, q.remove_flags "
        "FROM flag_changes q JOIN folders f ON f.id = q.folder_id WHERE f.account_id = ? "
        "ORDER BY q.id",
        [account_id],
    ).fetchall()
    return [
        FlagChange(
            int(r[0]),
            int(r[1]),
            str(r[2]),
            int(r[3]),
            int(r[4]),
            tuple(json.loads(r[5])),
            tuple(json.loads(r[6])),
        )
        for r in rows
    ]


def newest_id(db: Database, account_id: int) -> int:
    """The id of the account's most recently queued change (0 when none): the watch loop
    ends IDLE early when it grows, i.e. when the console queued something new."""
    row = db.execute(
        "SELECT max(q.id) FROM flag_changes q JOIN folders f ON f.id = q.folder_id "
        "WHERE f.account_id = ?",
        [account_id],
    ).fetchone()
    return int(row[0] or 0)


def pending_uids(db: Database, folder_id: int, uidvalidity: int) -> set[int]:
    """UIDs of a folder with changes not yet on the server (their server flags are stale)."""
    rows = db.execute(
        "SELECT uid FROM flag_changes WHERE folder_id = ? AND uidvalidity = ?",
        [folder_id, uidvalidity],
    ).fetchall()
    return {int(r[0]) for r in rows}


def net_changes(changes: Iterable[FlagChange]) -> dict[tuple[str, tuple[str, ...]], list[int]]:
    """Collapse changes (oldest first) per message, then group UIDs by what to store:
    {("+" or "-", flags): uids}. A later change of the same flag wins."""
    per_uid: dict[int, dict[str, bool]] = {}
    for change in changes:
        wanted = per_uid.setdefault(change.uid, {})
        for flag in change.add:
            wanted[flag] = True
        for flag in change.remove:
            wanted[flag] = False
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for uid, wanted in sorted(per_uid.items()):
        added = tuple(sorted(f for f, on in wanted.items() if on))
        removed = tuple(sorted(f for f, on in wanted.items() if not on))
        if added:
            groups.setdefault(("+", added), []).append(uid)
        if removed:
            groups.setdefault(("-", removed), []).append(uid)
    return groups


def delete(db: Database, ids: Iterable[int]) -> None:
    """Forget changes the server now has (or that no longer apply)."""
    id_list = list(ids)
    for start in range(0, len(id_list), 500):
        chunk = id_list[start : start + 500]
        marks = ",".join("?" * len(chunk))
        db.execute(f"DELETE FROM flag_changes WHERE id IN ({marks})", chunk)
