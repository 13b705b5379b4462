"""What the console's status bar shows: each account's sync state and the outbox size."""

from __future__ import annotations

from csconsole.domain.inbox_models import AccountStatus
from csconsole.store.db import Queryable


def account_statuses(db: Queryable) -> list[AccountStatus]:
    return [
        AccountStatus(int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4], r[5], r[6])
        for r in db.execute(
            "SELECT id, name, kind, sync_state, last_sync_at, last_error, last_error_at "
            "FROM accounts ORDER BY name"
        )
    ]


def outbox_waiting(db: Queryable) -> int:
    """Replies not yet sent (queued, sending or failed): the user should know."""
    return int(
        db.execute(
            "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending', 'failed')"
        ).fetchone()[0]
    )
