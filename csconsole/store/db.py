"""Opening the store: one connection per thread, WAL, busy timeout, foreign keys, migrations."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from csconsole.store.migrations import migrations

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The store could not be opened or written (disk full, locked, corrupt)."""


class StoreDatabase(Database):
    """A sqlite-utils Database whose write transactions take the write lock up front.

    The UI, the pollers and the sender each write through their own connection. A
    deferred transaction that reads and then writes fails at once with "database is
    locked" when another connection committed in between (WAL cannot upgrade a stale
    snapshot); ``BEGIN IMMEDIATE`` waits for the busy timeout instead. Nested blocks
    stay savepoints, as in sqlite-utils.
    """

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            with super().atomic():  # inside our transaction: a savepoint
                yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.rollback()
            raise
        self.conn.commit()


def open_store(path: Path | str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date.

    Each thread must open its own connection: sqlite3 connections refuse to be
    shared across threads, which is what we want.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        # No sqlite-utils plugins: the store needs none, and finding them means
        # scanning every installed package's metadata (tens of ms at each start).
        db = StoreDatabase(conn, execute_plugins=False)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses no commit
        if db.journal_mode != "wal":
            db.enable_wal()
        if migrate and migrations.pending(db):
            _migrate(db)
    except (sqlite3.DatabaseError, OSError) as error:
        raise StoreError(f"cannot open the store at {path}: {error}") from error
    return db


def _migrate(db: Database) -> None:
    """Apply pending migrations while holding the write lock, so that threads or
    processes opening a new store together wait for each other instead of failing."""
    with db.atomic():
        migrations.apply(db)


def open_memory_store() -> Database:
    """A migrated in-memory store, for tests and throwaway previews."""
    db = Database(memory=True, execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    migrations.apply(db)
    return db
