"""Mail folders, their sync cursors, and the message lookups the IMAP sync needs.

Like ``store.inbox`` these never commit: the sync wraps a fetched batch and the cursor
that covers it in one ``db.atomic()``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from csconsole.domain.clock import now_iso

_UNSET: Any = object()


@dataclass(frozen=True)
class FolderCursor:
    """Where the sync of one folder stands (RFC 7162 state plus the backfill mark)."""

    id: int
    account_id: int
    name: str
    role: str
    uidvalidity: int | None
    uidnext: int | None
    highestmodseq: int | None
    oldest_uid: int | None
    backfill_done: bool
    gap_low: int | None = None  # a new-mail backlog [gap_low, gap_high) not fetched yet
    gap_high: int | None = None


@dataclass(frozen=True)
class StoredMessage:
    """Where a stored message sits, for matching by Message-ID."""

    id: int
    conversation_id: int
    folder_id: int | None
    uidvalidity: int | None
    uid: int | None
    size: int
    sent_at: str


def ensure_folder(db: Database, account_id: int, name: str, role: str) -> FolderCursor:
    """The folder row (created on first sight); the role is refreshed each time."""
    db.execute(
        "INSERT INTO folders(account_id, name, role) VALUES (?, ?, ?) "
        "ON CONFLICT(account_id, name) DO UPDATE SET role = excluded.role",
        [account_id, name, role],
    )
    cursor = get_folder(db, account_id, name)
    assert cursor is not None
    return cursor


def get_folder(db: Database, account_id: int, name: str) -> FolderCursor | None:
    """The stored cursor of a folder, if we ever synced it."""
    row = db.execute(
        "SELECT id, account_id, name, role, uidvalidity, uidnext, highestmodseq, oldest_uid, "
        "backfill_done, gap_low, gap_high FROM folders WHERE account_id = ? AND name = ?",
        [account_id, name],
    ).fetchone()
    if row is None:
        return None
    return FolderCursor(
        id=row[0],
        account_id=row[1],
        name=row[2],
        role=row[3],
        uidvalidity=row[4],
        uidnext=row[5],
        highestmodseq=row[6],
        oldest_uid=row[7],
        backfill_done=bool(row[8]),
        gap_low=row[9],
        gap_high=row[10],
    )


def save_cursor(
    db: Database,
    folder_id: int,
    *,
    uidvalidity: int | None = _UNSET,
    uidnext: int | None = _UNSET,
    highestmodseq: int | None = _UNSET,
    oldest_uid: int | None = _UNSET,
    backfill_done: bool = _UNSET,
    gap_low: int | None = _UNSET,
    gap_high: int | None = _UNSET,
) -> None:
    """Move the folder's cursor; only the given fields change."""
    fields: dict[str, Any] = {"last_sync_at": now_iso()}
    for name, value in (
        ("uidvalidity", uidvalidity),
        ("uidnext", uidnext),
        ("highestmodseq", highestmodseq),
        ("oldest_uid", oldest_uid),
        ("backfill_done", backfill_done),
        ("gap_low", gap_low),
        ("gap_high", gap_high),
    ):
        if value is not _UNSET:
            fields[name] = int(value) if isinstance(value, bool) else value
    assignments = ", ".join(f"{name} = ?" for name in fields)
    db.execute(f"UPDATE folders SET {assignments} WHERE id = ?", [*fields.values(), folder_id])


def local_uids(db: Database, folder_id: int, uidvalidity: int) -> set[int]:
    """UIDs of the messages we hold for this folder under this UIDVALIDITY."""
    rows = db.execute(
        "SELECT uid FROM messages WHERE folder_id = ? AND uidvalidity = ? AND uid IS NOT NULL",
        [folder_id, uidvalidity],
    ).fetchall()
    return {int(r[0]) for r in rows}


def messages_in_folder(db: Database, folder_id: int) -> list[StoredMessage]:
    """Every message currently placed in the folder, whatever its UIDVALIDITY."""
    rows = db.execute(
        "SELECT id, conversation_id, folder_id, uidvalidity, uid, size, sent_at FROM messages "
        "WHERE folder_id = ?",
        [folder_id],
    ).fetchall()
    return [StoredMessage(*row) for row in rows]


def message_ids_by_row(db: Database, row_ids: Iterable[int]) -> dict[int, str | None]:
    """Message-ID header of each stored row."""
    ids = list(row_ids)
    result: dict[int, str | None] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row_id, message_id in db.execute(
            f"SELECT id, message_id FROM messages WHERE id IN ({marks})", chunk
        ).fetchall():
            result[int(row_id)] = message_id
    return result


def customer_conversations(
    db: Database, account_id: int, customer_id: int
) -> list[tuple[int, str, str]]:
    """(id, subject, subject_key) of a customer's mail conversations, newest first."""
    rows = db.execute(
        "SELECT id, subject, subject_key FROM conversations WHERE account_id = ? AND "
        "customer_id = ? AND channel = 'email' ORDER BY coalesce(last_message_at, created_at) DESC "
        "LIMIT 200",
        [account_id, customer_id],
    ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def place_message(
    db: Database, row_id: int, folder_id: int, uidvalidity: int, uid: int, flags: tuple[str, ...]
) -> None:
    """Point a stored message at its (new) place on the server: a move or a UIDVALIDITY rebase."""
    db.execute(
        "UPDATE messages SET folder_id = ?, uidvalidity = ?, uid = ?, flags = ?, "
        "seen = ? WHERE id = ?",
        [folder_id, uidvalidity, uid, json.dumps(list(flags)), int("\\Seen" in flags), row_id],
    )


def detach_uids(db: Database, folder_id: int, uidvalidity: int, uids: Iterable[int]) -> list[int]:
    """Messages gone from the folder keep their place in the conversation history but no
    longer point at the server; returns the affected conversation ids."""
    affected: set[int] = set()
    uid_list = list(uids)
    for start in range(0, len(uid_list), 500):
        chunk = uid_list[start : start + 500]
        marks = ",".join("?" * len(chunk))
        params = [folder_id, uidvalidity, *chunk]
        where = f"folder_id = ? AND uidvalidity = ? AND uid IN ({marks})"
        affected.update(
            int(r[0])
            for r in db.execute(f"SELECT conversation_id FROM messages WHERE {where}", params)
        )
        db.execute(
            f"UPDATE messages SET folder_id = NULL, uid = NULL, uidvalidity = NULL WHERE {where}",
            params,
        )
    return sorted(affected)


def detach_rows(db: Database, row_ids: Iterable[int]) -> None:
    """Detach specific stored messages from the server (see ``detach_uids``)."""
    for row_id in row_ids:
        db.execute(
            "UPDATE messages SET folder_id = NULL, uid = NULL, uidvalidity = NULL WHERE id = ?",
            [row_id],
        )


def update_flags(
    db: Database,
    folder_id: int,
    uidvalidity: int,
    changes: Mapping[int, tuple[tuple[str, ...], int | None]],
) -> tuple[int, list[int]]:
    """Apply server flags {uid: (flags, modseq)}; returns (messages changed, conversations)."""
    affected: set[int] = set()
    count = 0
    for uid, (flags, modseq) in changes.items():
        row = db.execute(
            "SELECT id, conversation_id, flags FROM messages WHERE folder_id = ? AND "
            "uidvalidity = ? AND uid = ?",
            [folder_id, uidvalidity, uid],
        ).fetchone()
        if row is None:
            continue
        encoded = json.dumps(list(flags))
        if row[2] == encoded:
            continue
        db.execute(
            "UPDATE messages SET flags = ?, seen = ?, modseq = coalesce(?, modseq) WHERE id = ?",
            [encoded, int("\\Seen" in flags), modseq, row[0]],
        )
        affected.add(int(row[1]))
        count += 1
    recount_unread(db, affected)
    return count, sorted(affected)


def recount_unread(db: Database, conversation_ids: Iterable[int]) -> None:
    """Recompute the unread counter of conversations from their messages."""
    for conversation_id in conversation_ids:
        db.execute(
            "UPDATE conversations SET unread = (SELECT count(*) FROM messages WHERE "
            "conversation_id = ? AND direction = 'in' AND seen = 0) WHERE id = ?",
            [conversation_id, conversation_id],
        )


def folder_message_count(db: Database, folder_id: int) -> int:
    """How many stored messages point at this folder."""
    row = db.execute("SELECT count(*) FROM messages WHERE folder_id = ?", [folder_id]).fetchone()
    return int(row[0])


def conversation_status(db: Database, conversation_id: int) -> str:
    """A conversation's status, to notice when storing a message reopened it."""
    row = db.execute("SELECT status FROM conversations WHERE id = ?", [conversation_id]).fetchone()
    return str(row[0]) if row else ""
