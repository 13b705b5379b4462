"""Counts for ``csconsole stats``: what the store holds and how each source last synced."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def _count(db: Database, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _grouped(db: Database, sql: str) -> dict[str, int]:
    return {str(key): int(count) for key, count in db.execute(sql).fetchall()}


def store_stats(db: Database) -> dict[str, Any]:
    """Totals, conversations by status and channel, outbox by state, per-source sync state."""
    sources = {
        name: {
            "kind": kind,
            "state": state,
            "last_sync_at": last_sync_at,
            "last_error": last_error,
            "last_error_at": last_error_at,
            "folders": folders,
            "cursors": cursors,
        }
        for name, kind, state, last_sync_at, last_error, last_error_at, folders, cursors in (
            db.execute(
                "SELECT a.name, a.kind, a.sync_state, a.last_sync_at, a.last_error, "
                "a.last_error_at, (SELECT count(*) FROM folders f WHERE f.account_id = a.id), "
                "(SELECT count(*) FROM sync_cursors s WHERE s.account_id = a.id) "
                "FROM accounts a ORDER BY a.name"
            ).fetchall()
        )
    }
    return {
        "conversations": _count(db, "conversations"),
        "messages": _count(db, "messages"),
        "customers": _count(db, "customers"),
        "orders": _count(db, "orders"),
        "by_status": _grouped(
            db, "SELECT status, count(*) FROM conversations GROUP BY status ORDER BY status"
        ),
        "by_channel": _grouped(
            db, "SELECT channel, count(*) FROM conversations GROUP BY channel ORDER BY channel"
        ),
        "outbox": _grouped(db, "SELECT state, count(*) FROM outbox GROUP BY state ORDER BY state"),
        "sources": sources,
    }
