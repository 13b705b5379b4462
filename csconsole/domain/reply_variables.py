"""The variables a canned response can use, built from what the store knows.

The context is plain dicts and lists (the template language reads nothing else).
``VARIABLES`` documents every name for ``csconsole canned new`` and the picker.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csconsole.domain.text import sanitize

VARIABLES: dict[str, str] = {
    "customer.name": "the customer's full name",
    "customer.first_name": "the first word of the customer's name",
    "customer.email": "the customer's email address",
    "customer.phone": "the customer's phone number",
    "conversation.subject": "the subject of the conversation",
    "order.number": "the linked order's number, as the customer sees it",
    "order.status": "the order's status in the shop",
    "order.payment_status": "paid / pending / refunded ...",
    "order.fulfillment_status": "unfulfilled / partial / fulfilled ...",
    "order.total": "the order total (use | money)",
    "order.refunded_total": "the refunded amount (use | money)",
    "order.currency": "the order's currency code",
    "order.items": "the ordered items (use | list)",
    "order.placed_at": "when the order was placed (use | date)",
    "order.payment_method": "how the customer paid",
    "order.shipping_address.city": "the delivery city",
    "tracking.carrier": "the carrier of the latest shipment",
    "tracking.number": "its tracking number",
    "tracking.url": "its tracking link",
    "tracking.status": "in_transit / delivered ...",
    "tracking.shipped_at": "when it left (use | date)",
    "tracking.eta": "the estimated delivery date (use | date)",
    "shop.name": "the shop's name",
    "shop.url": "the shop's address",
    "shop.return_days": "days a customer has to return (from canned/_shop.toml)",
    "agent.name": "your name (replies.agent_name)",
    "agent.first_name": "your first name",
}


def _clean(value: Any) -> Any:
    """Text from the wire is sanitised before it can reach a reply or the screen."""
    if isinstance(value, str):
        return sanitize(value, multiline=True)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    return value


def _first_name(name: str) -> str:
    words = name.replace('"', " ").split()
    return words[0] if words else ""


def build_context(
    facts: Mapping[str, Any],
    *,
    agent_name: str = "",
    shop: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Template variables from ``store.reply_context.conversation_facts``."""
    context: dict[str, Any] = {}
    customer = facts.get("customer") or {}
    last_in = facts.get("last_in") or {}
    contacts = facts.get("contacts") or {}
    order = facts.get("order")
    name = str(customer.get("display_name") or last_in.get("from_name") or "")
    if not name and order:
        name = str(order.get("customer_name") or "")
    emails = contacts.get("email") or ([last_in["from_addr"]] if last_in.get("from_addr") else [])
    context["customer"] = {
        "name": name,
        "first_name": _first_name(name),
        "email": emails[0] if emails else "",
        "phone": (contacts.get("phone") or [""])[0],
        "language": customer.get("language") or "",
    }
    conversation = facts.get("conversation") or {}
    context["conversation"] = {
        "id": conversation.get("id"),
        "subject": conversation.get("subject") or "",
        "channel": conversation.get("channel") or "",
    }
    shop_info: dict[str, Any] = dict(shop or {})
    if order:
        items = [
            {
                "name": item.get("name") or item.get("title") or "",
                "sku": item.get("sku") or "",
                "quantity": item.get("quantity") or 1,
                "price": item.get("price") or "",
            }
            for item in order.get("items") or []
            if isinstance(item, dict)
        ]
        context["order"] = {
            "number": order.get("number") or "",
            "status": order.get("status") or "",
            "payment_status": order.get("financial_status") or "",
            "fulfillment_status": order.get("fulfillment_status") or "",
            "total": order.get("total") or "",
            "subtotal": order.get("subtotal") or "",
            "shipping_total": order.get("shipping_total") or "",
            "refunded_total": order.get("refunded_total") or "",
            "currency": order.get("currency") or "",
            "items": items,
            "placed_at": order.get("placed_at") or "",
            "cancelled_at": order.get("cancelled_at") or "",
            "payment_method": order.get("payment_method") or "",
            "shipping_address": order.get("shipping_address") or {},
            "note": order.get("note") or "",
        }
        shop_info.setdefault("name", order.get("shop_name") or "")
        shop_info.setdefault("url", order.get("shop_url") or "")
        shop_info.setdefault("currency", order.get("currency") or "")
    shipment = facts.get("shipment")
    if shipment:
        context["tracking"] = {
            "carrier": shipment.get("carrier") or "",
            "number": shipment.get("tracking_number") or "",
            "url": shipment.get("tracking_url") or "",
            "status": shipment.get("status") or "",
            "shipped_at": shipment.get("shipped_at") or "",
            "eta": shipment.get("estimated_delivery") or "",
            "delivered_at": shipment.get("delivered_at") or "",
        }
    account = facts.get("account") or {}
    if not shop_info.get("name") and account.get("kind") != "imap":
        shop_info["name"] = account.get("display_name") or ""
    context["shop"] = shop_info
    context["agent"] = {"name": agent_name, "first_name": _first_name(agent_name)}
    return _clean(context)  # type: ignore[no-any-return]
