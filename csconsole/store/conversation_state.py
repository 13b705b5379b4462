"""Writes an agent makes to a conversation: status, snooze, tags, read state, notes, links.

Every change appends an event (who, what, when) so reports and the audit trail see it.
Callers wrap each change in ``db.atomic()``; nothing here commits.
"""

from __future__ import annotations

from sqlite_utils import Database

from csconsole.domain.clock import now_iso
from csconsole.domain.inbox_models import NotFound as NotFound  # raised here; callers catch it
from csconsole.domain.inbox_models import SavedView
from csconsole.domain.models import Direction, NewMessage, Status
from csconsole.store import flag_queue
from csconsole.store.fts import index_conversations
from csconsole.store.inbox import add_message, record_event


def current_status(db: Database, conversation_id: int) -> str:
    row = db.execute("SELECT status FROM conversations WHERE id = ?", [conversation_id]).fetchone()
    if row is None:
        raise NotFound(f"no conversation {conversation_id}")
    return str(row[0])


def set_status(
    db: Database,
    conversation_id: int,
    status: Status,
    *,
    actor: str,
    snooze_until: str | None = None,
    reason: str | None = None,
) -> str:
    """Move a conversation to ``status``; returns the status it had."""
    before = current_status(db, conversation_id)
    db.execute(
        "UPDATE conversations SET status = ?, snooze_until = ?, updated_at = ? WHERE id = ?",
        [
            status.value,
            snooze_until if status is Status.SNOOZED else None,
            now_iso(),
            conversation_id,
        ],
    )
    data: dict[str, str] = {"from": before, "to": status.value}
    if snooze_until:
        data["until"] = snooze_until
    if reason:
        data["reason"] = reason
    record_event(db, "conversation.status", actor=actor, conversation_id=conversation_id, data=data)
    if before != status.value:
        flag_queue.queue_status(db, conversation_id, status)  # same transaction as the change
    return before


def wake_due_snoozes(db: Database, now: str, *, actor: str = "system") -> list[int]:
    """Reopen snoozed conversations whose time has come; returns their ids."""
    ids = [
        int(row[0])
        for row in db.execute(
            "SELECT id FROM conversations WHERE status = 'snoozed' AND snooze_until <= ?", [now]
        )
    ]
    for conversation_id in ids:
        set_status(db, conversation_id, Status.OPEN, actor=actor, reason="snooze ended")
    return ids


def add_tag(db: Database, conversation_id: int, tag: str, *, actor: str) -> bool:
    """Tag a conversation; False when it already had the tag."""
    current_status(db, conversation_id)
    cursor = db.execute(
        "INSERT OR IGNORE INTO conversation_tags(conversation_id, tag) VALUES (?, ?)",
        [conversation_id, tag],
    )
    if cursor.rowcount:
        record_event(
            db, "conversation.tag", actor=actor, conversation_id=conversation_id, data={"tag": tag}
        )
    return bool(cursor.rowcount)


def remove_tag(db: Database, conversation_id: int, tag: str, *, actor: str) -> bool:
    cursor = db.execute(
        "DELETE FROM conversation_tags WHERE conversation_id = ? AND tag = ?",
        [conversation_id, tag],
    )
    if cursor.rowcount:
        record_event(
            db,
            "conversation.untag",
            actor=actor,
            conversation_id=conversation_id,
            data={"tag": tag},
        )
    return bool(cursor.rowcount)


def set_read(db: Database, conversation_id: int, read: bool, *, actor: str) -> None:
    """Mark every customer message seen, or the newest one unseen again."""
    current_status(db, conversation_id)
    if read:
        db.execute(
            "UPDATE messages SET seen = 1 WHERE conversation_id = ? AND direction = 'in'",
            [conversation_id],
        )
        db.execute("UPDATE conversations SET unread = 0 WHERE id = ?", [conversation_id])
    else:
        db.execute(
            "UPDATE messages SET seen = 0 WHERE id = (SELECT id FROM messages WHERE "
            "conversation_id = ? AND direction = 'in' ORDER BY sent_at DESC, id DESC LIMIT 1)",
            [conversation_id],
        )
        db.execute(
            "UPDATE conversations SET unread = max(unread, 1) WHERE id = ?", [conversation_id]
        )
    flag_queue.queue_read(db, conversation_id, read)  # same transaction as the change
    kind = "conversation.read" if read else "conversation.unread"
    record_event(db, kind, actor=actor, conversation_id=conversation_id)


def add_note(db: Database, conversation_id: int, body: str, *, author: str, actor: str) -> int:
    """An internal note in the thread; customers never see it."""
    current_status(db, conversation_id)
    row_id = add_message(
        db,
        conversation_id,
        NewMessage(direction=Direction.NOTE, sent_at=now_iso(), body_text=body, author=author),
    )
    record_event(db, "conversation.note", actor=actor, conversation_id=conversation_id)
    return int(row_id or 0)


def find_order(db: Database, number: str) -> int | None:
    """An order by the number the customer sees ('#1001' and '1001' both work)."""
    wanted = number.strip().lstrip("#")
    row = db.execute(
        "SELECT id FROM orders WHERE number = ? OR number = ? ORDER BY placed_at DESC LIMIT 1",
        [wanted, "#" + wanted],
    ).fetchone()
    return int(row[0]) if row else None


def link_order(db: Database, conversation_id: int, number: str, *, actor: str) -> int:
    """Link an order by number; returns its id. Raises NotFound for unknown numbers."""
    current_status(db, conversation_id)
    order_id = find_order(db, number)
    if order_id is None:
        raise NotFound(f"no order numbered {number.strip()}")
    db.execute(
        "INSERT OR REPLACE INTO conversation_orders(conversation_id, order_id, linked_by, "
        "linked_at) VALUES (?, ?, 'user', ?)",
        [conversation_id, order_id, now_iso()],
    )
    record_event(
        db, "order.linked", actor=actor, conversation_id=conversation_id, order_id=order_id
    )
    index_conversations(db, [conversation_id])
    return order_id


def unlink_order(db: Database, conversation_id: int, number: str, *, actor: str) -> int:
    order_id = find_order(db, number)
    if order_id is None:
        raise NotFound(f"no order numbered {number.strip()}")
    cursor = db.execute(
        "DELETE FROM conversation_orders WHERE conversation_id = ? AND order_id = ?",
        [conversation_id, order_id],
    )
    if not cursor.rowcount:
        raise NotFound(f"order {number.strip()} is not linked to this conversation")
    record_event(
        db, "order.unlinked", actor=actor, conversation_id=conversation_id, order_id=order_id
    )
    index_conversations(db, [conversation_id])
    return order_id


def save_view(db: Database, name: str, query: str) -> int:
    """Create or replace a named view; ``query`` is the filter as JSON or search text."""
    db.execute(
        "INSERT INTO saved_views(name, query, created_at) VALUES (?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET query = excluded.query",
        [name, query, now_iso()],
    )
    return int(db.execute("SELECT id FROM saved_views WHERE name = ?", [name]).fetchone()[0])


def delete_view(db: Database, name: str) -> bool:
    return bool(db.execute("DELETE FROM saved_views WHERE name = ?", [name]).rowcount)


def saved_views(db: Database) -> list[SavedView]:
    return [
        SavedView(int(r[0]), str(r[1]), str(r[2]))
        for r in db.execute("SELECT id, name, query FROM saved_views ORDER BY name")
    ]
