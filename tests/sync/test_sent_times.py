"""A message's time is stored as the instant it was sent, whatever zone this machine is in.

Agents in Tehran (+03:30) and Riyadh (+03:00) run the console on machines set to their
own zone; a time read as local and stored as UTC would put every mail hours off and
break the SLA clock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from sqlite_utils import Database

from tests.servers.dovecot import DovecotServer
from tests.sync.helpers import account_for, mail, rows, sync


@pytest.fixture
def tehran_clock() -> Iterator[None]:
    """This process believes it runs in Tehran."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tehran"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_sent_time_is_the_instant_not_the_local_clock(
    dovecot: DovecotServer, fresh_store: Database, tehran_clock: None
) -> None:
    user = dovecot.new_user()
    riyadh = timezone(timedelta(hours=3))
    dovecot.append(
        user, mail("سلام", "طلب رقم 1001", when=datetime(2026, 11, 20, 14, 0, tzinfo=riyadh))
    )
    sync(fresh_store, account_for(dovecot, user), user[1])
    assert rows(fresh_store, "SELECT sent_at FROM messages") == [("2026-11-20T11:00:00Z",)]
