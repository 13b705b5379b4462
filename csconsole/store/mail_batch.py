"""The lookups of one fetched mail batch, answered from a few queries made up front.

Storing a batch asks, message by message, which stored messages carry its Message-ID
or an id it references, which stored replies name it, which customer owns its address
and what its conversation looked like before. Asked one message at a time that is
about a dozen statements per message; ``MailBatch`` asks each kind once for the whole
batch and keeps the answers true as the batch's own messages are stored, so every
answer is exactly what the per-message query would have given at that moment.

Like ``store.inbox`` it never commits; it lives inside the batch's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlite_utils import Database

from csconsole.domain.clock import now_iso
from csconsole.domain.text import normalize_email
from csconsole.store.inbox import ConversationState
from csconsole.store.mail_state import StoredMessage

_CHUNK = 500  # bound variables per statement, well under every SQLite's limit
# The account is a filter, never the index to search by (``+``): the (account_id,
# external_id) index would otherwise be chosen and walk every message of the account.


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class MailBatch:
    """Message-ID, reply, customer and conversation lookups for one batch of one account."""

    def __init__(
        self,
        db: Database,
        account_id: int,
        *,
        message_ids: Iterable[str],
        referenced: Iterable[str],
        emails: Iterable[str],
    ) -> None:
        self.db = db
        self.account_id = account_id
        self._own = sorted({mid for mid in message_ids if mid})
        self._lookup = sorted({*self._own, *(mid for mid in referenced if mid)})
        self._own_set = frozenset(self._own)
        self._by_id: dict[str, list[StoredMessage]] = {}
        self._replies: dict[str, list[tuple[str, int, int]]] = {}
        self.states: dict[int, ConversationState] = {}
        self.customers: dict[str, int] = {}
        # Customers created in this batch, with how many conversations they have so far.
        self.fresh_customers: dict[int, int] = {}
        self._load_customers(sorted({normalize_email(e) for e in emails if e} - {""}))
        self.reload()

    # --- loading --------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the message and reply lookups again (after a merge moved messages around)."""
        self._by_id = {}
        self._replies = {}
        self.states = {}
        for chunk in _chunks(self._lookup):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                "SELECT id, conversation_id, folder_id, uidvalidity, uid, size, sent_at, "
                f"message_id FROM messages WHERE +account_id = ? AND message_id IN ({marks}) "
                "ORDER BY id",
                [self.account_id, *chunk],
            ).fetchall():
                self._by_id.setdefault(row[7], []).append(StoredMessage(*row[:7]))
        for chunk in _chunks(self._own):
            marks = ",".join("?" * len(chunk))
            for ref, sent_at, row_id, conversation_id in self.db.execute(
                "SELECT r.ref, m.sent_at, m.id, m.conversation_id FROM message_refs r "
                f"JOIN messages m ON m.id = r.message_row_id WHERE r.ref IN ({marks}) "
                "AND +m.account_id = ?",
                [*chunk, self.account_id],
            ).fetchall():
                self._replies.setdefault(ref, []).append((sent_at, row_id, conversation_id))
        known = {stored.conversation_id for found in self._by_id.values() for stored in found}
        known.update(c for replies in self._replies.values() for _, _, c in replies)
        self._load_states(sorted(known))

    def _load_states(self, conversation_ids: list[int]) -> None:
        """The states of the conversations this batch's mail threads into, so storing a
        reply does not read its conversation again."""
        for chunk in _chunks(conversation_ids):
            marks = ",".join("?" * len(chunk))
            for conversation_id, *state in self.db.execute(
                "SELECT id, status, channel, awaiting_since, first_response_at, "
                f"last_message_at FROM conversations WHERE id IN ({marks})",
                list(chunk),
            ).fetchall():
                self.states[int(conversation_id)] = ConversationState(*state)

    def _load_customers(self, keys: list[str]) -> None:
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            for value, customer_id in self.db.execute(
                "SELECT value, customer_id FROM customer_contacts WHERE kind = 'email' AND "
                f"value IN ({marks})",
                list(chunk),
            ).fetchall():
                self.customers[value] = int(customer_id)

    # --- answers --------------------------------------------------------------------------
    def find_by_message_id(self, message_id: str) -> list[StoredMessage]:
        """``mail_state.find_by_message_id`` for an id of this batch."""
        return list(self._by_id.get(message_id, ()))

    def conversation_of_message_ids(self, message_ids: Iterable[str]) -> int | None:
        """``mail_state.conversation_of_message_ids`` for ids of this batch."""
        for message_id in message_ids:
            stored = self._by_id.get(message_id)
            if stored:
                return int(stored[0].conversation_id)
        return None

    def conversations_replying_to(self, message_id: str) -> list[int]:
        """``mail_state.conversations_replying_to`` for a Message-ID of this batch."""
        found = sorted(self._replies.get(message_id, ()))
        return list(dict.fromkeys(int(conversation_id) for _, _, conversation_id in found))

    # --- keeping the answers true ---------------------------------------------------------
    def stored(
        self, row_id: int, conversation_id: int, message: Any, references: Iterable[str]
    ) -> None:
        """A message of this batch was inserted (``references``: what ``message_refs`` got)."""
        if message.message_id:
            self._by_id.setdefault(message.message_id, []).append(
                StoredMessage(
                    row_id,
                    conversation_id,
                    message.folder_id,
                    message.uidvalidity,
                    message.uid,
                    message.size,
                    message.sent_at,
                )
            )
        for ref in references:
            if ref in self._own_set:
                self._replies.setdefault(ref, []).append((message.sent_at, row_id, conversation_id))

    def placed(
        self, message_id: str, row_id: int, folder_id: int, uidvalidity: int, uid: int
    ) -> None:
        """A stored message now points at a new place on the server (``place_message``)."""
        copies = self._by_id.get(message_id, [])
        for index, copy in enumerate(copies):
            if copy.id == row_id:
                copies[index] = replace(copy, folder_id=folder_id, uidvalidity=uidvalidity, uid=uid)

    def conversation_created(self, conversation_id: int, customer_id: int) -> None:
        """A new mail conversation of this batch: open, no messages yet."""
        self.states[conversation_id] = ConversationState("open", "email", None, None, None)
        if customer_id in self.fresh_customers:
            self.fresh_customers[customer_id] += 1

    def has_no_conversations(self, customer_id: int) -> bool:
        """True for a customer created in this batch who has no conversation yet."""
        return self.fresh_customers.get(customer_id) == 0

    # --- customers ------------------------------------------------------------------------
    def upsert_email_customer(
        self, address: str, *, display_name: str, language: str | None
    ) -> int:
        """``inbox.upsert_customer`` for one email contact, minus its lookups: the
        customer by address comes from the batch's one query, and a contact we found is
        not inserted again (its INSERT OR IGNORE would change nothing)."""
        key = normalize_email(address) if address else ""
        now = now_iso()
        customer_id = self.customers.get(key) if key else None
        if customer_id is not None:
            self.db.execute(
                "UPDATE customers SET display_name = CASE WHEN display_name = '' THEN ? "
                "ELSE display_name END, language = coalesce(language, ?), updated_at = ? "
                "WHERE id = ?",
                [display_name, language, now, customer_id],
            )
            return customer_id
        cursor = self.db.execute(
            "INSERT INTO customers(display_name, language, created_at, updated_at) "
            "VALUES (?, ?, ?, ?)",
            [display_name, language, now, now],
        )
        customer_id = int(cursor.lastrowid or 0)
        self.fresh_customers[customer_id] = 0
        if key:
            self.db.execute(
                "INSERT OR IGNORE INTO customer_contacts(customer_id, kind, value, display) "
                "VALUES (?, 'email', ?, ?)",
                [customer_id, key, address.strip()],
            )
            self.customers[key] = customer_id
        return customer_id
