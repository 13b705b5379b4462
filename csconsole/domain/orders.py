"""Shop orders in one shape, whichever platform they came from.

Sources map the platform's JSON into these records; the store keeps them. Money
stays decimal text (never float) and every time is stored ISO-8601 UTC text.
Platform status strings are kept raw beside the canonical shipment status,
because new API versions add values we cannot know today.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LineItem:
    """One line of an order as the customer bought it."""

    name: str
    quantity: int
    sku: str = ""
    price: str = ""  # unit price, decimal text
    external_id: str = ""


@dataclass(frozen=True)
class ShipmentRecord:
    """A fulfilment or tracking entry of an order."""

    external_id: str
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    status: str = ""  # canonical, see SHIPMENT_STATUS
    status_raw: str = ""
    shipped_at: str | None = None
    estimated_delivery: str | None = None
    delivered_at: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True)
class OrderNoteRecord:
    """A note written on the order in the shop: private, or shown to the customer."""

    external_id: str
    body: str
    created_at: str
    author: str = ""
    customer_visible: bool = False


@dataclass(frozen=True)
class OrderRecord:
    """An order as the store keeps it; ``raw`` is the platform's JSON text."""

    external_id: str
    number: str
    updated_at: str
    customer_name: str = ""
    email: str = ""
    phone: str = ""
    status: str = ""
    financial_status: str = ""
    fulfillment_status: str = ""
    currency: str = ""
    total: str = "0"
    subtotal: str | None = None
    shipping_total: str | None = None
    tax_total: str | None = None
    refunded_total: str | None = None
    payment_method: str = ""
    items: tuple[LineItem, ...] = ()
    shipping_address: dict[str, str] = field(default_factory=dict)
    note: str = ""  # the customer's note from checkout
    placed_at: str | None = None
    cancelled_at: str | None = None
    closed_at: str | None = None
    shipments: tuple[ShipmentRecord, ...] = ()
    notes: tuple[OrderNoteRecord, ...] = ()
    language: str | None = None
    raw: str = "{}"


# Canonical shipment statuses (the order pane shows these; the raw value stays beside).
SHIPMENT_STATUS: dict[str, str] = {
    "LABEL_PURCHASED": "label_created",
    "LABEL_PRINTED": "label_created",
    "CONFIRMED": "label_created",
    "SUBMITTED": "label_created",
    "CARRIER_PICKED_UP": "in_transit",
    "IN_TRANSIT": "in_transit",
    "DELAYED": "in_transit",
    "OUT_FOR_DELIVERY": "out_for_delivery",
    "READY_FOR_PICKUP": "pickup_ready",
    "ATTEMPTED_DELIVERY": "attempt_failed",
    "DELIVERED": "delivered",
    "PICKED_UP": "delivered",
    "FAILURE": "exception",
    "NOT_DELIVERED": "exception",
    "CANCELED": "exception",
    "FULFILLED": "shipped",
    "MARKED_AS_FULFILLED": "shipped",
    "SUCCESS": "shipped",
}


def canonical_shipment_status(raw: str) -> str:
    """The pane's status word for a platform's value; unknown values read 'unknown'."""
    if not raw:
        return ""
    return SHIPMENT_STATUS.get(raw.upper(), "unknown")
