"""Orders, shipments and order notes in the store, and their links to conversations.

Upserts key on ``(account_id, external_id)``, so polling the same order twice
changes nothing; an order whose ``updated_at`` has not moved is skipped without
a write. The buyer becomes (or is found as) a customer by email and phone through
``store.inbox.upsert_customer``, which is what later ties mail and chats to orders.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from sqlite_utils import Database

from csconsole.domain.clock import now_iso
from csconsole.domain.models import Contact
from csconsole.domain.orders import OrderNoteRecord, OrderRecord, ShipmentRecord
from csconsole.store.fts import index_conversations
from csconsole.store.inbox import record_event, upsert_customer

ORDER_COLUMNS = (
    "id, account_id, external_id, number, customer_id, customer_name, email, phone, status, "
    "financial_status, fulfillment_status, currency, total, subtotal, shipping_total, "
    "tax_total, refunded_total, payment_method, items, shipping_address, note, placed_at, "
    "updated_at, cancelled_at, closed_at, fetched_at"
)


def stored_versions(db: Database, account_id: int, external_ids: Iterable[str]) -> dict[str, str]:
    """``updated_at`` of the orders we already hold, by external id."""
    ids = list(external_ids)
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = db.execute(
            f"SELECT external_id, updated_at FROM orders WHERE account_id = ? "
            f"AND external_id IN ({','.join('?' * len(chunk))})",
            [account_id, *chunk],
        ).fetchall()
        found.update({str(ext): str(updated or "") for ext, updated in rows})
    return found


def _customer_for(db: Database, record: OrderRecord) -> int | None:
    contacts = []
    if record.email:
        contacts.append(Contact("email", record.email))
    if record.phone:
        contacts.append(Contact("phone", record.phone))
    if not contacts:
        return None
    return upsert_customer(
        db, contacts, display_name=record.customer_name, language=record.language
    )


def upsert_order(
    db: Database, account_id: int, record: OrderRecord, *, force: bool = False
) -> tuple[int, bool]:
    """Store an order with its shipments and notes; returns (order id, whether it changed)."""
    row = db.execute(
        "SELECT id, updated_at FROM orders WHERE account_id = ? AND external_id = ?",
        [account_id, record.external_id],
    ).fetchone()
    if row and row[1] == record.updated_at and not force and not record.notes:
        return int(row[0]), False
    customer_id = _customer_for(db, record)
    values = {
        "account_id": account_id,
        "external_id": record.external_id,
        "number": record.number,
        "customer_id": customer_id,
        "customer_name": record.customer_name,
        "email": record.email or None,
        "phone": record.phone or None,
        "status": record.status,
        "financial_status": record.financial_status,
        "fulfillment_status": record.fulfillment_status,
        "currency": record.currency,
        "total": record.total,
        "subtotal": record.subtotal,
        "shipping_total": record.shipping_total,
        "tax_total": record.tax_total,
        "refunded_total": record.refunded_total,
        "payment_method": record.payment_method,
        "items": json.dumps([asdict(item) for item in record.items], ensure_ascii=False),
        "shipping_address": json.dumps(record.shipping_address, ensure_ascii=False),
        "note": record.note,
        "placed_at": record.placed_at,
        "updated_at": record.updated_at,
        "cancelled_at": record.cancelled_at,
        "closed_at": record.closed_at,
        "raw": record.raw,
        "fetched_at": now_iso(),
    }
    columns = ", ".join(values)
    updates = ", ".join(f"{c} = excluded.{c}" for c in values if c not in {"account_id"})
    db.execute(
        f"INSERT INTO orders({columns}) VALUES ({','.join('?' * len(values))}) "
        f"ON CONFLICT(account_id, external_id) DO UPDATE SET {updates}",
        list(values.values()),
    )
    order_id = int(
        db.execute(
            "SELECT id FROM orders WHERE account_id = ? AND external_id = ?",
            [account_id, record.external_id],
        ).fetchone()[0]
    )
    _upsert_shipments(db, order_id, record.shipments)
    upsert_notes(db, order_id, record.notes)
    return order_id, True


def _upsert_shipments(db: Database, order_id: int, shipments: Iterable[ShipmentRecord]) -> None:
    for shipment in shipments:
        db.execute(
            "INSERT INTO shipments(order_id, external_id, carrier, tracking_number, tracking_url, "
            "status, status_raw, shipped_at, estimated_delivery, delivered_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(order_id, external_id) DO UPDATE SET "
            "carrier = excluded.carrier, tracking_number = excluded.tracking_number, "
            "tracking_url = excluded.tracking_url, status = excluded.status, "
            "status_raw = excluded.status_raw, shipped_at = excluded.shipped_at, "
            "estimated_delivery = excluded.estimated_delivery, "
            "delivered_at = excluded.delivered_at, updated_at = excluded.updated_at",
            [
                order_id,
                shipment.external_id,
                shipment.carrier,
                shipment.tracking_number,
                shipment.tracking_url,
                shipment.status,
                shipment.status_raw,
                shipment.shipped_at,
                shipment.estimated_delivery,
                shipment.delivered_at,
                shipment.updated_at,
            ],
        )


def upsert_notes(db: Database, order_id: int, notes: Iterable[OrderNoteRecord]) -> None:
    """Store the shop's notes on an order (unchanged ones are rewritten harmlessly)."""
    for note in notes:
        db.execute(
            "INSERT INTO order_notes(order_id, external_id, author, body, customer_visible, "
            "created_at) VALUES (?,?,?,?,?,?) ON CONFLICT(order_id, external_id) DO UPDATE SET "
            "author = excluded.author, body = excluded.body, "
            "customer_visible = excluded.customer_visible",
            [
                order_id,
                note.external_id,
                note.author,
                note.body,
                int(note.customer_visible),
                note.created_at,
            ],
        )


# -- links ----------------------------------------------------------------------


def match_orders_for_conversation(
    db: Database, conversation_id: int, *, actor: str = "system"
) -> Any:
    """See ``store.order_matching.match_orders_for_conversation`` (kept here for callers)."""
    from csconsole.store.order_matching import match_orders_for_conversation as match

    return match(db, conversation_id, actor=actor)


def link_order(
    db: Database,
    conversation_id: int,
    order_id: int,
    linked_by: str,
    *,
    actor: str = "system",
) -> bool:
    """Show ``order_id`` beside the conversation; False when it was linked already."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO conversation_orders(conversation_id, order_id, linked_by, "
        "linked_at) VALUES (?, ?, ?, ?)",
        [conversation_id, order_id, linked_by, now_iso()],
    )
    if not cursor.rowcount:
        return False
    number = db.execute("SELECT number FROM orders WHERE id = ?", [order_id]).fetchone()
    record_event(
        db,
        "order.linked",
        actor=actor,
        conversation_id=conversation_id,
        order_id=order_id,
        data={"linked_by": linked_by, "number": number[0] if number else None},
    )
    index_conversations(db, [conversation_id])  # order numbers become searchable
    return True


def unlink_order(
    db: Database, conversation_id: int, order_id: int, *, actor: str = "system"
) -> bool:
    """Remove a link; False when there was none."""
    cursor = db.execute(
        "DELETE FROM conversation_orders WHERE conversation_id = ? AND order_id = ?",
        [conversation_id, order_id],
    )
    if not cursor.rowcount:
        return False
    record_event(
        db, "order.unlinked", actor=actor, conversation_id=conversation_id, order_id=order_id
    )
    index_conversations(db, [conversation_id])
    return True


# -- reads ----------------------------------------------------------------------


def _rows(db: Database, where: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = db.execute(
        f"SELECT o.*, a.name AS account_name, a.kind AS platform FROM orders o "
        f"JOIN accounts a ON a.id = o.account_id WHERE {where} "
        f"ORDER BY coalesce(o.placed_at, o.updated_at) DESC, o.id DESC",
        params,
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def get_order(db: Database, order_id: int) -> dict[str, Any] | None:
    """One order with ``shipments`` and ``notes`` lists, or None."""
    rows = _rows(db, "o.id = ?", [order_id])
    if not rows:
        return None
    order = rows[0]
    order["items"] = json.loads(order["items"] or "[]")
    order["shipping_address"] = json.loads(order["shipping_address"] or "{}")
    order["shipments"] = _dicts(
        db, "SELECT * FROM shipments WHERE order_id = ? ORDER BY shipped_at, id", [order_id]
    )
    order["notes"] = _dicts(
        db, "SELECT * FROM order_notes WHERE order_id = ? ORDER BY created_at, id", [order_id]
    )
    return order


def _dicts(db: Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def find_orders_by_number(db: Database, number: str) -> list[dict[str, Any]]:
    """Orders (of any shop) with this customer-facing number; '#1001' and '1001' alike."""
    return _rows(db, "o.number = ?", [number.strip().lstrip("#").strip()])


def orders_for_customer(db: Database, customer_id: int) -> list[dict[str, Any]]:
    """The customer's orders, newest first: by customer id or by any of their contacts."""
    return _rows(
        db,
        "o.customer_id = ? OR o.email IN (SELECT value FROM customer_contacts "
        "WHERE customer_id = ? AND kind = 'email') OR o.phone IN (SELECT value FROM "
        "customer_contacts WHERE customer_id = ? AND kind = 'phone')",
        [customer_id, customer_id, customer_id],
    )


def orders_for_email(db: Database, email: str) -> list[dict[str, Any]]:
    """Orders placed with this (normalised) email address."""
    return _rows(db, "o.email = ?", [email])


def list_orders(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    """The most recent orders across all shops."""
    return _rows(
        db,
        "o.id IN (SELECT id FROM orders ORDER BY coalesce(placed_at, updated_at) DESC, "
        "id DESC LIMIT ?)",
        [limit],
    )


def linked_orders(db: Database, conversation_id: int) -> list[dict[str, Any]]:
    """Orders shown beside a conversation, with how they were linked."""
    return _rows(
        db,
        "o.id IN (SELECT order_id FROM conversation_orders WHERE conversation_id = ?)",
        [conversation_id],
    )
