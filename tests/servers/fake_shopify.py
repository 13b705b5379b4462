"""A loopback Shopify: the client-credentials token endpoint and the GraphQL Admin API
for the documents csconsole sends (orders window with keyset cursors, one order,
transactions, orderUpdate, orderCancel, refundCreate).

It answers like the documented API: ``data``/``errors``/``extensions.cost`` with a
leaky bucket (``throttleStatus``), ``THROTTLED`` errors, ``MAX_COST_EXCEEDED`` over
1000 requested points, 401 ``{"errors": "[API] Invalid API key or access token …"}``
for unknown tokens. Operations are recognised by their operation name.
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import re
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.servers.fake_http import FakeServer, Reply, Request

FIXTURES = Path(__file__).parent.parent / "fixtures" / "shops"
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
NAMES = ("فاطمة الزهراء", "علی رضایی", "محمد العتيبي", "زهرا احمدی", "نورة القحطاني", "Sam Lee")


def fixture_orders() -> list[dict[str, Any]]:
    return list(json.loads((FIXTURES / "shopify_orders.json").read_text(encoding="utf-8")))


@functools.cache
def _template() -> dict[str, Any]:
    return fixture_orders()[0]


def make_order(number: int, updated_at: str, *, currency: str = "SAR") -> dict[str, Any]:
    """A generated order shaped like the fixtures (for paging tests and the benchmark)."""
    order = copy.deepcopy(_template())
    name = NAMES[number % len(NAMES)]
    order.update(
        id=f"gid://shopify/Order/{900000 + number}",
        legacyResourceId=str(900000 + number),
        name=f"#{number}",
        createdAt=updated_at,
        processedAt=updated_at,
        updatedAt=updated_at,
        email=f"buyer{number}@example.sa",
        phone=f"+96650{number:07d}",
        note="",
    )
    order["customer"] = {
        "id": f"gid://shopify/Customer/{800000 + number}",
        "displayName": name,
        "defaultEmailAddress": {"emailAddress": f"buyer{number}@example.sa"},
        "defaultPhoneNumber": None,
    }
    money = {"shopMoney": {"amount": f"{100 + number % 900}.00", "currencyCode": currency}}
    order["currentTotalPriceSet"] = money
    return order


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeShopify(FakeServer):
    """State: orders (GraphQL node shape), issued tokens, a cost bucket."""

    def __init__(
        self,
        orders: list[dict[str, Any]] | None = None,
        *,
        client_id: str = "client-id",
        client_secret: str = "client-secret",
        token_lifetime: int = 86_399,
        cost_per_order: int = 40,
        actual_per_order: int = 12,
        bucket: float = 2000.0,
        restore_rate: float = 100.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.orders: dict[str, dict[str, Any]] = {o["id"]: o for o in (orders or [])}
        self.transactions: dict[str, list[dict[str, Any]]] = {}
        self.client_id, self.client_secret = client_id, client_secret
        self.token_lifetime = token_lifetime
        self.tokens: set[str] = set()
        self.tokens_issued = 0
        self.cost_per_order, self.actual_per_order = cost_per_order, actual_per_order
        self.bucket_max, self.restore_rate = bucket, restore_rate
        self.available, self._last_fill = bucket, time.monotonic()
        self.graphql_bodies: list[dict[str, Any]] = []
        self.throttled = 0
        self.spent = 0  # points consumed, for the benchmark

    # -- helpers for tests ---------------------------------------------------

    def touch(self, order_id: str, **changes: Any) -> None:
        """Change an order the way the shop admin would (updatedAt moves to now)."""
        with self.lock:
            order = self.orders[order_id]
            order.update(changes)
            order["updatedAt"] = _iso(datetime.now(UTC))

    def add(self, order: dict[str, Any]) -> None:
        with self.lock:
            self.orders[order["id"]] = order

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    # -- HTTP ------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        if request.path == "/admin/oauth/access_token" and request.method == "POST":
            return self._token(request)
        if re.fullmatch(r"/admin/api/[\w-]+/graphql\.json", request.path):
            if request.headers.get("x-shopify-access-token") not in self.tokens:
                return Reply(401, {"errors": INVALID_TOKEN})
            return self._graphql(request.json())
        return Reply(404, {"errors": "Not Found"})

    def _token(self, request: Request) -> Reply:
        form = request.form()
        if form.get("grant_type") != "client_credentials":
            return Reply(400, {"error": "unsupported_grant_type"})
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            return Reply(400, {"error": "invalid_client", "error_description": "Bad credentials"})
        with self.lock:
            self.tokens_issued += 1
            token = f"shpat_fake{self.tokens_issued:04d}"
            self.tokens.add(token)
        body = {"access_token": token, "scope": "read_orders,write_orders,read_customers"}
        return Reply(200, {**body, "expires_in": self.token_lifetime})

    def _cost(self, requested: int, actual: int | None) -> dict[str, Any]:
        return {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": {
                "maximumAvailable": self.bucket_max,
                "currentlyAvailable": round(self.available),
                "restoreRate": self.restore_rate,
            },
        }

    def _graphql(self, body: dict[str, Any]) -> Reply:
        query, variables = body.get("query", ""), body.get("variables") or {}
        operation = re.search(r"(?:query|mutation)\s+(\w+)", query)
        name = operation.group(1) if operation else ""
        with self.lock:
            self.graphql_bodies.append({"operation": name, "variables": variables})
            now = time.monotonic()
            self.available = min(
                self.bucket_max, self.available + (now - self._last_fill) * self.restore_rate
            )
            self._last_fill = now
            first = int(variables.get("first") or 1)
            requested = 2 + first * self.cost_per_order if name == "OrdersSince" else 11
            if requested > 1000:
                message = (
                    f"Query cost is {requested}, which exceeds the single query max cost "
                    "limit (1000)."
                )
                error = {
                    "message": message,
                    "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": 1000},
                }
                return Reply(
                    200, {"errors": [error], "extensions": {"cost": self._cost(requested, None)}}
                )
            if requested > self.available:
                self.throttled += 1
                throttled = {"message": "Throttled", "extensions": {"code": "THROTTLED"}}
                return Reply(
                    200,
                    {"errors": [throttled], "extensions": {"cost": self._cost(requested, None)}},
                )
            handler = getattr(self, f"_op_{name}", None)
            if handler is None:
                error = {"message": f"Unknown operation {name!r} in the fake"}
                return Reply(200, {"errors": [error]})
            data, nodes = handler(variables)
            actual = 2 + nodes * self.actual_per_order if name == "OrdersSince" else 10
            self.available -= actual
            self.spent += actual
            return Reply(200, {"data": data, "extensions": {"cost": self._cost(requested, actual)}})

    # -- operations ------------------------------------------------------------

    def _op_OrdersSince(self, variables: dict[str, Any]) -> tuple[dict[str, Any], int]:
        first = int(variables["first"])
        if first > 250:
            raise ValueError("first must be <= 250")
        since = re.search(r"updated_at:>='([^']+)'", variables["q"])
        until = re.search(r"updated_at:<='([^']+)'", variables["q"])
        matching = sorted(
            (
                o
                for o in self.orders.values()
                if (not since or o["updatedAt"] >= since.group(1))
                and (not until or o["updatedAt"] <= until.group(1))
            ),
            key=lambda o: (o["updatedAt"], int(o["legacyResourceId"])),
        )
        if variables.get("cursor"):
            after = json.loads(base64.b64decode(variables["cursor"]))
            key = (after["u"], after["id"])
            matching = [o for o in matching if (o["updatedAt"], int(o["legacyResourceId"])) > key]
        page = matching[:first]
        end = None
        if page:
            last = page[-1]
            raw = json.dumps({"u": last["updatedAt"], "id": int(last["legacyResourceId"])})
            end = base64.b64encode(raw.encode()).decode()
        info = {"hasNextPage": len(matching) > first, "endCursor": end}
        return {"orders": {"pageInfo": info, "nodes": copy.deepcopy(page)}}, len(page)

    def _op_OrderById(self, variables: dict[str, Any]) -> tuple[dict[str, Any], int]:
        return {"order": copy.deepcopy(self.orders.get(variables["id"]))}, 1

    def _op_OrderTransactions(self, variables: dict[str, Any]) -> tuple[dict[str, Any], int]:
        order = self.orders.get(variables["id"])
        if order is None:
            return {"order": None}, 0
        total = order["currentTotalPriceSet"]["shopMoney"]
        transactions = self.transactions.get(order["id"]) or [
            {
                "id": f"gid://shopify/OrderTransaction/{order['legacyResourceId']}1",
                "gateway": (order.get("paymentGatewayNames") or ["manual"])[0],
                "kind": "SALE",
                "status": "SUCCESS",
                "amountSet": {"shopMoney": dict(total)},
            }
        ]
        self.transactions[order["id"]] = transactions
        node = {"id": order["id"], "name": order["name"], "transactions": transactions}
        return {"order": node}, 1

    def _op_OrderNote(self, variables: dict[str, Any]) -> tuple[dict[str, Any], int]:
        data = variables["input"]
        order = self.orders.get(data["id"])
        if order is None:
            errors = [{"field": ["id"], "message": "Order does not exist"}]
            return {"orderUpdate": {"order": None, "userErrors": errors}}, 0
        order["note"] = data["note"]
        order["updatedAt"] = _iso(datetime.now(UTC))
        node = {"id": order["id"], "note": order["note"], "updatedAt": order["updatedAt"]}
        return {"orderUpdate": {"order": node, "userErrors": []}}, 1

    def _op_OrderCancel(self, variables: dict[str, Any]) -> tuple[dict[str, Any], int]:
        order = self.orders.get(variables["orderId"])
        if order is None or order.get("cancelledAt"):
            message = "Order has already been cancelled" if order else "Order does not exist"
            errors = [{"field": ["orderId"], "message": message, "code": "INVALID"}]
            return {"orderCancel": {"job": None, "orderCancelUserErrors": errors}}, 0
        now = _iso(datetime.now(UTC))
        order.update(cancelledAt=now, cancelReason=variables["reason"], updatedAt=now)
        if (variables.get("refundMethod") or {}).get("originalPaymentMethodsRefund"):
            order["displayFinancialStatus"] = "REFUNDED"
            order["totalRefundedSet"] = copy.deepcopy(order["currentTotalPriceSet"])
        job = {"id": f"gid://shopify/Job/{order['legacyResourceId']}", "done": False}
        return {"orderCancel": {"job": job, "orderCancelUserErrors": []}}, 1

    def _op_RefundCreate(self, variables: dict[str, Any]) -> tuple[dict[str, Any], int]:
        data = variables["input"]
        order = self.orders.get(data["orderId"])
        if order is None:
            errors = [{"field": ["orderId"], "message": "Order does not exist"}]
            return {"refundCreate": {"refund": None, "userErrors": errors}}, 0
        money = order["currentTotalPriceSet"]["shopMoney"]
        refunded = Decimal(
            (order.get("totalRefundedSet") or {"shopMoney": {"amount": "0"}})["shopMoney"]["amount"]
        )
        amount = sum(Decimal(t["amount"]) for t in data.get("transactions") or [])
        if refunded + amount > Decimal(money["amount"]):
            errors = [
                {
                    "field": ["transactions"],
                    "message": "Refund amount exceeds the refundable amount",
                }
            ]
            return {"refundCreate": {"refund": None, "userErrors": errors}}, 0
        refunded += amount
        full = refunded >= Decimal(money["amount"])
        order["displayFinancialStatus"] = "REFUNDED" if full else "PARTIALLY_REFUNDED"
        order["totalRefundedSet"] = {
            "shopMoney": {"amount": str(refunded), "currencyCode": money["currencyCode"]}
        }
        order["updatedAt"] = _iso(datetime.now(UTC) + timedelta(seconds=0))
        refund = {
            "id": f"gid://shopify/Refund/{len(self.graphql_bodies)}",
            "totalRefundedSet": {
                "shopMoney": {"amount": str(amount), "currencyCode": money["currencyCode"]}
            },
        }
        return {"refundCreate": {"refund": refund, "userErrors": []}}, 1
