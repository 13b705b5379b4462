"""Everything a reply needs to know about a conversation, read in one place.

The composer needs the parent message (threading, From, quoting), the customer
(name, language, contacts), the linked order and its latest shipment (canned
variables) and the account. Values are plain dicts and lists, which is all the
template language can read.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database


def _row(db: Database, query: str, params: list[Any]) -> dict[str, Any] | None:
    cursor = db.execute(query, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return {
        description[0]: value for description, value in zip(cursor.description, row, strict=True)
    }


def _json(text: object, default: Any) -> Any:
    if not isinstance(text, str) or not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def conversation_facts(db: Database, conversation_id: int) -> dict[str, Any] | None:
    """conversation, account, customer, contacts, parent, last_in, order, shipment, notes."""
    conversation = _row(
        db,
        "SELECT id, channel, account_id, customer_id, external_id, subject, language, status "
        "FROM conversations WHERE id = ?",
        [conversation_id],
    )
    if conversation is None:
        return None
    facts: dict[str, Any] = {"conversation": conversation}
    facts["account"] = _row(
        db,
        "SELECT id, name, kind, address, display_name FROM accounts WHERE id = ?",
        [conversation["account_id"]],
    )
    facts["customer"] = _row(
        db,
        "SELECT id, display_name, language FROM customers WHERE id = ?",
        [conversation["customer_id"]],
    )
    contacts: dict[str, list[str]] = {}
    if conversation["customer_id"] is not None:
        for kind, display in db.execute(
            "SELECT kind, display FROM customer_contacts WHERE customer_id = ? ORDER BY id",
            [conversation["customer_id"]],
        ):
            contacts.setdefault(str(kind), []).append(str(display))
    facts["contacts"] = contacts
    message_columns = (
        "SELECT id, direction, message_id, in_reply_to, refs, from_name, from_addr, to_addrs, "
        "cc_addrs, subject, sent_at, body_text, body_html_text, language FROM messages "
    )
    facts["last_in"] = _row(
        db,
        message_columns + "WHERE conversation_id = ? AND direction = 'in' "
        "ORDER BY sent_at DESC, id DESC LIMIT 1",
        [conversation_id],
    )
    facts["parent"] = (
        _row(
            db,
            message_columns + "WHERE conversation_id = ? AND direction IN ('in', 'out') "
            "AND message_id IS NOT NULL ORDER BY sent_at DESC, id DESC LIMIT 1",
            [conversation_id],
        )
        or facts["last_in"]
    )
    for key in ("last_in", "parent"):
        message = facts[key]
        if message:
            message["refs"] = _json(message["refs"], [])
            message["to_addrs"] = _json(message["to_addrs"], [])
            message["cc_addrs"] = _json(message["cc_addrs"], [])
    order = _row(
        db,
        "SELECT o.id, o.account_id, o.number, o.status, o.financial_status, "
        "o.fulfillment_status, o.currency, o.total, o.subtotal, o.shipping_total, o.tax_total, "
        "o.refunded_total, o.payment_method, o.items, o.shipping_address, o.note, o.placed_at, "
        "o.cancelled_at, o.customer_name, a.display_name AS shop_name, a.address AS shop_url "
        "FROM conversation_orders co JOIN orders o ON o.id = co.order_id "
        "LEFT JOIN accounts a ON a.id = o.account_id WHERE co.conversation_id = ? "
        "ORDER BY co.linked_by = 'user' DESC, o.placed_at DESC LIMIT 1",
        [conversation_id],
    )
    if order:
        order["items"] = _json(order["items"], [])
        order["shipping_address"] = _json(order["shipping_address"], {})
        facts["shipment"] = _row(
            db,
            "SELECT carrier, tracking_number, tracking_url, status, shipped_at, "
            "estimated_delivery, delivered_at FROM shipments WHERE order_id = ? "
            "ORDER BY coalesce(shipped_at, updated_at) DESC, id DESC LIMIT 1",
            [order["id"]],
        )
    else:
        facts["shipment"] = None
    facts["order"] = order
    return facts


def account_by_name(db: Database, name: str) -> int | None:
    row = db.execute("SELECT id FROM accounts WHERE name = ?", [name]).fetchone()
    return int(row[0]) if row else None
