"""Orders for the demo: items, money in the customer's currency, shipments and shop notes.

Totals are decimal text computed from integer minor units, so they add up exactly
as a shop's would. Order numbers follow the time an order was placed, like a real
shop's counter, and never repeat.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from csconsole.domain.orders import LineItem, OrderNoteRecord, OrderRecord, ShipmentRecord
from csconsole.domain.text import normalize_email, normalize_phone
from csconsole.sources.demo_catalogue import (
    CARRIERS,
    CURRENCIES,
    PRODUCTS,
    SHIPMENT_RAW,
    Carrier,
    Product,
)
from csconsole.sources.demo_content import OrderState
from csconsole.sources.demo_records import iso

_SHIPPING_MINOR = {"USD": 790, "EUR": 590, "SAR": 2500, "IRT": 80_000, "IRR": 800_000}
_TAX_RATE = {"USD": 0.0, "EUR": 0.0, "SAR": 0.15, "IRT": 0.10, "IRR": 0.10}
_COD_FEE = {
    "USD": "5.00 USD",
    "EUR": "4.00 EUR",
    "SAR": "15 ريال",
    "IRT": "۳۰٬۰۰۰ تومان",
    "IRR": "۳۰۰٬۰۰۰ ریال",
}
_PAYMENT = {
    "en": ("card", "paypal", "card"),
    "ar": ("mada", "apple_pay", "card"),
    "fa": ("zarinpal", "card", "zarinpal"),
}


@dataclass(frozen=True)
class Buyer:
    """What an order needs to know about the customer placing it."""

    name: str
    language: str
    email: str
    phone: str
    address: dict[str, str]
    currency: str


@dataclass(frozen=True)
class BuiltOrder:
    """An order record plus the facts a conversation about it quotes."""

    record: OrderRecord
    product: Product
    size: str
    carrier: Carrier | None
    tracking: str
    tracking_url: str
    amount: str
    cod_fee: str


class OrderNumbers:
    """Hands out unique order numbers that grow with the time an order was placed.

    Slice ``index`` of ``slices`` takes numbers ``1001 + slot * slices + index``, so
    slices generated apart never hand out the same number.
    """

    def __init__(
        self, start: datetime, end: datetime, expected: int, index: int = 0, slices: int = 1
    ) -> None:
        self._start = start
        self._seconds = max(1.0, (end - start).total_seconds())
        self._span = max(100, int(expected * 1.3))
        self._index = index
        self._slices = slices
        self._next_free: dict[int, int] = {}  # taken slot -> a later candidate

    def _free(self, slot: int) -> int:
        path = []
        while slot in self._next_free:
            path.append(slot)
            slot = self._next_free[slot]
        for taken in path:  # path compression keeps busy days cheap
            self._next_free[taken] = slot
        return slot

    def take(self, placed: datetime) -> str:
        fraction = min(1.0, max(0.0, (placed - self._start).total_seconds() / self._seconds))
        slot = self._free(int(fraction * self._span))
        self._next_free[slot] = slot + 1
        return str(1001 + slot * self._slices + self._index)


def money(minor: int, decimals: int) -> str:
    """Integer minor units as decimal text: 12345, 2 -> '123.45'."""
    if decimals == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    whole, part = divmod(abs(minor), 10**decimals)
    return f"{sign}{whole}.{part:0{decimals}d}"


def _tracking(rng: random.Random, carrier: Carrier) -> str:
    digits = f"{rng.randrange(10**carrier.digits):0{carrier.digits}d}"
    if carrier.prefix == "1Z":
        digits = "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16))
    return f"{carrier.prefix}{digits}{carrier.suffix}"


def _unit_price(product: Product, currency: str, rate: float, decimals: int) -> int:
    if decimals == 0:
        return int(round(product.usd * rate, -4))  # Iranian prices end in round thousands
    whole = max(1, round(product.usd * rate))
    return whole * 100 - (1 if currency in {"USD", "EUR"} else 0)  # 78.99, but 296.00 SAR


def _raw_status(financial: str, fulfillment: str) -> str:
    if financial == "voided" or (financial == "refunded" and fulfillment == "unfulfilled"):
        return "cancelled"
    if financial == "refunded":
        return "refunded"
    if financial in {"authorized", "partially_paid"}:
        return "on-hold"
    if financial == "pending":
        return "pending" if fulfillment == "unfulfilled" else "processing"
    if fulfillment in {"fulfilled", "returned"}:
        return "completed"
    return "processing"


def build_order(
    rng: random.Random,
    buyer: Buyer,
    state: OrderState,
    *,
    number: str,
    placed: datetime,
    now: datetime,
    product: Product | None = None,
    note: str = "",
    cod: bool = False,
    shipped_note: str = "",
    packed_note: str = "",
) -> BuiltOrder:
    """One order in the given (financial, fulfillment, shipment) state."""
    financial, fulfillment, shipment_status = state
    lang = buyer.language
    currency = buyer.currency
    rate, decimals = CURRENCIES[currency]
    product = product or rng.choice(PRODUCTS)
    lines = [product, *rng.sample(PRODUCTS, rng.choice((0, 0, 1, 2)))]
    items: list[LineItem] = []
    subtotal = 0
    scale = 10**decimals
    for index, item in enumerate({p.sku: p for p in lines}.values()):
        unit = _unit_price(item, currency, rate, decimals)
        quantity = 1 if index == 0 else rng.choice((1, 1, 2))
        name = item.names[lang]
        size = rng.choice(item.sizes) if item.sizes else ""
        if size:
            name = f"{name} ({size})"
        items.append(
            LineItem(name, quantity, item.sku, money(unit, decimals), f"li-{number}-{index}")
        )
        subtotal += unit * quantity
    size = rng.choice(product.sizes) if product.sizes else ""
    shipping = _SHIPPING_MINOR[currency] if subtotal < 150 * rate * scale else 0
    tax = round(subtotal * _TAX_RATE[currency])
    total = subtotal + shipping + tax
    first_price = _unit_price(product, currency, rate, decimals)
    refunded = {"refunded": total, "partially_refunded": min(first_price, total)}.get(financial)
    pending_cod = cod or (financial == "pending" and rng.random() < 0.7)
    payment = "cod" if pending_cod else rng.choice(_PAYMENT[lang])
    if financial == "pending" and not pending_cod:
        payment = "bank_transfer"
    carrier: Carrier | None = None
    tracking = url = ""
    shipments: tuple[ShipmentRecord, ...] = ()
    notes: list[OrderNoteRecord] = []
    latest = placed
    if shipment_status is not None:
        carrier = rng.choice(CARRIERS[currency])
        tracking = _tracking(rng, carrier)
        url = carrier.url.format(n=tracking)
        shipped = min(placed + timedelta(hours=rng.uniform(4, 40)), now - timedelta(minutes=30))
        shipped = max(shipped, placed)
        eta = shipped + timedelta(days=rng.randint(2, 6))
        delivered = None
        if shipment_status == "delivered":
            delivered = min(
                shipped + timedelta(hours=rng.uniform(20, 96)), now - timedelta(hours=1)
            )
            delivered = max(delivered, shipped)
        updated = delivered or min(shipped + timedelta(hours=rng.uniform(1, 60)), now)
        latest = max(latest, updated)
        shipments = (
            ShipmentRecord(
                external_id=f"ful-{number}",
                carrier=carrier.name,
                tracking_number=tracking,
                tracking_url=url,
                status=shipment_status,
                status_raw=SHIPMENT_RAW[shipment_status],
                shipped_at=iso(shipped),
                estimated_delivery=iso(eta),
                delivered_at=iso(delivered) if delivered else None,
                updated_at=iso(updated),
            ),
        )
        packed = iso(max(placed, shipped - timedelta(minutes=rng.randint(20, 300))))
        notes.append(OrderNoteRecord(f"n-{number}-1", packed_note, packed, "warehouse", False))
        body = shipped_note.format(carrier=carrier.name, tracking=tracking)
        notes.append(OrderNoteRecord(f"n-{number}-2", body, iso(shipped), "warehouse", True))
    raw_status = _raw_status(financial, fulfillment)
    cancelled = None
    if raw_status == "cancelled":
        cancelled = iso(min(placed + timedelta(hours=rng.uniform(1, 30)), now))
        latest = max(latest, min(placed + timedelta(hours=30), now))
    record = OrderRecord(
        external_id=f"demo-{number}",
        number=number,
        updated_at=iso(latest),
        customer_name=buyer.name,
        email=normalize_email(buyer.email) if buyer.email else "",
        phone=normalize_phone(buyer.phone) if buyer.phone else "",
        status=raw_status,
        financial_status=financial,
        fulfillment_status=fulfillment,
        currency=currency,
        total=money(total, decimals),
        subtotal=money(subtotal, decimals),
        shipping_total=money(shipping, decimals),
        tax_total=money(tax, decimals),
        refunded_total=money(refunded, decimals) if refunded is not None else None,
        payment_method=payment,
        items=tuple(items),
        shipping_address=buyer.address,
        note=note,
        placed_at=iso(placed),
        cancelled_at=cancelled,
        closed_at=cancelled,
        shipments=shipments,
        notes=tuple(notes),
        language=lang,
    )
    return BuiltOrder(
        record,
        product,
        size,
        carrier,
        tracking,
        url,
        f"{record.total} {currency}",
        _COD_FEE[currency],
    )
