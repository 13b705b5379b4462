"""Named cursors of API pollers (``orders.updated_at``, ``telegram.offset`` …).

A cursor is written inside the same transaction as the records it covers, so
after a crash either both are there or neither is.
"""

from __future__ import annotations

from sqlite_utils import Database

from csconsole.domain.clock import now_iso


def get_cursor(db: Database, account_id: int, name: str) -> str | None:
    """The stored value, or None before the first successful poll."""
    row = db.execute(
        "SELECT value FROM sync_cursors WHERE account_id = ? AND name = ?", [account_id, name]
    ).fetchone()
    return str(row[0]) if row else None


def set_cursor(db: Database, account_id: int, name: str, value: str) -> None:
    """Store a cursor; call inside the transaction that stores what it covers."""
    db.execute(
        "INSERT INTO sync_cursors(account_id, name, value, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(account_id, name) DO UPDATE SET value = excluded.value, "
        "updated_at = excluded.updated_at",
        [account_id, name, value, now_iso()],
    )
