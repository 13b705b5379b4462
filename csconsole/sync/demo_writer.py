"""Bulk inserts of demo batches: one ``executemany`` per table per batch.

The store is fresh, so the generator's keys become row ids directly and nothing
has to be read back. Rows match what ``store.inbox``, ``store.orders`` and
``store.conversation_state`` write for the same facts (see ``sync.demo_rows``).
``batch_rows`` is pure, so worker processes can build the rows (``sync.demo_parallel``)
and the process holding the store only inserts them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from csconsole.domain.sla import SlaPolicies
from csconsole.domain.text import normalize_email, normalize_phone
from csconsole.sources.demo_records import DemoBatch
from csconsole.store.fts import WordCache, index_row
from csconsole.store.message_rows import INSERT_MESSAGE, message_row
from csconsole.sync.demo_rows import CONVERSATION_COLUMNS, fold_conversation

# Per process: workers and the writer each keep their own words.
_WORDS = WordCache()

_ORDER_COLUMNS = (
    "id, account_id, external_id, number, customer_id, customer_name, email, phone, status, "
    "financial_status, fulfillment_status, currency, total, subtotal, shipping_total, tax_total, "
    "refunded_total, payment_method, items, shipping_address, note, placed_at, updated_at, "
    "cancelled_at, closed_at, raw, fetched_at"
)


def _marks(columns: str) -> str:
    return ",".join("?" * len(columns.split(",")))


def _contact_key(kind: str, display: str) -> str:
    """``store.inbox.contact_key`` without building a Contact for each row."""
    if kind == "email":
        return normalize_email(display)
    if kind == "phone":
        return normalize_phone(display)
    return display.strip()


@dataclass(frozen=True)
class RowContext:
    """What rows depend on besides the batch (picklable, for worker processes)."""

    account_ids: dict[str, int]
    now_text: str
    sla: SlaPolicies


@dataclass
class BatchRows:
    """Each table's rows for one batch, in the order they are inserted."""

    conversations: int = 0
    tables: list[tuple[str, list[tuple[Any, ...]]]] = field(default_factory=list)


def batch_rows(batch: DemoBatch, context: RowContext) -> BatchRows:
    """The rows of one batch (no store needed)."""
    builder = _Rows(context)
    builder.customers(batch)
    builder.orders(batch)
    builder.conversations(batch)
    return BatchRows(len(batch.conversations), builder.tables)


class DemoWriter:
    """Inserts batches (or rows built elsewhere) in order."""

    def __init__(
        self, db: Database, account_ids: dict[str, int], now_text: str, sla: SlaPolicies
    ) -> None:
        self.db = db
        self.context = RowContext(account_ids, now_text, sla)
        self.conversations = 0

    def write(self, batch: DemoBatch) -> None:
        self.insert(batch_rows(batch, self.context))

    def insert(self, rows: BatchRows) -> None:
        for sql, values in rows.tables:
            if values:
                self.db.conn.executemany(sql, values)
        self.conversations += rows.conversations


class _Rows:
    def __init__(self, context: RowContext) -> None:
        self.account_ids = context.account_ids
        self.now_text = context.now_text
        self.sla = context.sla
        self.tables: list[tuple[str, list[tuple[Any, ...]]]] = []

    def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.tables.append((sql, rows))

    def customers(self, batch: DemoBatch) -> None:
        now = self.now_text
        self._many(
            "INSERT INTO customers(id, display_name, language, notes, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?)",
            [(c.key, c.display_name, c.language, c.notes, now, now) for c in batch.customers],
        )
        self._many(
            "INSERT OR IGNORE INTO customer_contacts(customer_id, kind, value, display) "
            "VALUES (?,?,?,?)",
            [
                (
                    c.key,
                    contact.kind,
                    _contact_key(contact.kind, contact.display),
                    contact.display.strip(),
                )
                for c in batch.customers
                for contact in c.contacts
            ],
        )

    def orders(self, batch: DemoBatch) -> None:
        shop = self.account_ids["demo-shop"]
        orders: list[tuple[Any, ...]] = []
        shipments: list[tuple[Any, ...]] = []
        notes: list[tuple[Any, ...]] = []
        for order in batch.orders:
            r = order.record
            items = [
                {
                    "name": i.name,
                    "quantity": i.quantity,
                    "sku": i.sku,
                    "price": i.price,
                    "external_id": i.external_id,
                }
                for i in r.items
            ]
            orders.append(
                (
                    order.key,
                    shop,
                    r.external_id,
                    r.number,
                    order.customer_key,
                    r.customer_name,
                    r.email or None,
                    r.phone or None,
                    r.status,
                    r.financial_status,
                    r.fulfillment_status,
                    r.currency,
                    r.total,
                    r.subtotal,
                    r.shipping_total,
                    r.tax_total,
                    r.refunded_total,
                    r.payment_method,
                    json.dumps(items, ensure_ascii=False),
                    json.dumps(r.shipping_address, ensure_ascii=False),
                    r.note,
                    r.placed_at,
                    r.updated_at,
                    r.cancelled_at,
                    r.closed_at,
                    r.raw,
                    self.now_text,
                )
            )
            for s in r.shipments:
                shipments.append(
                    (
                        order.key,
                        s.external_id,
                        s.carrier,
                        s.tracking_number,
                        s.tracking_url,
                        s.status,
                        s.status_raw,
                        s.shipped_at,
                        s.estimated_delivery,
                        s.delivered_at,
                        s.updated_at,
                    )
                )
            for n in r.notes:
                notes.append(
                    (
                        order.key,
                        n.external_id,
                        n.author,
                        n.body,
                        int(n.customer_visible),
                        n.created_at,
                    )
                )
        self._many(
            f"INSERT INTO orders({_ORDER_COLUMNS}) VALUES ({_marks(_ORDER_COLUMNS)})", orders
        )
        self._many(
            "INSERT INTO shipments(order_id, external_id, carrier, tracking_number, tracking_url, "
            "status, status_raw, shipped_at, estimated_delivery, delivered_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            shipments,
        )
        self._many(
            "INSERT INTO order_notes(order_id, external_id, author, body, customer_visible, "
            "created_at) VALUES (?,?,?,?,?,?)",
            notes,
        )

    def conversations(self, batch: DemoBatch) -> None:
        numbers = {o.key: o.record.number for o in batch.orders}
        conversations: list[tuple[Any, ...]] = []
        messages: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        tags: list[tuple[int, str]] = []
        index: list[tuple[int, str, str, str, str]] = []
        # As store.fts joins them: the name, then the contacts in the order they were filed.
        people = {
            c.key: f"{c.display_name} {' '.join(x.display.strip() for x in c.contacts)}"
            for c in batch.customers
        }
        links: list[tuple[int, int, str, str]] = []
        for conv in batch.conversations:
            account_id = self.account_ids[conv.account]
            folded = fold_conversation(
                conv, account_id=account_id, now_text=self.now_text, sla=self.sla
            )
            conversations.append(folded.row)
            for message in folded.messages:
                messages.append(message_row(conv.key, account_id, message, self.now_text))
            newest_first = [
                (m.subject, m.body_text, m.body_html_text, m.from_name, m.from_addr)
                for _, m in sorted(
                    enumerate(folded.messages), key=lambda p: (p[1].sent_at, p[0]), reverse=True
                )
            ]
            linked = " ".join(numbers[key] for key in conv.order_keys if key in numbers)
            index.append(
                index_row(
                    _WORDS,
                    conv.key,
                    conv.subject,
                    newest_first,
                    people.get(conv.customer_key, " "),
                    linked or None,
                )
            )
            events.extend(
                (at, actor, kind, conv.key, None, data) for at, actor, kind, data in folded.events
            )
            actor = f"agent:{conv.assignee}" if conv.assignee else "system"
            for tag in conv.tags:
                tags.append((conv.key, tag))
                data = json.dumps({"tag": tag}, ensure_ascii=False)
                events.append((conv.created_at, actor, "conversation.tag", conv.key, None, data))
            for order_key in conv.order_keys:
                links.append((conv.key, order_key, "auto", conv.created_at))
                data = json.dumps({"linked_by": "auto", "number": numbers.get(order_key)})
                events.append(
                    (conv.created_at, "system", "order.linked", conv.key, order_key, data)
                )
        self._many(
            f"INSERT INTO conversations({CONVERSATION_COLUMNS}) "
            f"VALUES ({_marks(CONVERSATION_COLUMNS)})",
            conversations,
        )
        self._many(INSERT_MESSAGE, messages)
        self._many("INSERT INTO conversation_tags(conversation_id, tag) VALUES (?, ?)", tags)
        self._many(
            "INSERT INTO conversation_orders(conversation_id, order_id, linked_by, linked_at) "
            "VALUES (?,?,?,?)",
            links,
        )
        self._many(
            "INSERT INTO events(at, actor, kind, conversation_id, order_id, data) "
            "VALUES (?,?,?,?,?,?)",
            events,
        )
        self._many(
            "INSERT INTO search_index(rowid, subject, body, people, orders) VALUES (?, ?, ?, ?, ?)",
            index,
        )
