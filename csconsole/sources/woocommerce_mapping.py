"""Pure mapping of WooCommerce REST v3 order and note JSON to order records.

WooCommerce sends ``*_gmt`` times without an offset; they are UTC. Guest orders
have ``customer_id`` 0 and are known only by billing email and phone, which is
what matching uses anyway. Tracking numbers live in plugin metadata: the
Shipment Tracking extension's ``_wc_shipment_tracking_items`` is read here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from csconsole.domain.orders import LineItem, OrderNoteRecord, OrderRecord, ShipmentRecord
from csconsole.domain.text import normalize_email, normalize_phone, sanitize

TRACKING_META_KEYS = ("_wc_shipment_tracking_items", "_aftership_tracking_items")
PAID_STATUSES = {"processing": "paid", "completed": "paid", "refunded": "refunded"}


def gmt(value: Any) -> str | None:
    """'2026-11-20T08:15:00' (GMT, no offset) → '2026-11-20T08:15:00Z'."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def wc_time(iso: str) -> str:
    """Stored UTC text → the offset-less GMT form WooCommerce's date filters expect."""
    return iso.rstrip("Z")


def _text(value: Any) -> str:
    return sanitize(value) if isinstance(value, str) else ""


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _shipments(order: Mapping[str, Any]) -> tuple[ShipmentRecord, ...]:
    shipments: list[ShipmentRecord] = []
    for meta in order.get("meta_data") or []:
        if not isinstance(meta, Mapping) or meta.get("key") not in TRACKING_META_KEYS:
            continue
        for item in meta.get("value") or []:
            if not isinstance(item, Mapping):
                continue
            shipped = str(item.get("date_shipped") or "")
            shipped_at = (
                datetime.fromtimestamp(int(shipped), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                if shipped.isdigit()
                else None
            )
            carrier = _text(item.get("tracking_provider") or item.get("custom_tracking_provider"))
            shipments.append(
                ShipmentRecord(
                    external_id=str(item.get("tracking_id") or item.get("tracking_number") or ""),
                    carrier=carrier,
                    tracking_number=_text(item.get("tracking_number")),
                    tracking_url=_text(
                        item.get("custom_tracking_link") or item.get("tracking_link")
                    ),
                    status="shipped",
                    status_raw="",
                    shipped_at=shipped_at,
                )
            )
    return tuple(shipments)


def map_note(note: Mapping[str, Any]) -> OrderNoteRecord:
    """One order note; ``customer_note`` true means the customer saw it and was emailed."""
    return OrderNoteRecord(
        external_id=str(note["id"]),
        body=sanitize(str(note.get("note") or ""), multiline=True),
        created_at=gmt(note.get("date_created_gmt")) or gmt(note.get("date_created")) or "",
        author=_text(note.get("author")),
        customer_visible=bool(note.get("customer_note")),
    )


def map_order(order: Mapping[str, Any], notes: tuple[OrderNoteRecord, ...] = ()) -> OrderRecord:
    """A WooCommerce order object → an order record."""
    billing = order.get("billing") or {}
    shipping = order.get("shipping") or {}
    name = " ".join(
        part for part in (_text(billing.get("first_name")), _text(billing.get("last_name"))) if part
    )
    status = str(order.get("status") or "")
    refunded = sum((abs(_decimal(r.get("total"))) for r in order.get("refunds") or []), Decimal(0))
    items = tuple(
        LineItem(
            name=_text(item.get("name")),
            quantity=int(item.get("quantity") or 0),
            sku=_text(item.get("sku")),
            price=str(item.get("price", "")),
            external_id=str(item.get("id") or ""),
        )
        for item in order.get("line_items") or []
    )
    if status == "refunded" or (refunded and refunded >= _decimal(order.get("total"))):
        financial = "refunded"
    elif refunded:
        financial = "partially_refunded"
    elif order.get("date_paid_gmt") or status in PAID_STATUSES:
        financial = PAID_STATUSES.get(status, "paid")
    else:
        financial = "pending" if status in {"pending", "on-hold"} else status
    return OrderRecord(
        external_id=str(order["id"]),
        number=_text(str(order.get("number") or order["id"])),
        updated_at=gmt(order.get("date_modified_gmt")) or gmt(order.get("date_modified")) or "",
        customer_name=name,
        email=normalize_email(str(billing.get("email") or "")),
        phone=normalize_phone(str(billing.get("phone") or "")),
        status=status,
        financial_status=financial,
        fulfillment_status="fulfilled" if status == "completed" else "unfulfilled",
        currency=_text(order.get("currency")),
        total=str(order.get("total") or "0"),
        shipping_total=str(order["shipping_total"]) if order.get("shipping_total") else None,
        tax_total=str(order["total_tax"]) if order.get("total_tax") else None,
        refunded_total=str(refunded) if refunded else None,
        payment_method=_text(order.get("payment_method_title") or order.get("payment_method")),
        items=items,
        shipping_address={k: _text(v) for k, v in shipping.items() if isinstance(v, str) and v},
        note=sanitize(str(order.get("customer_note") or ""), multiline=True),
        placed_at=gmt(order.get("date_created_gmt")),
        cancelled_at=gmt(order.get("date_modified_gmt")) if status == "cancelled" else None,
        closed_at=gmt(order.get("date_completed_gmt")),
        shipments=_shipments(order),
        notes=notes,
        raw=json.dumps(order, ensure_ascii=False, separators=(",", ":")),
    )
