"""A full disk, told apart from other store errors so that the user is told plainly.

SQLite rolls back the transaction that did not fit, so nothing already stored is
lost and every cursor still points before what was not written: once space is
freed, the next pass continues where this one stopped.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

FULL_MESSAGE = (
    "the disk holding the store is full; nothing was lost (what did not fit stays on the"
    " server and is fetched once there is space again)"
)


def is_disk_full(error: BaseException) -> bool:
    """SQLite's "database or disk is full" (SQLITE_FULL) or an ENOSPC from a file write."""
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        return code is not None and code & 0xFF == sqlite3.SQLITE_FULL
    return isinstance(error, OSError) and error.errno == errno.ENOSPC


@contextmanager
def disk_full_as(error_type: type[Exception], message: str) -> Iterator[None]:
    """Turn a full disk inside the block into ``error_type(message)`` (which callers
    already show the user); any other error passes through unchanged."""
    try:
        yield
    except sqlite3.Error as error:
        if is_disk_full(error):
            raise error_type(message) from error
        raise
