"""Which orders belong beside a conversation.

Two kinds of evidence: order numbers the customer wrote (``#1001``, ``سفارش ۱۰۰۱``,
``طلب رقم ١٠٠١`` — found by ``domain.threading.find_order_numbers``) and the
customer's email and phone. A number wins over contacts; when both exist, the
orders satisfying both are preferred. Exactly one candidate links itself
(``linked_by = 'auto'``, logged as an event); several are returned for the user
to choose, because linking the wrong order is worse than linking none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlite_utils import Database

from csconsole.domain.threading import find_order_numbers
from csconsole.store.orders import link_order

MESSAGES_SCANNED = 20


@dataclass(frozen=True)
class MatchResult:
    """What matching did: orders it linked, and candidates left for the user."""

    linked: list[int] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)


def _numbers_in_conversation(db: Database, conversation_id: int) -> list[str]:
    row = db.execute("SELECT subject FROM conversations WHERE id = ?", [conversation_id]).fetchone()
    texts = [row[0] if row else ""]
    texts += [
        f"{subject}\n{body or html}"
        for subject, body, html in db.execute(
            "SELECT subject, body_text, body_html_text FROM messages WHERE conversation_id = ? "
            "AND direction = 'in' ORDER BY sent_at DESC LIMIT ?",
            [conversation_id, MESSAGES_SCANNED],
        ).fetchall()
    ]
    numbers: list[str] = []
    for text in texts:
        numbers += find_order_numbers(text or "")
    return list(dict.fromkeys(numbers))


def _customer_order_ids(db: Database, customer_id: int | None) -> list[int]:
    if customer_id is None:
        return []
    rows = db.execute(
        "SELECT id FROM orders WHERE customer_id = ? OR email IN (SELECT value FROM "
        "customer_contacts WHERE customer_id = ? AND kind = 'email') OR phone IN (SELECT value "
        "FROM customer_contacts WHERE customer_id = ? AND kind = 'phone') "
        "ORDER BY coalesce(placed_at, updated_at) DESC",
        [customer_id, customer_id, customer_id],
    ).fetchall()
    return [int(r[0]) for r in rows]


def order_candidates(db: Database, conversation_id: int) -> list[int]:
    """Orders this conversation is probably about, best evidence first."""
    row = db.execute(
        "SELECT customer_id FROM conversations WHERE id = ?", [conversation_id]
    ).fetchone()
    if row is None:
        return []
    by_customer = _customer_order_ids(db, row[0])
    numbers = _numbers_in_conversation(db, conversation_id)
    if numbers:
        marks = ",".join("?" * len(numbers))
        by_number = [
            int(r[0])
            for r in db.execute(f"SELECT id FROM orders WHERE number IN ({marks})", numbers)
        ]
        if by_number:
            both = [order_id for order_id in by_number if order_id in by_customer]
            return both or by_number
    return by_customer


def match_orders_for_conversation(
    db: Database, conversation_id: int, *, actor: str = "system"
) -> MatchResult:
    """Link the one matching order, or return the candidates when it is not clear."""
    linked = {
        int(r[0])
        for r in db.execute(
            "SELECT order_id FROM conversation_orders WHERE conversation_id = ?", [conversation_id]
        )
    }
    candidates = [c for c in order_candidates(db, conversation_id) if c not in linked]
    if len(candidates) == 1 and not linked:
        link_order(db, conversation_id, candidates[0], "auto", actor=actor)
        return MatchResult(linked=candidates, candidates=[])
    return MatchResult(linked=[], candidates=candidates)


def match_customers_conversations(
    db: Database, customer_ids: Iterable[int], *, actor: str = "system"
) -> int:
    """After new orders arrive: try matching the customers' conversations with no order yet."""
    ids = sorted(set(customer_ids))
    linked = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = db.execute(
            f"SELECT c.id FROM conversations c WHERE c.customer_id IN "
            f"({','.join('?' * len(chunk))}) AND NOT EXISTS "
            "(SELECT 1 FROM conversation_orders co WHERE co.conversation_id = c.id)",
            chunk,
        ).fetchall()
        for (conversation_id,) in rows:
            linked += len(match_orders_for_conversation(db, conversation_id, actor=actor).linked)
    return linked
