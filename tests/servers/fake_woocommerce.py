"""A loopback WooCommerce REST API v3 (``/wp-json/wc/v3``): orders, order notes, refunds.

Wire details follow the REST API docs: Basic auth with the consumer key/secret (or
``consumer_key``/``consumer_secret`` query parameters), ``per_page`` 1–100,
``X-WP-Total``/``X-WP-TotalPages``/``Link`` headers, ``modified_after`` honouring
``dates_are_gmt``, and the WordPress error envelope
``{"code": …, "message": …, "data": {"status": …}}``. Switches reproduce field
reports: ``ignore_dates_are_gmt`` (the flag has no effect, dates read as shop-local
time) and ``strip_authorization`` (the host drops the Authorization header).
"""

from __future__ import annotations

import base64
import copy
import functools
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.servers.fake_http import FakeServer, Reply, Request

FIXTURES = Path(__file__).parent.parent / "fixtures" / "shops"
PREFIX = "/wp-json/wc/v3"
STATUSES = {"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"}
LOCAL_OFFSET = timedelta(hours=3, minutes=30)  # the fixture shop keeps Tehran time


def fixture_orders() -> list[dict[str, Any]]:
    return list(json.loads((FIXTURES / "woocommerce_orders.json").read_text(encoding="utf-8")))


def fixture_notes() -> dict[str, list[dict[str, Any]]]:
    return dict(json.loads((FIXTURES / "woocommerce_notes.json").read_text(encoding="utf-8")))


def wp_error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"code": code, "message": message, "data": {"status": status}})


@functools.cache
def _template() -> dict[str, Any]:
    return fixture_orders()[1]


def make_order(number: int, modified_gmt: str) -> dict[str, Any]:
    """A generated order shaped like the fixtures (paging tests, the benchmark)."""
    order = copy.deepcopy(_template())
    order.update(id=number, number=str(number), date_modified_gmt=modified_gmt, meta_data=[])
    order["billing"] = {**order["billing"], "email": f"buyer{number}@example.sa"}
    return order


def _now_gmt() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


class FakeWooCommerce(FakeServer):
    """State: orders by id and their notes."""

    def __init__(
        self,
        orders: list[dict[str, Any]] | None = None,
        notes: dict[str, list[dict[str, Any]]] | None = None,
        *,
        key: str = "ck_test",
        secret: str = "cs_test",
        ignore_dates_are_gmt: bool = False,
        strip_authorization: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.orders: dict[int, dict[str, Any]] = {o["id"]: o for o in orders or []}
        self.notes: dict[int, list[dict[str, Any]]] = {
            int(k): list(v) for k, v in (notes or {}).items()
        }
        self.key, self.secret = key, secret
        self.ignore_dates_are_gmt = ignore_dates_are_gmt
        self.strip_authorization = strip_authorization
        self._next_id = 5000

    def touch(self, order_id: int, **changes: Any) -> None:
        with self.lock:
            order = self.orders[order_id]
            order.update(changes)
            self._modified(order)

    def _modified(self, order: dict[str, Any]) -> None:
        now = datetime.now(UTC)
        order["date_modified_gmt"] = now.strftime("%Y-%m-%dT%H:%M:%S")
        order["date_modified"] = (now + LOCAL_OFFSET).strftime("%Y-%m-%dT%H:%M:%S")

    # -- HTTP ------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        if not request.path.startswith(PREFIX):
            return wp_error(404, "rest_no_route", "No route was found matching the URL.")
        denied = self._auth(request)
        if denied:
            return denied
        parts = request.path[len(PREFIX) :].strip("/").split("/")
        with self.lock:
            if parts == ["orders"] and request.method == "GET":
                return self._list(request)
            if len(parts) >= 2 and parts[0] == "orders":
                if not parts[1].isdigit() or int(parts[1]) not in self.orders:
                    return wp_error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
                order = self.orders[int(parts[1])]
                if len(parts) == 2:
                    return self._order(request, order)
                if parts[2] == "notes":
                    return self._notes(request, order)
                if parts[2] == "refunds" and request.method == "POST":
                    return self._refund(request, order)
        return wp_error(404, "rest_no_route", "No route was found matching the URL and method.")

    def _auth(self, request: Request) -> Reply | None:
        given: tuple[str | None, str | None] = (
            request.arg("consumer_key"),
            request.arg("consumer_secret"),
        )
        header = request.headers.get("authorization", "")
        if header.startswith("Basic ") and not self.strip_authorization:
            key, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            given = (key, secret)
        if given[0] is None:
            return wp_error(
                401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources."
            )
        if given[0] != self.key:
            return wp_error(
                401, "woocommerce_rest_authentication_error", "Consumer key is invalid."
            )
        if given[1] != self.secret:
            return wp_error(
                401, "woocommerce_rest_authentication_error", "Consumer secret is invalid."
            )
        return None

    def _list(self, request: Request) -> Reply:
        per_page = int(request.arg("per_page", "10") or 10)
        page = int(request.arg("page", "1") or 1)
        if not 1 <= per_page <= 100:
            reply = wp_error(400, "rest_invalid_param", "Invalid parameter(s): per_page")
            reply.body["data"]["params"] = {
                "per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"
            }
            return reply
        orders = list(self.orders.values())
        after = request.arg("modified_after")
        if after:
            gmt = request.arg("dates_are_gmt") == "true" and not self.ignore_dates_are_gmt
            field = "date_modified_gmt" if gmt else "date_modified"
            orders = [o for o in orders if (o.get(field) or "") > after]
        reverse = request.arg("order", "desc") == "desc"
        key = "id" if request.arg("orderby") == "id" else "date_created_gmt"
        orders.sort(key=lambda o: o.get(key) or 0, reverse=reverse)
        total = len(orders)
        pages = max(1, -(-total // per_page)) if total else 0
        if total and page > pages:
            return wp_error(
                400,
                "rest_post_invalid_page_number",
                "The page number requested is larger than the number of pages available.",
            )
        chunk = orders[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        if page < pages:
            headers["Link"] = f'<{PREFIX}/orders?page={page + 1}&per_page={per_page}>; rel="next"'
        return Reply(200, copy.deepcopy(chunk), headers)

    def _order(self, request: Request, order: dict[str, Any]) -> Reply:
        if request.method == "GET":
            return Reply(200, copy.deepcopy(order))
        if request.method == "PUT":
            body = request.json() or {}
            status = body.get("status")
            if status is not None and status not in STATUSES:
                return wp_error(400, "rest_invalid_param", "Invalid parameter(s): status")
            if status:
                order["status"] = status
            if status == "completed":
                order["date_completed_gmt"] = _now_gmt()
            self._modified(order)
            return Reply(200, copy.deepcopy(order))
        return wp_error(404, "rest_no_route", "No route was found matching the URL and method.")

    def _notes(self, request: Request, order: dict[str, Any]) -> Reply:
        notes = self.notes.setdefault(order["id"], [])
        if request.method == "GET":
            kind = request.arg("type", "any")
            chosen = [
                n
                for n in notes
                if kind == "any" or (kind == "customer") == bool(n.get("customer_note"))
            ]
            return Reply(200, copy.deepcopy(list(reversed(chosen))))
        body = request.json() or {}
        if not body.get("note"):
            return wp_error(
                400,
                "woocommerce_rest_missing_note",
                "Cannot create order note, please provide a note.",
            )
        self._next_id += 1
        note = {
            "id": self._next_id,
            "author": "csconsole",
            "date_created": _now_gmt(),
            "date_created_gmt": _now_gmt(),
            "note": body["note"],
            "customer_note": bool(body.get("customer_note")),
        }
        notes.append(note)
        return Reply(201, note)

    def _refund(self, request: Request, order: dict[str, Any]) -> Reply:
        body = request.json() or {}
        amount = Decimal(str(body.get("amount") or "0"))
        refunded = sum((-Decimal(r["total"]) for r in order["refunds"]), Decimal(0))
        if amount <= 0 or refunded + amount > Decimal(order["total"]):
            return wp_error(
                500, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount."
            )
        if body.get("api_refund", True) and order["payment_method"] in {"cod", "bacs", "cheque"}:
            return wp_error(
                500,
                "woocommerce_rest_cannot_create_order_refund",
                "The payment gateway for this order does not support automatic refunds.",
            )
        self._next_id += 1
        order["refunds"].append(
            {"id": self._next_id, "reason": body.get("reason", ""), "total": f"-{amount}"}
        )
        if refunded + amount == Decimal(order["total"]):
            order["status"] = "refunded"
        self._modified(order)
        refund = {
            "id": self._next_id,
            "date_created": _now_gmt(),
            "amount": str(amount),
            "reason": body.get("reason", ""),
            "refunded_by": 1,
            "refunded_payment": bool(body.get("api_refund", True)),
            "meta_data": [],
            "line_items": [],
        }
        return Reply(201, refund)
