"""Messages a server could not hand over, remembered so that none is silently lost.

A damaged file on the server can make it end the session (BYE) whenever that one
message is fetched. The sync isolates it, moves the folder's cursor past it and
records it here; the next pass tries again, later passes less and less often, until
the message arrives or the server no longer has it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlite_utils import Database

from csconsole.domain.clock import to_iso

FIRST_BACKOFF = timedelta(minutes=5)
LONGEST_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next try: none after the first failure (the cause may
    have been passing), then 5 minutes doubling up to 6 hours."""
    if attempts <= 1:
        return timedelta(0)
    wait: timedelta = FIRST_BACKOFF * 2 ** min(attempts - 2, 16)
    return min(wait, LONGEST_BACKOFF)


def record(
    db: Database, folder_id: int, uidvalidity: int, uid: int, error: str, now: datetime
) -> None:
    """Note one more failed try (call in the transaction that moves the cursor past it)."""
    row = db.execute(
        "SELECT attempts FROM unreadable_messages WHERE folder_id = ? AND uidvalidity = ? "
        "AND uid = ?",
        [folder_id, uidvalidity, uid],
    ).fetchone()
    attempts = (row[0] if row else 0) + 1
    retry_at = to_iso(now + backoff(attempts))
    db.execute(
        "INSERT INTO unreadable_messages(folder_id, uidvalidity, uid, error, attempts, "
        "first_failed_at, retry_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(folder_id, uidvalidity, uid) DO UPDATE SET error = excluded.error, "
        "attempts = excluded.attempts, retry_at = excluded.retry_at",
        [folder_id, uidvalidity, uid, error, attempts, to_iso(now), retry_at],
    )


def due(db: Database, folder_id: int, uidvalidity: int, now: datetime) -> list[int]:
    """UIDs worth another try now, ascending."""
    rows = db.execute(
        "SELECT uid FROM unreadable_messages WHERE folder_id = ? AND uidvalidity = ? "
        "AND retry_at <= ? ORDER BY uid",
        [folder_id, uidvalidity, to_iso(now)],
    ).fetchall()
    return [int(row[0]) for row in rows]


def pending(db: Database, folder_id: int, uidvalidity: int | None) -> dict[int, str]:
    """{uid: the server's last answer} of every message still missing from the folder."""
    rows = db.execute(
        "SELECT uid, error FROM unreadable_messages WHERE folder_id = ? AND uidvalidity = ? "
        "ORDER BY uid",
        [folder_id, uidvalidity],
    ).fetchall()
    return {int(uid): str(error) for uid, error in rows}


def forget(db: Database, folder_id: int, uidvalidity: int, uids: Iterable[int]) -> None:
    """The messages arrived, or the server no longer has them."""
    db.conn.executemany(
        "DELETE FROM unreadable_messages WHERE folder_id = ? AND uidvalidity = ? AND uid = ?",
        [(folder_id, uidvalidity, uid) for uid in uids],
    )


def forget_other_generations(db: Database, folder_id: int, uidvalidity: int) -> None:
    """After a UIDVALIDITY change the old UIDs mean nothing: every message is fetched anew."""
    db.execute(
        "DELETE FROM unreadable_messages WHERE folder_id = ? AND uidvalidity != ?",
        [folder_id, uidvalidity],
    )
