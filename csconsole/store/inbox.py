"""Writes that every source shares: accounts, customers, conversations, messages, events.

Callers wrap a batch in ``db.atomic()`` (with the cursor that covers it); these
functions never commit on their own, so a batch and its cursor land together.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from sqlite_utils import Database

from csconsole.domain.clock import from_iso, now_iso, to_iso
from csconsole.domain.models import Contact, Direction, NewMessage, Status
from csconsole.domain.sla import SlaPolicies, due_at
from csconsole.domain.text import normalize_email, normalize_phone
from csconsole.store.fts import index_conversations
from csconsole.store.message_rows import INSERT_MESSAGE, message_row

PREVIEW_LENGTH = 160


def record_event(
    db: Database,
    kind: str,
    *,
    actor: str,
    conversation_id: int | None = None,
    order_id: int | None = None,
    data: Mapping[str, Any] | None = None,
    at: str | None = None,
) -> None:
    """Append to the event log (who did what, when) that reports read."""
    db.execute(
        "INSERT INTO events(at, actor, kind, conversation_id, order_id, data) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            at or now_iso(),
            actor,
            kind,
            conversation_id,
            order_id,
            json.dumps(dict(data or {}), ensure_ascii=False),
        ],
    )


def ensure_account(
    db: Database, name: str, kind: str, *, address: str | None = None, display_name: str = ""
) -> int:
    """The id of the account called ``name``, creating it on first sight."""
    row = db.execute("SELECT id FROM accounts WHERE name = ?", [name]).fetchone()
    if row:
        db.execute(
            "UPDATE accounts SET kind = ?, address = coalesce(?, address) WHERE id = ?",
            [kind, address, row[0]],
        )
        return int(row[0])
    cursor = db.execute(
        "INSERT INTO accounts(name, kind, address, display_name, created_at) VALUES (?,?,?,?,?)",
        [name, kind, address, display_name or name, now_iso()],
    )
    return int(cursor.lastrowid or 0)


def set_account_sync_state(
    db: Database, account_id: int, state: str, *, error: str | None = None
) -> None:
    """Record how the account's last sync went, for the status bar and ``stats``."""
    now = now_iso()
    if error:
        db.execute(
            "UPDATE accounts SET sync_state = ?, last_error = ?, last_error_at = ? WHERE id = ?",
            [state, error, now, account_id],
        )
    else:
        db.execute(
            "UPDATE accounts SET sync_state = ?, last_sync_at = CASE WHEN ? = 'idle' "
            "THEN ? ELSE last_sync_at END WHERE id = ?",
            [state, state, now, account_id],
        )


def contact_key(contact: Contact) -> str:
    """The normalised form a contact is matched by."""
    if contact.kind == "email":
        return normalize_email(contact.display)
    if contact.kind == "phone":
        return normalize_phone(contact.display)
    return contact.display.strip()


def find_customer(db: Database, contacts: Iterable[Contact]) -> int | None:
    """The customer reachable by any of these contacts, if we know one."""
    for contact in contacts:
        key = contact_key(contact)
        if not key:
            continue
        row = db.execute(
            "SELECT customer_id FROM customer_contacts WHERE kind = ? AND value = ?",
            [contact.kind, key],
        ).fetchone()
        if row:
            return int(row[0])
    return None


def upsert_customer(
    db: Database,
    contacts: Iterable[Contact],
    *,
    display_name: str = "",
    language: str | None = None,
) -> int:
    """Find the customer by any contact or create one; add contacts we had not seen."""
    contacts = [c for c in contacts if contact_key(c)]
    now = now_iso()
    customer_id = find_customer(db, contacts)
    if customer_id is None:
        cursor = db.execute(
            "INSERT INTO customers(display_name, language, created_at, updated_at) "
            "VALUES (?, ?, ?, ?)",
            [display_name, language, now, now],
        )
        customer_id = int(cursor.lastrowid or 0)
    else:
        db.execute(
            "UPDATE customers SET display_name = CASE WHEN display_name = '' THEN ? "
            "ELSE display_name END, language = coalesce(language, ?), updated_at = ? "
            "WHERE id = ?",
            [display_name, language, now, customer_id],
        )
    for contact in contacts:
        db.execute(
            "INSERT OR IGNORE INTO customer_contacts(customer_id, kind, value, display) "
            "VALUES (?, ?, ?, ?)",
            [customer_id, contact.kind, contact_key(contact), contact.display.strip()],
        )
    return customer_id


def create_conversation(
    db: Database,
    *,
    channel: str,
    account_id: int | None,
    customer_id: int | None,
    subject: str = "",
    subject_key: str = "",
    external_id: str | None = None,
    language: str | None = None,
    created_at: str | None = None,
) -> int:
    """Start a conversation; messages are added with ``add_message``."""
    at = created_at or now_iso()
    cursor = db.execute(
        "INSERT INTO conversations(channel, account_id, customer_id, external_id, subject, "
        "subject_key, language, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
        [channel, account_id, customer_id, external_id, subject, subject_key, language, at, at],
    )
    return int(cursor.lastrowid or 0)


def find_conversation_by_external_id(db: Database, account_id: int, external_id: str) -> int | None:
    """The conversation a chat or order belongs to on a non-mail channel."""
    row = db.execute(
        "SELECT id FROM conversations WHERE account_id = ? AND external_id = ?",
        [account_id, external_id],
    ).fetchone()
    return int(row[0]) if row else None


def _insert_message(
    db: Database, conversation_id: int, account_id: int | None, message: NewMessage, now: str
) -> int | None:
    try:
        cursor = db.execute(INSERT_MESSAGE, message_row(conversation_id, account_id, message, now))
    except sqlite3.IntegrityError as error:
        if "UNIQUE" in str(error):
            return None  # already stored: replays after a crash or a reconnect are harmless
        raise
    message_row_id = int(cursor.lastrowid or 0)
    for attachment in message.attachments:
        db.execute(
            "INSERT OR IGNORE INTO attachments(message_id, part, filename, content_type, "
            "encoding, size, content_id, inline) VALUES (?,?,?,?,?,?,?,?)",
            [
                message_row_id,
                attachment.part,
                attachment.filename,
                attachment.content_type,
                attachment.encoding,
                attachment.size,
                attachment.content_id,
                int(attachment.inline),
            ],
        )
    return message_row_id


def add_message(
    db: Database,
    conversation_id: int,
    message: NewMessage,
    *,
    account_id: int | None = None,
    sla: SlaPolicies | None = None,
    reindex: bool = True,
) -> int | None:
    """Store one message and bring its conversation's counters, status and SLA clock along.

    Returns the new row id, or None when the message was already stored. A customer
    message reopens a pending, snoozed or closed conversation (it wakes snoozes).
    """
    return add_message_with_state(
        db, conversation_id, message, account_id=account_id, sla=sla, reindex=reindex
    )[0]


class ConversationState(NamedTuple):
    """The columns storing a message reads from its conversation (and then changes)."""

    status: str
    channel: str
    awaiting_since: str | None
    first_response_at: str | None
    last_message_at: str | None


def add_message_with_state(
    db: Database,
    conversation_id: int,
    message: NewMessage,
    *,
    account_id: int | None = None,
    sla: SlaPolicies | None = None,
    reindex: bool = True,
    state: ConversationState | None = None,
    now: str | None = None,
) -> tuple[int | None, str | None, ConversationState | None]:
    """``add_message``, plus the conversation's status before the message (None when
    it was already stored: a sync notices reopens without reading it again) and its
    state after it. A batch writer that already knows the conversation's ``state`` (it
    wrote the row in this transaction) passes it and saves the read, and may pass the
    time it is storing at (``now``) too."""
    now = now or now_iso()
    row_id = _insert_message(db, conversation_id, account_id, message, now)
    if row_id is None:
        return None, None, state
    if state is None:
        row = db.execute(
            "SELECT status, channel, awaiting_since, first_response_at, last_message_at "
            "FROM conversations WHERE id = ?",
            [conversation_id],
        ).fetchone()
        state = ConversationState(*row)
    status, channel, awaiting_since, first_response_at, last_message_at = state
    new_status = status
    updates: dict[str, Any] = {"updated_at": now}
    newest = last_message_at is None or message.sent_at >= last_message_at
    if message.direction is not Direction.NOTE:
        if newest:
            updates["last_message_at"] = message.sent_at
            updates["preview"] = " ".join((message.body_text or message.body_html_text).split())[
                :PREVIEW_LENGTH
            ]
    if message.direction is Direction.IN:
        updates["last_inbound_at"] = max(filter(None, [message.sent_at, last_message_at]))
        if awaiting_since is None or message.sent_at < awaiting_since:
            awaiting_since = message.sent_at
            updates["awaiting_since"] = awaiting_since
        if status != Status.OPEN and newest:
            new_status = updates["status"] = Status.OPEN.value
            updates["snooze_until"] = None
            record_event(
                db,
                "conversation.status",
                actor="system",
                conversation_id=conversation_id,
                data={"from": status, "to": Status.OPEN.value, "reason": "customer wrote"},
            )
    elif message.direction is Direction.OUT:
        updates["last_outbound_at"] = message.sent_at
        if first_response_at is None:
            first_response_at = message.sent_at
            updates["first_response_at"] = first_response_at
        if awaiting_since is not None and message.sent_at >= awaiting_since:
            awaiting_since = None
            updates["awaiting_since"] = None
    if sla is not None:
        due = due_at(
            sla.for_channel(channel),
            from_iso(awaiting_since) if awaiting_since else None,
            first_response=first_response_at is None,
        )
        updates["sla_due_at"] = to_iso(due) if due else None
    assignments = ", ".join(f"{column} = ?" for column in updates)
    unread = 1 if message.direction is Direction.IN and not message.seen else 0
    db.execute(
        f"UPDATE conversations SET {assignments}, message_count = message_count + 1, "
        "unread = unread + ? WHERE id = ?",
        [*updates.values(), unread, conversation_id],
    )
    if reindex:
        index_conversations(db, [conversation_id])
    after = ConversationState(
        str(new_status),
        channel,
        awaiting_since,
        first_response_at,
        updates.get("last_message_at", last_message_at),
    )
    return row_id, str(status), after


def refresh_sla_due(db: Database, sla: SlaPolicies, conversation_ids: Iterable[int] | None) -> int:
    """Recompute cached deadlines (after a policy change, or for the given conversations)."""
    query = "SELECT id, channel, awaiting_since, first_response_at FROM conversations"
    params: list[Any] = []
    if conversation_ids is not None:
        ids = list(conversation_ids)
        if not ids:
            return 0
        query += f" WHERE id IN ({','.join('?' * len(ids))})"
        params = ids
    rows = db.execute(query, params).fetchall()
    updates = []
    for conv_id, channel, awaiting_since, first_response_at in rows:
        due = due_at(
            sla.for_channel(channel),
            from_iso(awaiting_since) if awaiting_since else None,
            first_response=first_response_at is None,
        )
        updates.append((to_iso(due) if due else None, conv_id))
    db.conn.executemany("UPDATE conversations SET sla_due_at = ? WHERE id = ?", updates)
    return len(updates)
