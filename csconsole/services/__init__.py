"""The one API the console and the command line both use.

``Services`` is built once from the store path and the config. It hands each thread
its own SQLite connection (sqlite3 refuses to share one), so the console's UI
thread, its workers and the pollers can all read and write the same store. Reads go
through the plain connection (``connection``); the sqlite-utils ``Database`` that
writes need (``db``) wraps the same connection on first use, so the inbox paints
before sqlite-utils is imported.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from csconsole.domain.clock import utc_now
from csconsole.store.db import as_database, open_connection

if TYPE_CHECKING:
    from sqlite_utils import Database

    from csconsole.config import Config
    from csconsole.services.inbox import InboxService
    from csconsole.services.orders import OrdersService
    from csconsole.services.replies import RepliesService


class Services:
    """Everything the UI and the CLI may call, over one store."""

    def __init__(
        self,
        store_path: Path,
        config: Config,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        from csconsole.services.inbox import InboxService

        self.store_path = Path(store_path)
        self.config = config
        self.clock = clock
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[sqlite3.Connection] = []
        self.inbox: InboxService = InboxService(self)

    # Orders and replies pull in the HTTP, IMAP and SMTP clients; reading the inbox
    # does not need them, so the console paints before they are imported.
    @cached_property
    def orders(self) -> OrdersService:
        from csconsole.services.orders import OrdersService

        return OrdersService(self)

    @cached_property
    def replies(self) -> RepliesService:
        from csconsole.services.replies import RepliesService

        return RepliesService(self)

    def connection(self) -> sqlite3.Connection:
        """This thread's plain connection to the store, opened on first use (reads)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = open_connection(self.store_path)
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def db(self) -> Database:
        """This thread's connection as a sqlite-utils ``Database`` (writes)."""
        db: Database | None = getattr(self._local, "db", None)
        if db is None:
            db = as_database(self.connection(), path=self.store_path, migrate=False)
            self._local.db = db
        return db

    def close_thread(self) -> None:
        """Close the calling thread's connection (workers call this when they finish)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        self._local.db = None
        if conn is not None:
            self._local.conn = None
            with self._lock:
                if conn in self._opened:
                    self._opened.remove(conn)
            conn.close()

    def close(self) -> None:
        """Close this thread's connection; other threads close their own."""
        self.close_thread()

    @property
    def actor(self) -> str:
        """Who the event log says made a change."""
        name = self.config.replies.agent_name or "agent"
        return f"agent:{name}"


__all__ = ["Services"]
