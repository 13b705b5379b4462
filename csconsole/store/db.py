"""Opening the store: one connection per thread, WAL, busy timeout, foreign keys, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from csconsole.store.migrations import migrations

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The store could not be opened or written (disk full, locked, corrupt)."""


def open_store(path: Path | str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date.

    Each thread must open its own connection: sqlite3 connections refuse to be
    shared across threads, which is what we want.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses no commit
        if db.journal_mode != "wal":
            db.enable_wal()
        if migrate:
            migrations.apply(db)
    except (sqlite3.DatabaseError, OSError) as error:
        raise StoreError(f"cannot open the store at {path}: {error}") from error
    return db


def open_memory_store() -> Database:
    """A migrated in-memory store, for tests and throwaway previews."""
    db = Database(memory=True)
    db.execute("PRAGMA foreign_keys = ON")
    migrations.apply(db)
    return db
