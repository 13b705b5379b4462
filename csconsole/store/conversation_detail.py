"""Read queries for one open conversation: its messages, customer card, orders, files."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from csconsole.domain.detail_models import (
    AttachmentInfo,
    ConversationDetail,
    CustomerCard,
    MessageInfo,
    OrderInfo,
    ShipmentInfo,
)
from csconsole.store.conversations import summary
from csconsole.store.db import Queryable


def _attachments(db: Queryable, message_ids: list[int]) -> dict[int, list[AttachmentInfo]]:
    found: dict[int, list[AttachmentInfo]] = {}
    if not message_ids:
        return found
    marks = ",".join("?" * len(message_ids))
    for row in db.execute(
        "SELECT id, message_id, filename, content_type, size, content IS NOT NULL "
        f"FROM attachments WHERE message_id IN ({marks}) ORDER BY id",
        message_ids,
    ):
        info = AttachmentInfo(row[0], row[1], row[2], row[3], row[4], bool(row[5]))
        found.setdefault(info.message_id, []).append(info)
    return found


def messages(db: Queryable, conversation_id: int) -> list[MessageInfo]:
    """The thread, oldest first (the console shows the newest at the bottom)."""
    rows = db.execute(
        "SELECT id, direction, from_name, from_addr, subject, sent_at, body_text, "
        "body_html_text, author, headers, seen, language, decode_warning FROM messages "
        "WHERE conversation_id = ? ORDER BY sent_at, id",
        [conversation_id],
    ).fetchall()
    attachments = _attachments(db, [row[0] for row in rows])
    return [
        MessageInfo(
            id=row[0],
            direction=row[1],
            from_name=row[2],
            from_addr=row[3],
            subject=row[4],
            sent_at=row[5],
            body_text=row[6],
            body_html_text=row[7],
            author=row[8],
            headers=row[9],
            seen=bool(row[10]),
            language=row[11],
            decode_warning=row[12],
            attachments=tuple(attachments.get(row[0], [])),
        )
        for row in rows
    ]


def _lifetime_value(totals: list[tuple[str, str]]) -> str:
    by_currency: dict[str, Decimal] = {}
    for currency, total in totals:
        try:
            by_currency[currency] = by_currency.get(currency, Decimal(0)) + Decimal(total)
        except InvalidOperation:
            continue
    return " + ".join(f"{amount} {currency}".strip() for currency, amount in by_currency.items())


def customer_card(db: Queryable, customer_id: int, *, exclude: int | None) -> CustomerCard | None:
    row = db.execute(
        "SELECT display_name, language FROM customers WHERE id = ?", [customer_id]
    ).fetchone()
    if row is None:
        return None
    contacts: dict[str, list[str]] = {"email": [], "phone": [], "telegram": []}
    for kind, display in db.execute(
        "SELECT kind, display FROM customer_contacts WHERE customer_id = ? ORDER BY id",
        [customer_id],
    ):
        contacts.setdefault(kind, []).append(display)
    names = [row[0]] if row[0] else []
    for (name,) in db.execute(
        "SELECT DISTINCT customer_name FROM orders WHERE customer_id = ? AND customer_name != ''",
        [customer_id],
    ):
        if name not in names:
            names.append(name)
    totals = db.execute(
        "SELECT currency, total FROM orders WHERE customer_id = ? AND cancelled_at IS NULL",
        [customer_id],
    ).fetchall()
    others = db.execute(
        "SELECT id, subject, status FROM conversations WHERE customer_id = ? AND id != ? "
        "ORDER BY last_message_at DESC LIMIT 10",
        [customer_id, exclude or 0],
    ).fetchall()
    return CustomerCard(
        id=customer_id,
        names=tuple(names),
        emails=tuple(contacts["email"]),
        phones=tuple(contacts["phone"]),
        chats=tuple(contacts["telegram"]),
        language=row[1],
        order_count=len(totals),
        lifetime_value=_lifetime_value(totals),
        other_conversations=tuple((r[0], r[1], r[2]) for r in others),
    )


def _items(raw: str) -> tuple[str, ...]:
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return ()
    result = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            result.append(f"{item.get('quantity', 1)}× {item.get('name', '')}")
    return tuple(result)


def _shipments(db: Queryable, order_id: int) -> tuple[ShipmentInfo, ...]:
    return tuple(
        ShipmentInfo(r[0] or "", r[1] or "", r[2] or "", r[3] or r[4] or "", r[5])
        for r in db.execute(
            "SELECT carrier, tracking_number, tracking_url, status, status_raw, updated_at "
            "FROM shipments WHERE order_id = ? ORDER BY coalesce(shipped_at, updated_at) DESC",
            [order_id],
        )
    )


def orders_for(db: Queryable, conversation_id: int, customer_id: int | None) -> list[OrderInfo]:
    """Orders linked to the conversation first, then the customer's other orders, newest first."""
    rows = db.execute(
        """SELECT o.id, o.number, coalesce(a.name, ''), o.placed_at,
                  coalesce(o.financial_status, ''), coalesce(o.fulfillment_status, ''),
                  o.currency, o.total, o.items, co.conversation_id IS NOT NULL AS linked
             FROM orders o
             LEFT JOIN accounts a ON a.id = o.account_id
             LEFT JOIN conversation_orders co
                    ON co.order_id = o.id AND co.conversation_id = ?
            WHERE co.conversation_id IS NOT NULL OR (? IS NOT NULL AND o.customer_id = ?)
            ORDER BY linked DESC, o.placed_at DESC
            LIMIT 20""",
        [conversation_id, customer_id, customer_id],
    ).fetchall()
    return [
        OrderInfo(
            id=r[0],
            number=r[1],
            account=r[2],
            placed_at=r[3],
            financial_status=r[4],
            fulfillment_status=r[5],
            currency=r[6],
            total=r[7],
            items=_items(r[8]),
            linked=bool(r[9]),
            shipments=_shipments(db, r[0]),
        )
        for r in rows
    ]


def detail(db: Queryable, conversation_id: int) -> ConversationDetail | None:
    """The whole conversation: thread, customer card and orders."""
    head = summary(db, conversation_id)
    if head is None:
        return None
    (customer_id,) = db.execute(
        "SELECT customer_id FROM conversations WHERE id = ?", [conversation_id]
    ).fetchone()
    return ConversationDetail(
        summary=head,
        messages=tuple(messages(db, conversation_id)),
        customer=customer_card(db, customer_id, exclude=conversation_id) if customer_id else None,
        orders=tuple(orders_for(db, conversation_id, customer_id)),
        tags=head.tags,
    )


def attachment_content(db: Queryable, attachment_id: int) -> tuple[str, bytes | None] | None:
    """An attachment's file name and content (None until it was downloaded)."""
    row = db.execute(
        "SELECT filename, content FROM attachments WHERE id = ?", [attachment_id]
    ).fetchone()
    return (str(row[0]), row[1]) if row else None
