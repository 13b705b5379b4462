"""The sqlite-utils ``Database`` the store writes through (``store.db`` opens it)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlite_utils import Database


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
