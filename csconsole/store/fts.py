"""Keeps the full-text index in step with conversations.

The index holds normalised text (see ``domain.text.normalize_for_search``), one
row per conversation with ``rowid`` = conversation id, so queries typed with
Persian or Arabic letter variants and either kind of digits still match.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


def _join_bodies(rows: Iterable[tuple[str, str, str, str, str]]) -> str:
    """Newest messages first, capped; shared by one-conversation indexing and rebuilds."""
    parts: list[str] = []
    size = 0
    for subject, body, html_text, from_name, from_addr in rows:
        chunk = " ".join(filter(None, [subject, body or html_text, from_name, from_addr]))
        parts.append(chunk)
        size += len(chunk)
        if size >= MAX_INDEXED_BODY:
            break
    return " ".join(parts)[:MAX_INDEXED_BODY]


def _bodies_of(db: Database, ids: list[int], marks: str) -> dict[int, list[Any]]:
    """Each conversation's messages, newest first, in one query for the whole chunk."""
    result: dict[int, list[Any]] = {}
    for conv_id, *row in db.execute(
        "SELECT conversation_id, subject, body_text, body_html_text, from_name, from_addr "
        f"FROM messages WHERE conversation_id IN ({marks}) "
        "ORDER BY conversation_id, sent_at DESC, id DESC",
        ids,
    ):
        result.setdefault(conv_id, []).append(row)
    return result


def index_conversations(db: Database, conversation_ids: Iterable[int]) -> None:
    """(Re)index the given conversations; call inside the write's transaction.

    A first sync indexes thousands at once: one query per 500 conversations and
    word-by-word normalisation (``WordCache``, same text) keep that to a fraction of
    a second instead of a query and a whole-string normalisation per conversation.
    """
    ids = sorted(set(conversation_ids))
    words = WordCache()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(f"{_ROWS_SQL} WHERE c.id IN ({marks})", chunk).fetchall()
        bodies = _bodies_of(db, chunk, marks)
        db.execute(f"DELETE FROM search_index WHERE rowid IN ({marks})", chunk)
        _insert_rows(
            db,
            [
                index_row(
                    words,
                    conv_id,
                    subject,
                    bodies.get(conv_id, []),
                    f"{name or ''} {contacts or ''}",
                    numbers,
                )
                for conv_id, subject, name, contacts, numbers in rows
            ],
        )


class WordCache:
    """``normalize_for_search`` / ``normalize_for_index`` word by word, remembering words.

    A bulk rebuild normalises the same words over and over. Both functions treat a
    plain space as a boundary nothing crosses (no letter fold, decomposition,
    composition or ZWNJ compound joins across it), so normalising space-separated
    words and joining them gives exactly the text the whole-string call gives;
    ``tests/demo/test_fts_words.py`` checks that on random text.
    """

    LIMIT = 500_000

    def __init__(self) -> None:
        self._words: dict[str, tuple[str, str | None]] = {}

    def _word(self, word: str) -> tuple[str, str | None]:
        entry = self._words.get(word)
        if entry is None:
            base = normalize_for_search(word)
            extra = None
            if "\u200c" in word:
                full = normalize_for_index(word)
                if full != base:  # base + " " + the joined forms of its ZWNJ compounds
                    extra = full[len(base) + 1 :]
            if len(self._words) > self.LIMIT:
                self._words.clear()
            entry = self._words[word] = (base, extra)
        return entry

    def search(self, text: str) -> str:
        if text.isascii():
            return text.lower()  # what the full function gives for ASCII, much faster
        known = self._words.get
        return " ".join([(known(word) or self._word(word))[0] for word in text.split(" ")])

    def index(self, text: str) -> str:
        if text.isascii():
            return text.lower()
        bases: list[str] = []
        extras: list[str] = []
        known = self._words.get
        for word in text.split(" "):
            base, extra = known(word) or self._word(word)
            bases.append(base)
            if extra is not None:
                extras.append(extra)
        joined = " ".join(bases)
        return f"{joined} {' '.join(extras)}" if extras else joined


def index_row(
    words: WordCache,
    conv_id: int,
    subject: str | None,
    newest_first: list[tuple[str, str, str, str, str]],
    people: str,
    numbers: str | None,
) -> tuple[int, str, str, str, str]:
    """One ``search_index`` row from a conversation's parts (bulk loads build these)."""
    return (
        conv_id,
        words.index(subject or ""),
        words.index(_join_bodies(newest_first)),
        words.search(people),
        words.search(numbers or ""),
    )


def rebuild_search_index(db: Database) -> None:
    """Index every conversation from scratch (used by migrations and bulk loads).

    One pass over conversations and one over messages (both newest id first, along
    their indexes) instead of a query per conversation, so 100,000 conversations
    take seconds; the rows are the same ``index_conversations`` writes.
    """
    db.execute("DELETE FROM search_index")
    words = WordCache()
    heads = db.execute(f"{_ROWS_SQL} ORDER BY c.id DESC")
    messages = db.execute(
        "SELECT conversation_id, subject, body_text, body_html_text, from_name, from_addr "
        "FROM messages ORDER BY conversation_id DESC, sent_at DESC, id DESC"
    )
    pending = messages.fetchone()
    rows: list[tuple[int, str, str, str, str]] = []
    for conv_id, subject, name, contacts, numbers in heads:
        while pending is not None and pending[0] > conv_id:
            pending = messages.fetchone()  # messages of a conversation that no longer exists
        own: list[tuple[str, str, str, str, str]] = []
        while pending is not None and pending[0] == conv_id:
            own.append(pending[1:])
            pending = messages.fetchone()
        rows.append(
            index_row(words, conv_id, subject, own, f"{name or ''} {contacts or ''}", numbers)
        )
        if len(rows) >= 2000:
            _insert_rows(db, rows)
            rows = []
    _insert_rows(db, rows)


def _insert_rows(db: Database, rows: list[tuple[int, str, str, str, str]]) -> None:
    if rows:
        db.conn.executemany(
            "INSERT INTO search_index(rowid, subject, body, people, orders) VALUES (?, ?, ?, ?, ?)",
            rows,
        )
