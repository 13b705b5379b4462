"""Shopify GraphQL Admin documents and the pure mapping of their answers to order records.

The documents ask only for what the order pane shows, with small ``first`` values on
nested connections because each connection's page size adds to the query cost.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from csconsole.domain.clock import from_iso, to_iso
from csconsole.domain.orders import LineItem, OrderRecord, ShipmentRecord, canonical_shipment_status
from csconsole.domain.text import normalize_email, normalize_phone, sanitize

MONEY = "shopMoney { amount currencyCode }"

ORDER_FIELDS = f"""
  id legacyResourceId name createdAt updatedAt processedAt
  cancelledAt cancelReason closedAt customerLocale
  displayFinancialStatus displayFulfillmentStatus
  email phone note tags
  currentTotalPriceSet {{ {MONEY} }}
  currentSubtotalPriceSet {{ {MONEY} }}
  totalShippingPriceSet {{ {MONEY} }}
  currentTotalTaxSet {{ {MONEY} }}
  totalRefundedSet {{ {MONEY} }}
  paymentGatewayNames
  customer {{ id displayName
             defaultEmailAddress {{ emailAddress }}
             defaultPhoneNumber {{ phoneNumber }} }}
  shippingAddress {{ name address1 address2 city province zip country phone }}
  lineItems(first: 20) {{ nodes {{ id title quantity sku
                                  originalUnitPriceSet {{ {MONEY} }} }} }}
  fulfillments(first: 5) {{
    id status displayStatus createdAt updatedAt
    inTransitAt deliveredAt estimatedDeliveryAt
    trackingInfo(first: 5) {{ company number url }}
  }}
"""

ORDERS_QUERY = f"""
query OrdersSince($cursor: String, $q: String!, $first: Int!) {{
  orders(first: $first, after: $cursor, sortKey: UPDATED_AT, query: $q) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ {ORDER_FIELDS} }}
  }}
}}
"""

ORDER_BY_ID_QUERY = f"""
query OrderById($id: ID!) {{
  order(id: $id) {{ {ORDER_FIELDS} }}
}}
"""

ORDER_TRANSACTIONS_QUERY = """
query OrderTransactions($id: ID!) {
  order(id: $id) {
    id name
    transactions(first: 20) {
      id gateway kind status
      amountSet { shopMoney { amount currencyCode } }
    }
  }
}
"""

ORDER_UPDATE_MUTATION = """
mutation OrderNote($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { id note updatedAt }
    userErrors { field message }
  }
}
"""

ORDER_CANCEL_MUTATION = """
mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!,
                     $refundMethod: OrderCancelRefundMethodInput, $notifyCustomer: Boolean,
                     $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, restock: $restock,
              refundMethod: $refundMethod, notifyCustomer: $notifyCustomer,
              staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}
"""

REFUND_CREATE_MUTATION = """
mutation RefundCreate($input: RefundInput!) {
  refundCreate(input: $input) {
    refund { id totalRefundedSet { shopMoney { amount currencyCode } } }
    userErrors { field message }
  }
}
"""


def _money(node: Mapping[str, Any] | None) -> tuple[str | None, str]:
    if not node or not isinstance(node.get("shopMoney"), Mapping):
        return None, ""
    money = node["shopMoney"]
    return str(money.get("amount", "0")), str(money.get("currencyCode") or "")


def _time(value: Any) -> str | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return to_iso(from_iso(value))
    except ValueError:
        return None


def _text(value: Any) -> str:
    return sanitize(value) if isinstance(value, str) else ""


def order_number(name: str) -> str:
    """'#1001' → '1001'; shops with a prefix keep it ('SA-1001')."""
    return sanitize(name).strip().lstrip("#").strip()


def map_shipments(order: Mapping[str, Any]) -> tuple[ShipmentRecord, ...]:
    """One shipment per tracking entry of each fulfilment (or one per bare fulfilment)."""
    shipments: list[ShipmentRecord] = []
    for fulfillment in order.get("fulfillments") or []:
        raw_status = str(fulfillment.get("displayStatus") or fulfillment.get("status") or "")
        tracking = fulfillment.get("trackingInfo") or [{}]
        for index, info in enumerate(tracking):
            suffix = f"#{index}" if index else ""
            shipments.append(
                ShipmentRecord(
                    external_id=f"{fulfillment.get('id', '')}{suffix}",
                    carrier=_text(info.get("company")),
                    tracking_number=_text(info.get("number")),
                    tracking_url=_text(info.get("url")),
                    status=canonical_shipment_status(raw_status),
                    status_raw=raw_status,
                    shipped_at=_time(
                        fulfillment.get("inTransitAt") or fulfillment.get("createdAt")
                    ),
                    estimated_delivery=_time(fulfillment.get("estimatedDeliveryAt")),
                    delivered_at=_time(fulfillment.get("deliveredAt")),
                    updated_at=_time(fulfillment.get("updatedAt")),
                )
            )
    return tuple(shipments)


def map_order(order: Mapping[str, Any]) -> OrderRecord:
    """A Shopify ``Order`` node → an order record."""
    customer = order.get("customer") or {}
    email = order.get("email") or (customer.get("defaultEmailAddress") or {}).get("emailAddress")
    phone = order.get("phone") or (customer.get("defaultPhoneNumber") or {}).get("phoneNumber")
    total, currency = _money(order.get("currentTotalPriceSet"))
    address = order.get("shippingAddress") or {}
    items = tuple(
        LineItem(
            name=_text(item.get("title")),
            quantity=int(item.get("quantity") or 0),
            sku=_text(item.get("sku")),
            price=_money(item.get("originalUnitPriceSet"))[0] or "",
            external_id=str(item.get("id") or ""),
        )
        for item in (order.get("lineItems") or {}).get("nodes") or []
    )
    if order.get("cancelledAt"):
        status = "cancelled"
    elif order.get("closedAt"):
        status = "closed"
    else:
        status = "open"
    gateways = order.get("paymentGatewayNames") or []
    return OrderRecord(
        external_id=str(order["id"]),
        number=order_number(str(order.get("name") or order.get("legacyResourceId") or "")),
        updated_at=_time(order.get("updatedAt")) or "",
        customer_name=_text(customer.get("displayName") or address.get("name")),
        email=normalize_email(email) if isinstance(email, str) else "",
        phone=normalize_phone(phone) if isinstance(phone, str) else "",
        status=status,
        financial_status=str(order.get("displayFinancialStatus") or "").lower(),
        fulfillment_status=str(order.get("displayFulfillmentStatus") or "").lower(),
        currency=currency,
        total=total or "0",
        subtotal=_money(order.get("currentSubtotalPriceSet"))[0],
        shipping_total=_money(order.get("totalShippingPriceSet"))[0],
        tax_total=_money(order.get("currentTotalTaxSet"))[0],
        refunded_total=_money(order.get("totalRefundedSet"))[0],
        payment_method=_text(", ".join(str(g) for g in gateways)),
        items=items,
        shipping_address={k: _text(v) for k, v in address.items() if isinstance(v, str) and v},
        note=sanitize(order.get("note") or "", multiline=True),
        placed_at=_time(order.get("processedAt") or order.get("createdAt")),
        cancelled_at=_time(order.get("cancelledAt")),
        closed_at=_time(order.get("closedAt")),
        shipments=map_shipments(order),
        language=_text(order.get("customerLocale")) or None,
        raw=json.dumps(order, ensure_ascii=False, separators=(",", ":")),
    )


def search_window(since: str | None, until: str) -> str:
    """The ``query`` argument for orders updated in ``[since, until]``."""
    if since:
        return f"updated_at:>='{since}' AND updated_at:<='{until}'"
    return f"updated_at:<='{until}'"
