"""Drafts, saved on every pause in typing so a crash or a closed terminal loses nothing.

One draft per conversation and kind (reply, reply-all, note); new messages to a
customer have no conversation yet and are kept by id. Callers wrap writes in
``db.atomic()``.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from csconsole.domain.clock import now_iso
from csconsole.domain.outgoing import Draft, ReplyKind

_COLUMNS = (
    "id, conversation_id, kind, to_addrs, cc_addrs, subject, body, language, canned_id, updated_at"
)


def _draft(row: tuple[Any, ...]) -> Draft:
    return Draft(
        id=int(row[0]),
        conversation_id=row[1],
        kind=ReplyKind(row[2]),
        to_addrs=tuple(json.loads(row[3] or "[]")),
        cc_addrs=tuple(json.loads(row[4] or "[]")),
        subject=str(row[5]),
        body=str(row[6]),
        language=row[7],
        canned_id=row[8],
        updated_at=str(row[9]),
    )


def save_draft(db: Database, draft: Draft) -> int:
    """Insert or update; returns the draft's id."""
    values = [
        json.dumps(list(draft.to_addrs), ensure_ascii=False),
        json.dumps(list(draft.cc_addrs), ensure_ascii=False),
        draft.subject,
        draft.body,
        draft.language,
        draft.canned_id,
        now_iso(),
    ]
    if draft.conversation_id is not None:
        db.execute(
            "INSERT INTO drafts(conversation_id, kind, to_addrs, cc_addrs, subject, body, "
            "language, canned_id, updated_at) VALUES (?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(conversation_id, kind) WHERE conversation_id IS NOT NULL DO UPDATE SET "
            "to_addrs = excluded.to_addrs, cc_addrs = excluded.cc_addrs, "
            "subject = excluded.subject, body = excluded.body, language = excluded.language, "
            "canned_id = excluded.canned_id, updated_at = excluded.updated_at",
            [draft.conversation_id, draft.kind.value, *values],
        )
        row = db.execute(
            "SELECT id FROM drafts WHERE conversation_id = ? AND kind = ?",
            [draft.conversation_id, draft.kind.value],
        ).fetchone()
        return int(row[0])
    if draft.id is not None:
        db.execute(
            "UPDATE drafts SET to_addrs = ?, cc_addrs = ?, subject = ?, body = ?, language = ?, "
            "canned_id = ?, updated_at = ? WHERE id = ?",
            [*values, draft.id],
        )
        return draft.id
    cursor = db.execute(
        "INSERT INTO drafts(conversation_id, kind, to_addrs, cc_addrs, subject, body, language, "
        "canned_id, updated_at) VALUES (NULL,?,?,?,?,?,?,?,?)",
        [draft.kind.value, *values],
    )
    return int(cursor.lastrowid or 0)


def get_draft(db: Database, conversation_id: int, kind: ReplyKind) -> Draft | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM drafts WHERE conversation_id = ? AND kind = ?",
        [conversation_id, kind.value],
    ).fetchone()
    return _draft(row) if row else None


def get_draft_by_id(db: Database, draft_id: int) -> Draft | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM drafts WHERE id = ?", [draft_id]).fetchone()
    return _draft(row) if row else None


def drafts_for(db: Database, conversation_id: int) -> list[Draft]:
    """Every unfinished draft of a conversation, so they reopen with it."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM drafts WHERE conversation_id = ? ORDER BY updated_at DESC",
        [conversation_id],
    ).fetchall()
    return [_draft(row) for row in rows]


def delete_draft(db: Database, draft_id: int) -> None:
    db.execute("DELETE FROM drafts WHERE id = ?", [draft_id])
