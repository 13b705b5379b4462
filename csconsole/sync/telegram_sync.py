"""Telegram updates into conversations, with the next ``offset`` in the same transaction.

Telegram forgets an update once asked with a higher offset, so the messages and
that offset commit together *before* the next ``getUpdates``: a crash in between
re-reads the batch, and ``add_message`` ignores the repeats. Each private chat is
one conversation (``external_id`` = chat id) and its customer is known by the
contact ``telegram:<chat id>``. Business chats remember their
``business_connection_id`` so replies go out through the owner's account.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from csconsole.domain.models import Channel, Contact
from csconsole.domain.sla import SlaPolicies
from csconsole.sources.http_client import SourceError
from csconsole.sources.telegram import ChatMessage, TelegramClient, map_updates
from csconsole.store.cursors import get_cursor, set_cursor
from csconsole.store.fts import index_conversations
from csconsole.store.inbox import (
    add_message,
    create_conversation,
    find_conversation_by_external_id,
    set_account_sync_state,
    upsert_customer,
)
from csconsole.store.order_matching import match_orders_for_conversation

OFFSET = "telegram.offset"
BUSINESS = "telegram.business:"


@dataclass
class TelegramSyncResult:
    """What one ``getUpdates`` round did."""

    updates: int = 0
    messages: int = 0
    offset: int | None = None


def _conversation_for(db: Database, account_id: int, chat: ChatMessage) -> int:
    existing = find_conversation_by_external_id(db, account_id, chat.chat_id)
    if existing is not None:
        return existing
    customer_id = upsert_customer(
        db,
        [Contact("telegram", chat.chat_id)],
        display_name=chat.chat_name or (f"@{chat.username}" if chat.username else ""),
        language=chat.language,
    )
    return create_conversation(
        db,
        channel=Channel.TELEGRAM.value,
        account_id=account_id,
        customer_id=customer_id,
        subject=chat.chat_name or chat.username or chat.chat_id,
        external_id=chat.chat_id,
        language=chat.language,
        created_at=chat.message.sent_at,
    )


def store_updates(
    db: Database,
    account_id: int,
    chats: list[ChatMessage],
    next_offset: int,
    *,
    sla: SlaPolicies | None = None,
) -> int:
    """Store a mapped batch and the offset after it, in one transaction; returns new messages."""
    stored = 0
    touched: set[int] = set()
    with db.atomic():
        for chat in chats:
            conversation_id = _conversation_for(db, account_id, chat)
            if add_message(
                db, conversation_id, chat.message, account_id=account_id, sla=sla, reindex=False
            ):
                stored += 1
                touched.add(conversation_id)
            if chat.business_connection_id:
                set_cursor(db, account_id, BUSINESS + chat.chat_id, chat.business_connection_id)
        index_conversations(db, touched)
        for conversation_id in sorted(touched):
            match_orders_for_conversation(db, conversation_id)
        set_cursor(db, account_id, OFFSET, str(next_offset))
    return stored


def sync_telegram(
    db: Database,
    account_id: int,
    client: TelegramClient,
    *,
    timeout: int | None = None,
    sla: SlaPolicies | None = None,
) -> TelegramSyncResult:
    """One long-poll round; raises ``SourceError`` after recording it on the account."""
    stored_offset = get_cursor(db, account_id, OFFSET)
    result = TelegramSyncResult(offset=int(stored_offset) if stored_offset else None)
    try:
        updates = client.get_updates(result.offset, timeout=timeout)
        chats = map_updates(updates)
    except SourceError as error:
        with db.atomic():
            set_account_sync_state(db, account_id, "error", error=str(error))
        raise
    result.updates = len(updates)
    if updates:
        result.offset = max(int(u["update_id"]) for u in updates) + 1
        result.messages = store_updates(db, account_id, chats, result.offset, sla=sla)
    with db.atomic():
        set_account_sync_state(db, account_id, "idle")
    return result


def reply_target(db: Database, conversation_id: int) -> tuple[str, str | None]:
    """(chat id, business connection id or None) to answer a Telegram conversation."""
    row = db.execute(
        "SELECT account_id, external_id FROM conversations WHERE id = ? AND channel = ?",
        [conversation_id, Channel.TELEGRAM.value],
    ).fetchone()
    if row is None or row[1] is None:
        raise LookupError(f"conversation {conversation_id} is not a Telegram chat")
    account_id, chat_id = int(row[0]), str(row[1])
    return chat_id, get_cursor(db, account_id, BUSINESS + chat_id)
