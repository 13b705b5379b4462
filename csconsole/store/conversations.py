"""Read queries for the inbox: one page of a view, counts per view, a whole conversation.

Pages are read with LIMIT/OFFSET so the console never loads every row: a virtual
list asks for the page under its viewport and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from csconsole.domain.clock import to_iso
from csconsole.domain.inbox_models import (
    AttachmentInfo,
    ConversationDetail,
    ConversationFilter,
    ConversationSummary,
    CustomerCard,
    MessageInfo,
    OrderInfo,
    ShipmentInfo,
    Sort,
    View,
)
from csconsole.domain.text import normalize_for_search
from csconsole.store.db import Queryable

DUE_SOON = timedelta(hours=4)

_SUMMARY_COLUMNS = """
    c.id, c.channel, coalesce(a.name, ''), coalesce(cu.display_name, ''), c.subject,
    c.preview, c.status, c.unread, c.message_count, c.last_message_at, c.awaiting_since,
    c.sla_due_at, c.snooze_until,
    (SELECT group_concat(tag, ',') FROM
        (SELECT tag FROM conversation_tags t WHERE t.conversation_id = c.id ORDER BY tag)),
    (SELECT o.number FROM conversation_orders co JOIN orders o ON o.id = co.order_id
      WHERE co.conversation_id = c.id ORDER BY co.linked_at DESC LIMIT 1),
    c.language
"""

_FROM = """
  FROM conversations c
  LEFT JOIN accounts a ON a.id = c.account_id
  LEFT JOIN customers cu ON cu.id = c.customer_id
"""

_ORDER = {
    # SQLite sorts NULL first in ASC: conversations with no deadline go last.
    Sort.URGENCY: "c.sla_due_at IS NULL, c.sla_due_at, c.last_message_at DESC, c.id DESC",
    Sort.NEWEST: "c.last_message_at DESC, c.id DESC",
    Sort.OLDEST: "c.last_message_at IS NULL, c.last_message_at, c.id",
}


def fts_expression(text: str) -> str:
    """Turn typed words into an FTS5 query: every word must match, as a prefix."""
    words = normalize_for_search(text).split()
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def _view_clause(view: View, now: datetime) -> tuple[str, list[Any]]:
    now_text = to_iso(now)
    if view is View.OPEN:
        return "c.status = 'open'", []
    if view is View.DUE_SOON:
        return (
            "c.status = 'open' AND c.sla_due_at > ? AND c.sla_due_at <= ?",
            [now_text, to_iso(now + DUE_SOON)],
        )
    if view is View.OVERDUE:
        return "c.status = 'open' AND c.sla_due_at <= ?", [now_text]
    if view is View.ALL:
        return "1", []
    return "c.status = ?", [view.value]


def _filter_clause(spec: ConversationFilter, now: datetime) -> tuple[str, list[Any]]:
    clause, params = _view_clause(spec.view, now)
    parts = [clause]
    if spec.channel:
        parts.append("c.channel = ?")
        params.append(spec.channel)
    if spec.account_id is not None:
        parts.append("c.account_id = ?")
        params.append(spec.account_id)
    if spec.tag:
        parts.append(
            "EXISTS (SELECT 1 FROM conversation_tags t WHERE t.conversation_id = c.id "
            "AND t.tag = ?)"
        )
        params.append(spec.tag)
    expression = fts_expression(spec.text) if spec.text.strip() else ""
    if expression:
        parts.append("c.id IN (SELECT rowid FROM search_index WHERE search_index MATCH ?)")
        params.append(expression)
    return " AND ".join(parts), params


def _summary(row: Sequence[Any]) -> ConversationSummary:
    return ConversationSummary(
        id=row[0],
        channel=row[1],
        account=row[2],
        customer=row[3],
        subject=row[4],
        preview=row[5],
        status=row[6],
        unread=row[7],
        message_count=row[8],
        last_message_at=row[9],
        awaiting_since=row[10],
        sla_due_at=row[11],
        snooze_until=row[12],
        tags=tuple(row[13].split(",")) if row[13] else (),
        order_number=row[14],
        language=row[15],
    )


def page_query(
    spec: ConversationFilter, *, offset: int, limit: int, now: datetime
) -> tuple[str, list[Any]]:
    """The ids of one page, sorted; migration 0006's indexes serve every usual order."""
    where, params = _filter_clause(spec, now)
    order = _ORDER[spec.sort]
    sql = f"SELECT c.id FROM conversations c WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
    return sql, [*params, limit, offset]


def list_page(
    db: Queryable, spec: ConversationFilter, *, offset: int, limit: int, now: datetime
) -> list[ConversationSummary]:
    """Rows ``offset`` to ``offset + limit`` of the filtered, sorted list.

    The ids are sorted first and the row details (tags, linked order) read only for
    the page: sorting whole rows would run those subqueries for every match.
    """
    sql, params = page_query(spec, offset=offset, limit=limit, now=now)
    ids = [row[0] for row in db.execute(sql, params)]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {
        row[0]: _summary(row)
        for row in db.execute(f"SELECT {_SUMMARY_COLUMNS} {_FROM} WHERE c.id IN ({marks})", ids)
    }
    return [rows[conv_id] for conv_id in ids if conv_id in rows]


def count(db: Queryable, spec: ConversationFilter, *, now: datetime) -> int:
    """How many conversations the filter matches."""
    where, params = _filter_clause(spec, now)
    return int(
        db.execute(f"SELECT count(*) FROM conversations c WHERE {where}", params).fetchone()[0]
    )


def counts_by_view(db: Queryable, spec: ConversationFilter, *, now: datetime) -> dict[View, int]:
    """The number beside each view's tab, under the same channel/account/tag filters."""
    base = replace(spec, sort=Sort.URGENCY)
    where, params = _filter_clause(replace(base, view=View.ALL), now)
    statuses: dict[str, int] = dict(
        db.execute(
            f"SELECT status, count(*) FROM conversations c WHERE {where} GROUP BY status", params
        ).fetchall()
    )
    result = {
        View.OPEN: statuses.get("open", 0),
        View.PENDING: statuses.get("pending", 0),
        View.SNOOZED: statuses.get("snoozed", 0),
        View.CLOSED: statuses.get("closed", 0),
        View.ALL: sum(statuses.values()),
    }
    for view in (View.DUE_SOON, View.OVERDUE):
        result[view] = count(db, replace(base, view=view), now=now)
    return {view: result[view] for view in View}


def position_of(
    db: Queryable,
    spec: ConversationFilter,
    conversation_id: int,
    *,
    now: datetime,
    scan: int = 5000,
) -> int | None:
    """Where a conversation sits in the list (searching the first ``scan`` rows)."""
    where, params = _filter_clause(spec, now)
    rows = db.execute(
        f"SELECT c.id FROM conversations c WHERE {where} ORDER BY {_ORDER[spec.sort]} LIMIT ?",
        [*params, scan],
    ).fetchall()
    for index, (conv_id,) in enumerate(rows):
        if conv_id == conversation_id:
            return index
    return None


def summary(db: Queryable, conversation_id: int) -> ConversationSummary | None:
    row = db.execute(f"SELECT {_SUMMARY_COLUMNS} {_FROM} WHERE c.id = ?", [conversation_id])
    found = row.fetchone()
    return _summary(found) if found else None


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


def all_tags(db: Queryable) -> list[str]:
    return [row[0] for row in db.execute("SELECT DISTINCT tag FROM conversation_tags ORDER BY 1")]


def attachment_content(db: Queryable, attachment_id: int) -> tuple[str, bytes | None] | None:
    """An attachment's file name and content (None until it was downloaded)."""
    row = db.execute(
        "SELECT filename, content FROM attachments WHERE id = ?", [attachment_id]
    ).fetchone()
    return (str(row[0]), row[1]) if row else None
