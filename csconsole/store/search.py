"""Runs a parsed search against the full-text index and the conversation columns.

Free text and ``from:``/``order:`` go to FTS5 (normalised like the index, so
Persian ZWNJ compounds typed joined, split or with ZWNJ,
ي/ی, ك/ک, harakat, tatweel and Persian/Arabic digits all match); status,
channel, tag and dates are plain column filters. Values reach SQLite only as
bound parameters or as FTS phrases built from word characters, so no query
text can change the statement's meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from csconsole.domain.search_query import SearchQuery
from csconsole.domain.text import normalize_query_words

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchHit:
    """One matching conversation, with what a result list shows."""

    id: int
    subject: str
    status: str
    channel: str
    customer: str
    updated_at: str
    last_message_at: str | None
    preview: str
    unread: int
    sla_due_at: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "status": self.status,
            "channel": self.channel,
            "customer": self.customer,
            "updated_at": self.updated_at,
            "last_message_at": self.last_message_at,
            "preview": self.preview,
            "unread": self.unread,
            "sla_due_at": self.sla_due_at,
        }


def _phrase(text: str, *, prefix: bool) -> str | None:
    words = _WORD.findall(normalize_query_words(text))
    if not words:
        return None
    phrase = '"' + " ".join(words) + '"'
    return phrase + "*" if prefix else phrase


def fts_expression(query: SearchQuery) -> str | None:
    """The FTS5 MATCH expression for the query's text parts, or None if it has none."""
    parts: list[str] = []
    for term in query.terms:
        phrase = _phrase(term, prefix=" " not in term.strip())
        if phrase:
            parts.append(phrase)
    for person in query.people:
        phrase = _phrase(person, prefix=True)
        if phrase:
            parts.append(f"people : {phrase}")
    for number in query.orders:
        phrase = _phrase(number, prefix=False)
        if phrase:
            parts.append(f"{{orders subject body}} : {phrase}")
    return " AND ".join(parts) if parts else None


def search_conversations(
    db: Database, query: SearchQuery, *, limit: int = 50, offset: int = 0
) -> list[SearchHit]:
    """Matching conversations, most recent activity first."""
    where: list[str] = []
    params: list[Any] = []
    match = fts_expression(query)
    if match is None and (query.terms or query.people or query.orders):
        return []  # the text had no searchable characters: nothing can match it
    if match is not None:
        where.append("c.id IN (SELECT rowid FROM search_index WHERE search_index MATCH ?)")
        params.append(match)
    if query.statuses:
        where.append(f"c.status IN ({','.join('?' * len(query.statuses))})")
        params.extend(query.statuses)
    if query.channels:
        where.append(f"c.channel IN ({','.join('?' * len(query.channels))})")
        params.extend(query.channels)
    for tag in query.tags:
        where.append(
            "EXISTS (SELECT 1 FROM conversation_tags t WHERE t.conversation_id = c.id "
            "AND t.tag = ?)"
        )
        params.append(tag.strip().lower())
    if query.before is not None:
        where.append("coalesce(c.last_message_at, c.created_at) < ?")
        params.append(query.before.isoformat())
    if query.after is not None:
        where.append("coalesce(c.last_message_at, c.created_at) >= ?")
        params.append(query.after.isoformat())
    sql = (
        "SELECT c.id, c.subject, c.status, c.channel, coalesce(cu.display_name, ''), "
        "c.updated_at, c.last_message_at, c.preview, c.unread, c.sla_due_at "
        "FROM conversations c LEFT JOIN customers cu ON cu.id = c.customer_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY coalesce(c.last_message_at, c.created_at) DESC, c.id DESC LIMIT ? OFFSET ?"
    params += [limit, offset]
    return [SearchHit(*row) for row in db.execute(sql, params).fetchall()]
