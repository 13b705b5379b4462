"""The ``messages`` row of a ``NewMessage``: one definition for the live insert
(``store.inbox``) and the demo shop's bulk load (``sync.demo_writer``)."""

from __future__ import annotations

from typing import Any

from csconsole.domain.models import NewMessage
from csconsole.store.json_lists import json_list

MESSAGE_COLUMNS = (
    "conversation_id, account_id, direction, message_id, in_reply_to, refs, from_name, "
    "from_addr, to_addrs, cc_addrs, subject, author, sent_at, received_at, headers, body_text, "
    "body_html_text, body_truncated, language, size, seen, flags, decode_warning, bodystructure, "
    "folder_id, uidvalidity, uid, modseq, external_id, created_at"
)
INSERT_MESSAGE = (
    f"INSERT INTO messages({MESSAGE_COLUMNS}) "
    f"VALUES ({','.join('?' * len(MESSAGE_COLUMNS.split(',')))})"
)


def message_row(
    conversation_id: int, account_id: int | None, message: NewMessage, now: str
) -> tuple[Any, ...]:
    """The values for ``MESSAGE_COLUMNS``; ``now`` is when it was received (SQLite
    numbers the row)."""
    return (
        conversation_id,
        account_id,
        message.direction.value,
        message.message_id,
        message.in_reply_to,
        json_list(message.refs),
        message.from_name,
        message.from_addr,
        json_list(message.to_addrs, ensure_ascii=False),
        json_list(message.cc_addrs, ensure_ascii=False),
        message.subject,
        message.author,
        message.sent_at,
        now,
        message.headers,
        message.body_text,
        message.body_html_text,
        int(message.body_truncated),
        message.language,
        message.size,
        int(message.seen),
        json_list(message.flags),
        message.decode_warning,
        message.bodystructure,
        message.folder_id,
        message.uidvalidity,
        message.uid,
        message.modseq,
        message.external_id,
        now,
    )
