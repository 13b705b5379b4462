"""Joining two conversations that turn out to be one thread.

When a message arrives after its reply (Sent synced first, newest-first batches) and
it also answers an older stored message, the reply's conversation and the older one
are the same thread: everything moves into the older one and the cached columns are
recomputed from the messages. Like ``store.inbox`` this never commits.
"""

from __future__ import annotations

from sqlite_utils import Database

from csconsole.domain.models import Status
from csconsole.domain.sla import SlaPolicies
from csconsole.store import flag_queue
from csconsole.store.fts import index_conversations
from csconsole.store.inbox import PREVIEW_LENGTH, record_event, refresh_sla_due

_KEYWORD_STATUSES = {Status.PENDING.value, Status.CLOSED.value}


def can_merge(db: Database, gone: int, keep: int) -> bool:
    """False when merging would drop an agent's unsent draft (both have one of a kind)."""
    row = db.execute(
        "SELECT 1 FROM drafts a JOIN drafts b ON a.kind = b.kind "
        "WHERE a.conversation_id = ? AND b.conversation_id = ? LIMIT 1",
        [gone, keep],
    ).fetchone()
    return row is None


def merge_conversations(
    db: Database, gone: int, keep: int, *, sla: SlaPolicies | None, actor: str = "system"
) -> None:
    """Move everything of ``gone`` into ``keep`` and delete ``gone``.

    ``keep`` ends up open when ``gone`` was open (a customer is waiting there); the
    server's keywords are then brought in line like after any status change.
    """
    if gone == keep:
        return
    statuses = dict(
        db.execute("SELECT id, status FROM conversations WHERE id IN (?, ?)", [gone, keep])
    )
    db.execute("UPDATE messages SET conversation_id = ? WHERE conversation_id = ?", [keep, gone])
    db.execute(
        "INSERT OR IGNORE INTO conversation_tags(conversation_id, tag) "
        "SELECT ?, tag FROM conversation_tags WHERE conversation_id = ?",
        [keep, gone],
    )
    db.execute(
        "INSERT OR IGNORE INTO conversation_orders(conversation_id, order_id, linked_by, "
        "linked_at) SELECT ?, order_id, linked_by, linked_at FROM conversation_orders "
        "WHERE conversation_id = ?",
        [keep, gone],
    )
    for table in ("drafts", "outbox", "events"):
        db.execute(
            f"UPDATE {table} SET conversation_id = ? WHERE conversation_id = ?", [keep, gone]
        )
    db.execute(
        "UPDATE conversations SET created_at = min(created_at, "
        "(SELECT created_at FROM conversations WHERE id = ?)) WHERE id = ?",
        [gone, keep],
    )
    db.execute("DELETE FROM conversations WHERE id = ?", [gone])
    recompute(db, keep)
    before = statuses.get(keep, Status.OPEN.value)
    reopen = statuses.get(gone) == Status.OPEN.value and before != Status.OPEN.value
    final = Status.OPEN.value if reopen else before
    if reopen:
        db.execute(
            "UPDATE conversations SET status = 'open', snooze_until = NULL WHERE id = ?", [keep]
        )
    if {statuses.get(gone), before} & _KEYWORD_STATUSES and statuses.get(gone) != final:
        # The moved messages carry the other status's keywords: make the server agree.
        flag_queue.queue_status(db, keep, Status(final))
    record_event(
        db,
        "conversation.merged",
        actor=actor,
        conversation_id=keep,
        data={"from": str(gone), **({"reopened": "1"} if reopen else {})},
    )
    if sla is not None:
        refresh_sla_due(db, sla, [keep])
    index_conversations(db, [keep, gone])


def recompute(db: Database, conversation_id: int) -> None:
    """Rebuild a conversation's cached counters and times from its messages."""
    mine = "FROM messages WHERE conversation_id = :c"
    newest = db.execute(
        f"SELECT body_text, body_html_text {mine} AND direction != 'note' "
        "ORDER BY sent_at DESC, id DESC LIMIT 1",
        {"c": conversation_id},
    ).fetchone()
    preview = " ".join((newest[0] or newest[1] or "").split())[:PREVIEW_LENGTH] if newest else ""
    db.execute(
        f"""UPDATE conversations SET
            message_count = (SELECT count(*) {mine}),
            unread = (SELECT count(*) {mine} AND direction = 'in' AND seen = 0),
            last_message_at = (SELECT max(sent_at) {mine} AND direction != 'note'),
            last_inbound_at = (SELECT max(sent_at) {mine} AND direction = 'in'),
            last_outbound_at = (SELECT max(sent_at) {mine} AND direction = 'out'),
            first_response_at = (SELECT min(sent_at) {mine} AND direction = 'out'),
            awaiting_since = (SELECT min(sent_at) {mine} AND direction = 'in' AND sent_at >
                coalesce((SELECT max(sent_at) {mine} AND direction = 'out'), '')),
            preview = :preview
          WHERE id = :c""",
        {"c": conversation_id, "preview": preview},
    )
