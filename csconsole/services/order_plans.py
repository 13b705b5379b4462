"""What an order action will do, worked out before anything is sent.

A plan is a frozen value the confirm dialog shows line by line: the amount and
currency, whether stock goes back, whether the payment gateway is called, whether
the customer is emailed, and whether it can be undone. ``request`` is the exact
body that will be sent (the reason is added to it at execution when the API has a
field for it). Plans never change anything; building some needs one read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from csconsole.sources.shopify import ShopifyClient
from csconsole.sources.shopify_mapping import ORDER_TRANSACTIONS_QUERY
from csconsole.sources.woocommerce import WooCommerceClient

Action = Literal["note", "completed", "on-hold", "cancel", "refund"]
MANUAL_GATEWAYS = {"", "manual", "cash_on_delivery", "cod", "bacs", "cheque", "bank_deposit"}


class ActionNotPossible(ValueError):
    """The action cannot be planned for this order (wrong platform, nothing to refund …)."""


@dataclass(frozen=True)
class OrderActionPlan:
    """Everything a confirm dialog must show; pass it unchanged to ``execute``."""

    action: Action
    order_id: int
    external_id: str
    number: str
    shop: str
    platform: str
    title: str
    lines: tuple[str, ...]
    amount: str | None = None
    currency: str = ""
    restock: bool = False
    calls_gateway: bool = False
    notifies_customer: bool = False
    irreversible: bool = False
    request: Mapping[str, Any] = field(default_factory=dict)
    conversation_id: int | None = None
    refundable: str | None = None  # a refund's ceiling: what the order has left to refund
    gateway: str = ""  # the payment gateway a refund goes through (or is recorded against)


def _dec(value: Any) -> Decimal:
    try:
        return Decimal(str(value or "0"))
    except InvalidOperation:
        return Decimal(0)


def _base(order: Mapping[str, Any], conversation_id: int | None) -> dict[str, Any]:
    return {
        "order_id": int(order["id"]),
        "external_id": str(order["external_id"]),
        "number": str(order["number"]),
        "shop": str(order["account_name"]),
        "platform": str(order["platform"]),
        "currency": str(order.get("currency") or ""),
        "conversation_id": conversation_id,
    }


def plan_note(
    order: Mapping[str, Any],
    text: str,
    *,
    customer_visible: bool,
    client: ShopifyClient | WooCommerceClient,
    conversation_id: int | None = None,
) -> OrderActionPlan:
    """Add a note to the order in the shop."""
    text = text.strip()
    if not text:
        raise ActionNotPossible("the note is empty")
    base = _base(order, conversation_id)
    if isinstance(client, ShopifyClient):
        if customer_visible:
            raise ActionNotPossible("Shopify order notes are never shown to the customer")
        fresh = client.order(base["external_id"])  # orderUpdate overwrites: start from now
        current = fresh.note if fresh else str(order.get("note") or "")
        note = f"{current.rstrip()}\n{text}" if current.strip() else text
        return OrderActionPlan(
            action="note",
            title=f"Add a note to order #{base['number']}",
            lines=(
                "The order's note in Shopify becomes:",
                note,
                "Private: the customer does not see it and gets no email.",
            ),
            request={"input": {"id": base["external_id"], "note": note}},
            **base,
        )
    return OrderActionPlan(
        action="note",
        title=f"Add a {'customer' if customer_visible else 'private'} note to #{base['number']}",
        lines=(
            text,
            "The customer sees this note and WooCommerce emails it to them."
            if customer_visible
            else "Private: only shop staff see it.",
        ),
        notifies_customer=customer_visible,
        request={"note": text, "customer_note": customer_visible},
        **base,
    )


def plan_status(order: Mapping[str, Any], status: Action) -> OrderActionPlan:
    """Mark a WooCommerce order completed or on-hold."""
    if order["platform"] != "woocommerce":
        raise ActionNotPossible("only WooCommerce orders have a status to set")
    if status not in ("completed", "on-hold"):
        raise ActionNotPossible(f"status {status!r} is not offered")
    base = _base(order, None)
    return OrderActionPlan(
        action=status,
        title=f"Mark order #{base['number']} {status}",
        lines=(
            f"Status: {order.get('status')} → {status}.",
            "WooCommerce emails the customer if the store's email settings say so.",
            "No money moves and stock does not change.",
        ),
        notifies_customer=True,
        request={"status": status},
        **base,
    )


def plan_cancel(
    order: Mapping[str, Any],
    *,
    restock: bool = True,
    refund: bool = False,
    notify_customer: bool = False,
    conversation_id: int | None = None,
) -> OrderActionPlan:
    """Cancel the order; on Shopify optionally refunding to the original payment."""
    if order.get("cancelled_at") or order.get("status") == "cancelled":
        raise ActionNotPossible(f"order #{order['number']} is already cancelled")
    base = _base(order, conversation_id)
    total = str(order.get("total") or "0")
    if base["platform"] == "shopify":
        money = (
            f"{total} {base['currency']} go back to the original payment method"
            if refund
            else "No money is refunded."
        )
        return OrderActionPlan(
            action="cancel",
            title=f"Cancel order #{base['number']}",
            lines=(
                money,
                "Items are restocked." if restock else "Items are not restocked.",
                "Shopify emails the customer." if notify_customer else "No email to the customer.",
                "This cannot be undone.",
            ),
            amount=total if refund else None,
            restock=restock,
            calls_gateway=refund,
            notifies_customer=notify_customer,
            irreversible=True,
            request={
                "orderId": base["external_id"],
                "reason": "CUSTOMER",
                "restock": restock,
                "notifyCustomer": notify_customer,
                "refundMethod": {"originalPaymentMethodsRefund": refund},
            },
            **base,
        )
    if refund:
        raise ActionNotPossible("WooCommerce cancels without refunding: refund separately")
    return OrderActionPlan(
        action="cancel",
        title=f"Cancel order #{base['number']}",
        lines=(
            f"Status: {order.get('status')} → cancelled.",
            "WooCommerce puts back the stock this order had reduced.",
            "No money is refunded; use Refund for that.",
            "WooCommerce emails per the store's settings.",
        ),
        restock=True,
        notifies_customer=True,
        request={"status": "cancelled"},
        **base,
    )


def plan_refund(
    order: Mapping[str, Any],
    client: ShopifyClient | WooCommerceClient,
    *,
    amount: str | None = None,
    call_gateway: bool = True,
    notify_customer: bool = False,
    conversation_id: int | None = None,
) -> OrderActionPlan:
    """Refund an amount (default: all that is left) without returning line items."""
    base = _base(order, conversation_id)
    left = _dec(order.get("total")) - _dec(order.get("refunded_total"))
    if left <= 0:
        raise ActionNotPossible(f"order #{base['number']} has nothing left to refund")
    if isinstance(client, ShopifyClient):
        parent = _shopify_parent_transaction(client, base["external_id"])
        gateway = str(parent["gateway"])
        calls = gateway.lower() not in MANUAL_GATEWAYS
        request: dict[str, Any] = {
            "input": {
                "orderId": base["external_id"],
                "notify": notify_customer,
                "transactions": [
                    {
                        "orderId": base["external_id"],
                        "parentId": parent["id"],
                        "gateway": gateway,
                        "kind": "REFUND",
                        "amount": "",  # set by refund_amount
                    }
                ],
            }
        }
    else:
        gateway = str(order.get("payment_method") or "")
        calls = call_gateway
        request = {"amount": "", "api_refund": call_gateway, "api_restock": False}
    template = OrderActionPlan(
        action="refund",
        title="",
        lines=(),
        calls_gateway=calls,
        notifies_customer=notify_customer or base["platform"] == "woocommerce",
        irreversible=True,
        request=request,
        refundable=f"{left:f}",
        gateway=gateway,
        **base,
    )
    return refund_amount(template, f"{left:f}" if amount is None else amount)


def refund_amount(plan: OrderActionPlan, amount: str) -> OrderActionPlan:
    """The same refund for another amount, checked against what is left; no network.

    The confirm dialog calls this as the amount is typed, so the text shown and the
    body sent always match. Thousands separators and Persian/Arabic digits are accepted.
    """
    if plan.action != "refund" or plan.refundable is None:
        raise ActionNotPossible("only a refund has an amount to change")
    left = _dec(plan.refundable)
    cleaned = amount.strip().replace("٫", ".")
    for separator in (",", "٬", "_", " "):
        cleaned = cleaned.replace(separator, "")
    try:
        wanted = Decimal(cleaned)
    except InvalidOperation:
        wanted = Decimal("NaN")
    if not wanted.is_finite() or wanted <= 0 or wanted > left:
        shown = amount.strip() or "nothing"
        raise ActionNotPossible(
            f"can refund between 0 and {plan.refundable} {plan.currency}, not {shown}"
        )
    places = max(0, -int(left.as_tuple().exponent))
    step = Decimal(1).scaleb(-places)
    if wanted != wanted.quantize(step):
        raise ActionNotPossible(
            f"{plan.currency or 'this currency'} takes at most {places} decimal places"
        )
    value = f"{wanted.quantize(step):f}"
    if "input" in plan.request:  # Shopify refundCreate: the amount is the transaction's
        request = dict(plan.request)
        transactions = [{**t, "amount": value} for t in request["input"]["transactions"]]
        request["input"] = {**request["input"], "transactions": transactions}
    else:
        request = {**plan.request, "amount": value}
    money_line = (
        f"The payment gateway ({plan.gateway}) is asked to send {value} {plan.currency} back."
        if plan.calls_gateway
        else f"Recorded as a manual refund of {value} {plan.currency}: "
        "no gateway is called, pay the customer yourself."
    )
    rest = f"{(left - wanted).quantize(step):f}"
    partial = (
        (f"Partial refund: {rest} {plan.currency} stays refundable.",) if wanted < left else ()
    )
    return replace(
        plan,
        amount=value,
        title=f"Refund {value} {plan.currency} on order #{plan.number}",
        lines=(
            money_line,
            *partial,
            "No items are restocked (amount-only refund).",
            _refund_email(plan.platform, plan.notifies_customer),
            "A refund cannot be undone.",
        ),
        request=request,
    )


def _refund_email(platform: str, notify_customer: bool) -> str:
    """What the customer receives: Shopify obeys ``notify``; WooCommerce's API has no switch."""
    if platform == "woocommerce":
        # wc_create_refund fires the (partially) refunded order hooks that the
        # "Refunded order" customer email listens to, whatever the REST body says.
        return (
            'WooCommerce emails the customer its "Refunded order" message, '
            "unless that email is turned off in the store's settings."
        )
    return (
        "Shopify emails the customer a refund notification."
        if notify_customer
        else "No email to the customer."
    )


def _shopify_parent_transaction(client: ShopifyClient, order_gid: str) -> Mapping[str, Any]:
    data = client.graphql(ORDER_TRANSACTIONS_QUERY, {"id": order_gid})
    order = data.get("order") or {}
    for transaction in order.get("transactions") or []:
        if (
            transaction.get("kind") in ("SALE", "CAPTURE")
            and transaction.get("status") == "SUCCESS"
        ):
            return dict(transaction)
    raise ActionNotPossible("Shopify shows no successful payment to refund on this order")
