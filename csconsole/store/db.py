"""Opening the store: one connection per thread, WAL, busy timeout, foreign keys, migrations.

Two ways in, over the same kind of connection:

* ``open_store`` gives a sqlite-utils ``Database`` (writes, migrations, the CLI);
* ``open_connection`` gives the plain ``sqlite3`` connection that reads need. It skips
  importing sqlite-utils (and the click, dateutil and pluggy it pulls in, tens of ms)
  when the store's ``user_version`` says every migration this code knows was applied,
  so the console paints its inbox first; ``as_database`` wraps that same connection
  later, when something writes.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 10_000
# How many migrations store/migrations.py registers; a store whose user_version says so
# needs no migration check. tests/store/test_schema_version.py keeps the two equal.
SCHEMA_VERSION = 7


class StoreError(Exception):
    """The store could not be opened or written (disk full, locked, corrupt)."""


class Queryable(Protocol):
    """What read-only store functions need: a plain connection or a ``Database``."""

    def execute(self, sql: str, parameters: Any = ..., /) -> sqlite3.Cursor: ...


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA recursive_triggers = ON")  # as sqlite-utils sets it
    conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses no commit
    _use_wal(conn)
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch a store to WAL (once, when it is new). SQLite answers "locked" at once,
    without waiting, when another connection opens the new file at the same moment;
    try again until the busy timeout is spent."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = wal")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def open_connection(path: Path | str) -> sqlite3.Connection:
    """A plain connection to the store at ``path``, its schema brought up to date.

    Each thread must open its own connection: sqlite3 connections refuse to be
    shared across threads, which is what we want.
    """
    path = Path(path)
    try:
        conn = _connect(path)
        current = conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    except (sqlite3.DatabaseError, OSError) as error:
        raise StoreError(f"cannot open the store at {path}: {error}") from error
    if not current:
        as_database(conn, path=path)  # migrates (and stamps) under the write lock
    return conn


def open_store(path: Path | str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date."""
    path = Path(path)
    try:
        conn = _connect(path)
    except (sqlite3.DatabaseError, OSError) as error:
        raise StoreError(f"cannot open the store at {path}: {error}") from error
    return as_database(conn, path=path, migrate=migrate)


def as_database(conn: sqlite3.Connection, *, path: Path, migrate: bool = True) -> Database:
    """Wrap an open connection in a sqlite-utils ``Database``, migrating when asked."""
    from csconsole.store.database import StoreDatabase
    from csconsole.store.migrations import migrations

    # No sqlite-utils plugins: the store needs none, and finding them means
    # scanning every installed package's metadata (tens of ms at each start).
    db = StoreDatabase(conn, execute_plugins=False)
    try:
        if migrate:
            if migrations.pending(db):
                _migrate(db)
            _stamp(conn, len(migrations.applied(db)))
    except (sqlite3.DatabaseError, OSError) as error:
        raise StoreError(f"cannot open the store at {path}: {error}") from error
    return db


def _stamp(conn: sqlite3.Connection, applied: int) -> None:
    """Record how many migrations the store has, so the next open can skip checking."""
    if conn.execute("PRAGMA user_version").fetchone()[0] == applied:
        return
    with contextlib.suppress(sqlite3.OperationalError):  # a read-only store stays unstamped
        conn.execute(f"PRAGMA user_version = {int(applied)}")


def _migrate(db: Database) -> None:
    """Apply pending migrations while holding the write lock, so that threads or
    processes opening a new store together wait for each other instead of failing."""
    from csconsole.store.migrations import migrations

    with db.atomic():
        migrations.apply(db)


def open_memory_store() -> Database:
    """A migrated in-memory store, for tests and throwaway previews."""
    from sqlite_utils import Database

    from csconsole.store.migrations import migrations

    db = Database(memory=True, execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    migrations.apply(db)
    return db
