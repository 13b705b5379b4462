"""Keeps the full-text index in step with conversations.

The index holds normalised text (see ``domain.text.normalize_for_search``), one
row per conversation with ``rowid`` = conversation id, so queries typed with
Persian or Arabic letter variants and either kind of digits still match.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from csconsole.domain.text import normalize_for_index, normalize_for_search

# A conversation's body text in the index is capped: long threads keep their newest text.
MAX_INDEXED_BODY = 32_000

_ROWS_SQL = """
SELECT c.id,
       c.subject,
       coalesce(cu.display_name, '') AS customer_name,
       (SELECT group_concat(cc.display, ' ') FROM customer_contacts cc
         WHERE cc.customer_id = c.customer_id) AS contacts,
       (SELECT group_concat(o.number, ' ') FROM conversation_orders co
          JOIN orders o ON o.id = co.order_id WHERE co.conversation_id = c.id) AS order_numbers
  FROM conversations c
  LEFT JOIN customers cu ON cu.id = c.customer_id
"""


def _bodies(db: Database, conversation_id: int) -> str:
    rows = db.execute(
        "SELECT subject, body_text, body_html_text, from_name, from_addr FROM messages "
        "WHERE conversation_id = ? ORDER BY sent_at DESC",
        [conversation_id],
    ).fetchall()
    parts: list[str] = []
    size = 0
    for subject, body, html_text, from_name, from_addr in rows:
        chunk = " ".join(filter(None, [subject, body or html_text, from_name, from_addr]))
        parts.append(chunk)
        size += len(chunk)
        if size >= MAX_INDEXED_BODY:
            break
    return " ".join(parts)[:MAX_INDEXED_BODY]


def index_conversations(db: Database, conversation_ids: Iterable[int]) -> None:
    """(Re)index the given conversations; call inside the write's transaction."""
    ids = sorted(set(conversation_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(f"{_ROWS_SQL} WHERE c.id IN ({marks})", chunk).fetchall()
        db.execute(f"DELETE FROM search_index WHERE rowid IN ({marks})", chunk)
        db.conn.executemany(
            "INSERT INTO search_index(rowid, subject, body, people, orders) VALUES (?, ?, ?, ?, ?)",
            [
                (
                    conv_id,
                    normalize_for_index(subject or ""),
                    normalize_for_index(_bodies(db, conv_id)),
                    normalize_for_search(f"{name or ''} {contacts or ''}"),
                    normalize_for_search(numbers or ""),
                )
                for conv_id, subject, name, contacts, numbers in rows
            ],
        )


def rebuild_search_index(db: Database) -> None:
    """Index every conversation from scratch (used by migrations and bulk loads)."""
    db.execute("DELETE FROM search_index")
    ids = [row[0] for row in db.execute("SELECT id FROM conversations")]
    index_conversations(db, ids)
