"""The outbox: outgoing messages with their final Message-ID, drained by the sender.

States: ``queued`` → ``sending`` → ``sent``; a temporary failure goes back to
``queued`` with ``next_attempt_at``; a permanent one ends in ``failed`` (visible,
retryable by hand); ``cancelled`` is the undo. ``sending`` is the checkpoint
written *before* the message is handed to the server: finding a row still in
``sending`` means a crash in between, and the sender must check whether the
message went out before trying again.

Functions never commit on their own except the claim, which must be atomic.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlite_utils import Database

from csconsole.domain.clock import from_iso, now_iso, to_iso
from csconsole.domain.models import OutboxState
from csconsole.domain.outgoing import OutboxItem

_COLUMNS = (
    "id, conversation_id, account_id, channel, message_id, recipients, subject, body_text, "
    "raw, state, send_after, attempts, next_attempt_at, last_error, external_id, created_at, "
    "updated_at, sent_at"
)


def _item(row: tuple[Any, ...], *, recovered: bool = False) -> OutboxItem:
    return OutboxItem(
        id=int(row[0]),
        conversation_id=row[1],
        account_id=row[2],
        channel=str(row[3]),
        message_id=str(row[4]),
        recipients=tuple(str(r) for r in json.loads(row[5] or "[]")),
        subject=str(row[6]),
        body_text=str(row[7]),
        raw=bytes(row[8]) if row[8] is not None else None,
        state=OutboxState(row[9]),
        send_after=str(row[10]),
        attempts=int(row[11]),
        next_attempt_at=row[12],
        last_error=row[13],
        external_id=row[14],
        created_at=str(row[15]),
        updated_at=str(row[16]),
        sent_at=row[17],
        recovered=recovered,
    )


def enqueue(
    db: Database,
    *,
    channel: str,
    message_id: str,
    recipients: Iterable[str],
    send_after: str,
    conversation_id: int | None = None,
    account_id: int | None = None,
    subject: str = "",
    body_text: str = "",
    raw: bytes | None = None,
) -> int:
    """Queue a message; call inside the transaction that also clears the draft."""
    now = now_iso()
    cursor = db.execute(
        "INSERT INTO outbox(conversation_id, account_id, channel, message_id, recipients, "
        "subject, body_text, raw, state, send_after, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,'queued',?,?,?)",
        [
            conversation_id,
            account_id,
            channel,
            message_id,
            json.dumps(list(recipients), ensure_ascii=False),
            subject,
            body_text,
            raw,
            send_after,
            now,
            now,
        ],
    )
    return int(cursor.lastrowid or 0)


def get_item(db: Database, item_id: int) -> OutboxItem | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", [item_id]).fetchone()
    return _item(row) if row else None


def list_items(
    db: Database, states: Iterable[OutboxState] | None = None, *, limit: int = 500
) -> list[OutboxItem]:
    """Newest first; all states unless some are named."""
    query = f"SELECT {_COLUMNS} FROM outbox"
    params: list[Any] = []
    wanted = [state.value for state in states] if states is not None else []
    if wanted:
        query += f" WHERE state IN ({','.join('?' * len(wanted))})"
        params = wanted
    query += " ORDER BY id DESC LIMIT ?"
    return [_item(row) for row in db.execute(query, [*params, limit]).fetchall()]


def counts(db: Database) -> dict[str, int]:
    """Rows per state, for the status bar ('2 queued, 1 failed')."""
    return {
        str(state): int(count)
        for state, count in db.execute("SELECT state, count(*) FROM outbox GROUP BY state")
    }


def cancel(db: Database, item_id: int) -> bool:
    """Undo: only a row not yet claimed by a sender can be cancelled."""
    cursor = db.execute(
        "UPDATE outbox SET state = 'cancelled', updated_at = ? "
        "WHERE id = ? AND state IN ('queued', 'failed')",
        [now_iso(), item_id],
    )
    return cursor.rowcount == 1


def retry(db: Database, item_id: int) -> bool:
    """Put a failed (or waiting) row back to be sent at the next pass."""
    cursor = db.execute(
        "UPDATE outbox SET state = 'queued', next_attempt_at = NULL, updated_at = ? "
        "WHERE id = ? AND state IN ('failed', 'queued')",
        [now_iso(), item_id],
    )
    return cursor.rowcount == 1


def claim_next(
    db: Database, *, now: str | None = None, lease_seconds: float = 300.0
) -> OutboxItem | None:
    """Take one due row and mark it 'sending' atomically, so two senders never share it.

    A row left in 'sending' longer than the lease belongs to a sender that died;
    it comes back with ``recovered=True`` and must be checked before resending.
    """
    moment = now or now_iso()
    stale = to_iso(from_iso(moment) - timedelta(seconds=lease_seconds))
    with db.atomic():
        row = db.execute(
            f"SELECT {_COLUMNS} FROM outbox WHERE state = 'sending' AND updated_at <= ? "
            "ORDER BY id LIMIT 1",
            [stale],
        ).fetchone()
        recovered = row is not None
        if row is None:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE state = 'queued' AND send_after <= ? "
                "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT 1",
                [moment, moment],
            ).fetchone()
        if row is None:
            return None
        db.execute(
            "UPDATE outbox SET state = 'sending', attempts = attempts + ?, updated_at = ? "
            "WHERE id = ?",
            [0 if recovered else 1, moment, row[0]],
        )
    item = _item(row, recovered=recovered)
    return item


def next_due_at(db: Database) -> str | None:
    """When the earliest waiting row becomes due, so a sender can sleep until then."""
    row = db.execute(
        "SELECT min(max(send_after, coalesce(next_attempt_at, send_after))) FROM outbox "
        "WHERE state = 'queued'"
    ).fetchone()
    return str(row[0]) if row and row[0] else None


def mark_sent(db: Database, item_id: int, *, external_id: str | None = None) -> None:
    now = now_iso()
    db.execute(
        "UPDATE outbox SET state = 'sent', sent_at = ?, updated_at = ?, last_error = NULL, "
        "external_id = coalesce(?, external_id) WHERE id = ?",
        [now, now, external_id, item_id],
    )


def mark_retry(db: Database, item_id: int, error: str, next_attempt_at: str) -> None:
    """A temporary failure: back to the queue, visible, with the time of the next try."""
    db.execute(
        "UPDATE outbox SET state = 'queued', last_error = ?, next_attempt_at = ?, updated_at = ? "
        "WHERE id = ?",
        [error, next_attempt_at, now_iso(), item_id],
    )


def mark_failed(db: Database, item_id: int, error: str) -> None:
    """A permanent failure: kept, shown, retried only by hand."""
    db.execute(
        "UPDATE outbox SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?",
        [error, now_iso(), item_id],
    )


def queued_details(db: Database, item_id: int) -> dict[str, Any]:
    """What the composer recorded with the row (author, threading, macro actions)."""
    row = db.execute(
        "SELECT data FROM events WHERE kind = 'reply.queued' "
        "AND json_extract(data, '$.outbox_id') = ? ORDER BY id DESC LIMIT 1",
        [item_id],
    ).fetchone()
    data = json.loads(row[0]) if row else {}
    return data if isinstance(data, dict) else {}


def original_location(db: Database, message_id: str) -> tuple[str, int, int] | None:
    """(folder, UIDVALIDITY, UID) of the stored message a reply answers, to flag it."""
    row = db.execute(
        "SELECT f.name, m.uidvalidity, m.uid FROM messages m JOIN folders f ON f.id = m.folder_id "
        "WHERE m.message_id = ? AND m.uid IS NOT NULL ORDER BY m.id DESC LIMIT 1",
        [message_id],
    ).fetchone()
    if row is None or row[1] is None:
        return None
    return str(row[0]), int(row[1]), int(row[2])


def account_name(db: Database, account_id: int | None) -> str | None:
    if account_id is None:
        return None
    row = db.execute("SELECT name FROM accounts WHERE id = ?", [account_id]).fetchone()
    return str(row[0]) if row else None


def mark_sent_warning(db: Database, item_id: int, warning: str) -> None:
    """Sent, but something is worth seeing (e.g. the server refused one of the recipients)."""
    db.execute("UPDATE outbox SET last_error = ? WHERE id = ?", [warning, item_id])
