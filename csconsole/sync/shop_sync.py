"""Polls a shop's changed orders into the store, page by page, with a cursor that never lies.

WooCommerce order notes cost one request per order, so they are fetched for orders
that changed within ``NOTES_WINDOW``; older ones get theirs when opened.

Shopify pages arrive sorted by ``updatedAt`` inside the window ``[cursor − overlap, T0]``
(T0 fixed when the poll starts), so each page commits together with a cursor at the
newest change it holds. WooCommerce pages come in id order, so its cursor (the newest
``date_modified_gmt`` seen) is written only with the last page; earlier pages are
idempotent upserts a retry skips cheaply. Any failure leaves the cursor where it was
and records a clear error on the account. An unchanged shop costs one request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlite_utils import Database

from csconsole.domain.clock import from_iso, to_iso, utc_now
from csconsole.domain.models import Channel, Direction, NewMessage
from csconsole.domain.orders import OrderRecord
from csconsole.domain.sla import SlaPolicies
from csconsole.sources.http_client import HttpClient, SourceError
from csconsole.sources.shopify import ShopifyClient
from csconsole.sources.woocommerce import WooCommerceClient
from csconsole.store.cursors import get_cursor, set_cursor
from csconsole.store.inbox import (
    add_message,
    create_conversation,
    find_conversation_by_external_id,
    set_account_sync_state,
)
from csconsole.store.order_matching import match_customers_conversations
from csconsole.store.orders import link_order, stored_versions, upsert_order

CURSOR = "orders.updated_at"
OVERLAP = timedelta(minutes=5)  # re-read recent changes: clocks and indexes lag a little
INITIAL_WINDOW = timedelta(days=60)  # Shopify shows 60 days without read_all_orders
NOTES_WINDOW = timedelta(days=30)  # older orders get their notes when opened (refresh)

Progress = Callable[[int, str], None]


@dataclass
class ShopSyncResult:
    """What one poll did."""

    orders_seen: int = 0
    orders_changed: int = 0
    pages: int = 0
    requests: int = 0
    linked: int = 0
    cursor: str | None = None


def _since(cursor: str | None, t0: str, first_window: timedelta | None) -> str | None:
    if cursor:
        return to_iso(from_iso(cursor) - OVERLAP)
    return to_iso(from_iso(t0) - first_window) if first_window else None


def _store_page(
    db: Database,
    account_id: int,
    account_name: str,
    records: Iterable[OrderRecord],
    known: dict[str, str],
    result: ShopSyncResult,
    sla: SlaPolicies | None,
) -> None:
    """Upsert a page of orders (inside the caller's transaction)."""
    customers: set[int] = set()
    for record in records:
        result.orders_seen += 1
        order_id, changed = upsert_order(db, account_id, record)
        if not changed:
            continue
        result.orders_changed += 1
        row = db.execute("SELECT customer_id FROM orders WHERE id = ?", [order_id]).fetchone()
        if row and row[0] is not None:
            customers.add(int(row[0]))
        if record.external_id not in known and record.note.strip():
            _checkout_note_conversation(db, account_id, order_id, record, row[0], sla)
    actor = f"sync:{account_name}"
    result.linked += match_customers_conversations(db, customers, actor=actor)


def _checkout_note_conversation(
    db: Database,
    account_id: int,
    order_id: int,
    record: OrderRecord,
    customer_id: int | None,
    sla: SlaPolicies | None,
) -> None:
    """A note the buyer typed at checkout is a customer message: it opens a conversation."""
    external = f"order:{record.external_id}"
    conversation_id = find_conversation_by_external_id(db, account_id, external)
    if conversation_id is None:
        conversation_id = create_conversation(
            db,
            channel=Channel.SHOP.value,
            account_id=account_id,
            customer_id=customer_id,
            subject=f"Order #{record.number}",
            external_id=external,
            language=record.language,
            created_at=record.placed_at or record.updated_at,
        )
    add_message(
        db,
        conversation_id,
        NewMessage(
            direction=Direction.IN,
            sent_at=record.placed_at or record.updated_at,
            body_text=record.note,
            subject=f"Order #{record.number}",
            from_name=record.customer_name,
            from_addr=record.email or record.phone,
            external_id=f"order-note:{record.external_id}",
            language=record.language,
        ),
        account_id=account_id,
        sla=sla,
    )
    link_order(db, conversation_id, order_id, "auto")


def _fail(db: Database, account_id: int, error: SourceError) -> None:
    with db.atomic():
        set_account_sync_state(db, account_id, "error", error=str(error))


@dataclass(frozen=True)
class _Batch:
    """One page ready to store: the orders to write and the cursor they let us commit."""

    records: list[OrderRecord]
    known: dict[str, str]  # updated_at of the page's orders we already held
    unchanged: int = 0  # seen but skipped before any write
    cursor: str | None = None  # committed with these rows when it is newer than the stored one


# What differs between shops: given the stored cursor and T0, fetch the pages.
Batches = Callable[[str | None, str], Iterator[_Batch]]


def _poll(
    db: Database,
    account_id: int,
    account_name: str,
    http: HttpClient,
    batches: Batches,
    *,
    now: str | None,
    sla: SlaPolicies | None,
    progress: Progress | None,
) -> ShopSyncResult:
    """The loop every shop shares: each page and its cursor commit in one transaction."""
    t0 = now or to_iso(utc_now())
    cursor = get_cursor(db, account_id, CURSOR)
    result = ShopSyncResult(cursor=cursor)
    before = http.requests_made
    with db.atomic():
        set_account_sync_state(db, account_id, "syncing")
    try:
        for batch in batches(cursor, t0):
            result.pages += 1
            result.orders_seen += batch.unchanged
            with db.atomic():
                _store_page(db, account_id, account_name, batch.records, batch.known, result, sla)
                if batch.cursor and (result.cursor is None or batch.cursor > result.cursor):
                    result.cursor = batch.cursor
                    set_cursor(db, account_id, CURSOR, batch.cursor)
            if progress:
                progress(result.orders_seen, f"{account_name}: {result.orders_seen} orders")
    except SourceError as error:
        _fail(db, account_id, error)
        raise
    finally:
        result.requests = http.requests_made - before
    with db.atomic():
        set_account_sync_state(db, account_id, "idle")
    return result


def sync_shopify(
    db: Database,
    account_id: int,
    account_name: str,
    client: ShopifyClient,
    *,
    now: str | None = None,
    page_size: int | None = None,
    sla: SlaPolicies | None = None,
    progress: Progress | None = None,
) -> ShopSyncResult:
    """One poll of a Shopify shop; raises ``SourceError`` after recording it on the account."""

    def batches(cursor: str | None, t0: str) -> Iterator[_Batch]:
        # Pages are sorted by updatedAt, so every page may move the cursor (never past T0).
        since = _since(cursor, t0, INITIAL_WINDOW)
        for page in client.orders_updated(since, t0, page_size=page_size):
            known = stored_versions(db, account_id, [o.external_id for o in page.orders])
            newest = max((o.updated_at for o in page.orders if o.updated_at), default=None)
            yield _Batch(page.orders, known, cursor=min(newest, t0) if newest else None)

    return _poll(
        db, account_id, account_name, client.http, batches, now=now, sla=sla, progress=progress
    )


def sync_woocommerce(
    db: Database,
    account_id: int,
    account_name: str,
    client: WooCommerceClient,
    *,
    now: str | None = None,
    sla: SlaPolicies | None = None,
    progress: Progress | None = None,
) -> ShopSyncResult:
    """One poll of a WooCommerce store; raises ``SourceError`` after recording it."""

    def batches(cursor: str | None, t0: str) -> Iterator[_Batch]:
        # Pages come in id order: the newest change is known only after the last page.
        notes_since = to_iso(from_iso(t0) - NOTES_WINDOW)
        newest = cursor
        for page in client.orders_modified(_since(cursor, t0, None)):
            records = [client.map(raw) for raw in page.orders]
            known = stored_versions(db, account_id, [r.external_id for r in records])
            fresh = []
            for record in records:
                if known.get(record.external_id) == record.updated_at:
                    continue  # unchanged: no notes request, no write
                if record.updated_at >= notes_since:  # one request per changed order
                    record = replace(record, notes=client.notes(record.external_id))
                fresh.append(record)
                if record.updated_at and (newest is None or record.updated_at > newest):
                    newest = record.updated_at
            last = page.page >= page.total_pages
            yield _Batch(fresh, known, len(records) - len(fresh), newest if last else None)

    return _poll(
        db, account_id, account_name, client.http, batches, now=now, sla=sla, progress=progress
    )
