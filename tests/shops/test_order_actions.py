"""Order actions: the plan shown before, the request the shop received, and what is kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from csconsole.config import Config, RepliesConfig
from csconsole.services import Services
from csconsole.services.order_plans import ActionNotPossible
from csconsole.services.orders import OrdersService, refund_amount
from csconsole.sources.shopify import ShopifyClient
from csconsole.sources.woocommerce import WooCommerceClient
from csconsole.store.inbox import create_conversation, ensure_account
from csconsole.store.orders import link_order
from csconsole.sync.shop_sync import sync_shopify, sync_woocommerce
from tests.servers.fake_shopify import FakeShopify
from tests.servers.fake_woocommerce import FakeWooCommerce, fixture_notes, fixture_orders
from tests.shops.conftest import Sleeps


@pytest.fixture
def woo() -> Iterator[FakeWooCommerce]:
    fake = FakeWooCommerce(fixture_orders(), fixture_notes())
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def services(store_path: Path) -> Iterator[Services]:
    svc = Services(store_path, Config(replies=RepliesConfig(agent_name="sara")))
    yield svc
    svc.close()


@pytest.fixture
def orders(
    services: Services, shopify: FakeShopify, woo: FakeWooCommerce, sleeps: Sleeps
) -> Iterator[OrdersService]:
    clients: dict[str, Any] = {
        "souq": ShopifyClient(shopify.url, "client-id", "client-secret", sleep=sleeps),
        "bazaar": WooCommerceClient(woo.url, "ck_test", "cs_test", sleep=sleeps),
    }
    db = services.db()
    with db.atomic():
        souq = ensure_account(db, "souq", "shopify")
        bazaar = ensure_account(db, "bazaar", "woocommerce")
    sync_shopify(db, souq, "souq", clients["souq"], now="2026-11-21T12:00:00Z")
    sync_woocommerce(db, bazaar, "bazaar", clients["bazaar"], now="2026-11-21T12:00:00Z")
    yield OrdersService(services, client_factory=clients.__getitem__)
    for client in clients.values():
        client.close()


def order_id(db: Database, number: str) -> int:
    return int(db.execute("SELECT id FROM orders WHERE number = ?", [number]).fetchone()[0])


def new_conversation(db: Database, number: str) -> int:
    with db.atomic():
        conv = create_conversation(db, channel="email", account_id=None, customer_id=None)
        link_order(db, conv, order_id(db, number), "user")
    return conv


def last_graphql(fake: FakeShopify) -> dict[str, Any]:
    return fake.graphql_bodies[-2]  # the action; the refresh (OrderById) follows it


def test_shopify_note_appends_to_the_existing_note_and_is_recorded(
    orders: OrdersService, shopify: FakeShopify, services: Services
) -> None:
    db = services.db()
    conv = new_conversation(db, "1001")
    plan = orders.plan_note(order_id(db, "1001"), "اتصل قبل التوصيل", conversation_id=conv)
    assert plan.lines[1] == "الرجاء التوصيل بعد العصر\nاتصل قبل التوصيل"
    assert not plan.notifies_customer and not plan.calls_gateway

    result = orders.execute(plan, reason="customer called")

    assert result.ok and result.order is not None
    assert last_graphql(shopify) == {
        "operation": "OrderNote",
        "variables": {
            "input": {
                "id": "gid://shopify/Order/5501",
                "note": "الرجاء التوصيل بعد العصر\nاتصل قبل التوصيل",
            }
        },
    }
    assert result.order["note"] == "الرجاء التوصيل بعد العصر\nاتصل قبل التوصيل"
    direction, author, body = db.execute(
        "SELECT direction, author, body_text FROM messages WHERE conversation_id = ?", [conv]
    ).fetchone()
    assert (direction, author) == ("note", "agent:sara")
    assert "Reason: customer called" in body
    assert db.execute("SELECT actor FROM events WHERE kind = 'order.note'").fetchone() == (
        "agent:sara",
    )


def test_shopify_cancel_with_refund_sends_exactly_the_plan(
    orders: OrdersService, shopify: FakeShopify, services: Services
) -> None:
    db = services.db()
    plan = orders.plan_cancel(order_id(db, "1001"), restock=True, refund=True)
    assert (plan.amount, plan.currency, plan.restock, plan.calls_gateway, plan.irreversible) == (
        "450.00",
        "SAR",
        True,
        True,
        True,
    )
    with pytest.raises(ActionNotPossible, match="reason"):
        orders.execute(plan, reason=" ")

    result = orders.execute(plan, reason="customer changed their mind")

    assert result.ok
    assert last_graphql(shopify)["variables"] == {
        "orderId": "gid://shopify/Order/5501",
        "reason": "CUSTOMER",
        "restock": True,
        "notifyCustomer": False,
        "refundMethod": {"originalPaymentMethodsRefund": True},
        "staffNote": "customer changed their mind",
    }
    assert result.order and result.order["status"] == "cancelled"

    again = orders.execute(plan, reason="double click")
    assert not again.ok and "already been cancelled" in again.message
    assert (
        db.execute("SELECT count(*) FROM events WHERE kind = 'order.action_failed'").fetchone()[0]
        == 1
    )


def test_shopify_refund_names_the_parent_payment_and_manual_gateway(
    orders: OrdersService, shopify: FakeShopify, services: Services
) -> None:
    db = services.db()
    plan = orders.plan_refund(order_id(db, "1002"), amount="25000000")
    assert (plan.amount, plan.currency, plan.calls_gateway) == ("25000000", "IRR", False)
    assert "no gateway is called" in plan.lines[0]
    with pytest.raises(ActionNotPossible, match="between 0 and"):
        orders.plan_refund(order_id(db, "1002"), amount="999999999")

    result = orders.execute(plan, reason="one book arrived torn")

    assert result.ok, result.message
    assert last_graphql(shopify)["variables"] == {
        "input": {
            "orderId": "gid://shopify/Order/5502",
            "notify": False,
            "transactions": [
                {
                    "orderId": "gid://shopify/Order/5502",
                    "parentId": "gid://shopify/OrderTransaction/55021",
                    "gateway": "manual",
                    "kind": "REFUND",
                    "amount": "25000000",
                }
            ],
            "note": "one book arrived torn",
        }
    }
    assert result.order and result.order["financial_status"] == "partially_refunded"
    assert result.order["refunded_total"] == "25000000"


def test_woocommerce_customer_note_and_status_changes(
    orders: OrdersService, woo: FakeWooCommerce, services: Services
) -> None:
    db = services.db()
    note = orders.plan_note(order_id(db, "727"), "ارسال شد", customer_visible=True)
    assert note.notifies_customer
    assert orders.execute(note, reason="").ok
    assert woo.requests_to("/orders/727/notes")[-2].json() == {
        "note": "ارسال شد",
        "customer_note": True,
    }

    for status in ("on-hold", "completed"):
        plan = orders.plan_status(order_id(db, "727"), status)  # type: ignore[arg-type]
        result = orders.execute(plan, reason="stock check")
        assert result.ok and result.order and result.order["status"] == status
        put = [r for r in woo.requests_to("/orders/727") if r.method == "PUT"][-1]
        assert put.json() == {"status": status}


def test_woocommerce_cancel_puts_stock_back_without_refunding(
    orders: OrdersService, woo: FakeWooCommerce, services: Services
) -> None:
    db = services.db()
    plan = orders.plan_cancel(order_id(db, "727"))
    assert plan.restock and not plan.calls_gateway and plan.amount is None
    with pytest.raises(ActionNotPossible, match="refund separately"):
        orders.plan_cancel(order_id(db, "727"), refund=True)
    assert orders.execute(plan, reason="duplicate order").ok
    assert [r.json() for r in woo.requests_to("/orders/727") if r.method == "PUT"] == [
        {"status": "cancelled"}
    ]


def test_woocommerce_manual_refund_body(
    orders: OrdersService, woo: FakeWooCommerce, services: Services
) -> None:
    db = services.db()
    plan = orders.plan_refund(order_id(db, "727"), amount="1500000", call_gateway=False)
    assert "pay the customer yourself" in plan.lines[0]

    result = orders.execute(plan, reason="shipping refunded")

    assert result.ok
    assert woo.requests_to("/orders/727/refunds")[0].json() == {
        "amount": "1500000",
        "reason": "shipping refunded",
        "api_refund": False,
        "api_restock": False,
    }
    assert result.order and result.order["refunded_total"] == "1500000"


def test_gateway_refusal_is_shown_and_never_retried(
    orders: OrdersService, woo: FakeWooCommerce, services: Services
) -> None:
    db = services.db()
    conv = new_conversation(db, "727")
    plan = orders.plan_refund(order_id(db, "727"), call_gateway=True, conversation_id=conv)
    assert plan.calls_gateway and plan.amount == "48500000"

    result = orders.execute(plan, reason="cash on delivery refused")

    assert not result.ok
    assert "does not support automatic refunds" in result.message
    assert len(woo.requests_to("/orders/727/refunds")) == 1  # a POST that may have run: once
    (body,) = db.execute(
        "SELECT body_text FROM messages WHERE conversation_id = ? AND direction = 'note'", [conv]
    ).fetchone()
    assert "failed" in body and "cash on delivery refused" in body
    data = json.loads(
        db.execute("SELECT data FROM events WHERE kind = 'order.action_failed'").fetchone()[0]
    )
    assert data["amount"] == "48500000" and data["currency"] == "IRR" and not data["ok"]


def test_lookups_and_link_by_number(orders: OrdersService, services: Services) -> None:
    db = services.db()
    with db.atomic():
        conv = create_conversation(db, channel="email", account_id=None, customer_id=None)
    linked = orders.link_by_number(conv, "#1001")
    assert linked["number"] == "1001" and linked["shipments"][0]["carrier"] == "SMSA Express"
    assert [o["number"] for o in orders.linked(conv)] == ["1001"]
    assert db.execute(
        "SELECT linked_by FROM conversation_orders WHERE conversation_id = ?", [conv]
    ).fetchone() == ("user",)
    assert orders.unlink_by_number(conv, "1001")
    assert orders.linked(conv) == []
    assert [o["number"] for o in orders.for_email("Ali.Rezaei@example.ir")] == ["1002"]


def test_refund_plan_says_truthfully_whether_the_customer_is_emailed(
    orders: OrdersService, services: Services
) -> None:
    db = services.db()
    quiet = orders.plan_refund(order_id(db, "1002"), amount="100")
    told = orders.plan_refund(order_id(db, "1002"), amount="100", notify_customer=True)
    woo = orders.plan_refund(order_id(db, "727"), amount="100", notify_customer=False)

    assert "No email to the customer." in quiet.lines and not quiet.notifies_customer
    assert "Shopify emails the customer a refund notification." in told.lines
    assert told.notifies_customer and told.request["input"]["notify"] is True
    # The WooCommerce refunds endpoint has no switch for the "Refunded order" email.
    assert woo.notifies_customer and "notify" not in json.dumps(woo.request)
    assert (
        'WooCommerce emails the customer its "Refunded order" message, '
        "unless that email is turned off in the store's settings."
    ) in woo.lines
    assert not any("No email" in line for line in woo.lines)


def test_shopify_partial_refund_sends_the_lowered_amount(
    orders: OrdersService, shopify: FakeShopify, services: Services
) -> None:
    db = services.db()
    full = orders.plan_refund(order_id(db, "1001"))
    assert (full.amount, full.refundable, full.currency) == ("450.00", "450.00", "SAR")
    plan = refund_amount(full, "120.5")
    assert plan.title == "Refund 120.50 SAR on order #1001"
    assert plan.lines[:2] == (
        "The payment gateway (shopify_payments) is asked to send 120.50 SAR back.",
        "Partial refund: 329.50 SAR stays refundable.",
    )
    assert not any("Partial" in line for line in full.lines)

    result = orders.execute(plan, reason="one item missing")

    assert result.ok, result.message
    (transaction,) = last_graphql(shopify)["variables"]["input"]["transactions"]
    assert transaction == {
        "orderId": "gid://shopify/Order/5501",
        "parentId": "gid://shopify/OrderTransaction/55011",
        "gateway": "shopify_payments",
        "kind": "REFUND",
        "amount": "120.50",
    }
    assert result.order and result.order["financial_status"] == "partially_refunded"
    assert result.order["refunded_total"] == "120.50"
    again = orders.plan_refund(order_id(db, "1001"))
    assert (again.amount, again.refundable) == ("329.50", "329.50")


def test_woocommerce_partial_refund_sends_the_lowered_amount(
    orders: OrdersService, woo: FakeWooCommerce, services: Services
) -> None:
    db = services.db()
    plan = refund_amount(orders.plan_refund(order_id(db, "728")), "۱۰۰")  # Persian digits
    assert plan.amount == "100.00" and plan.calls_gateway

    result = orders.execute(plan, reason="late delivery")

    assert result.ok, result.message
    assert woo.requests_to("/orders/728/refunds")[0].json() == {
        "amount": "100.00",
        "reason": "late delivery",
        "api_refund": True,
        "api_restock": False,
    }
    assert woo.orders[728]["status"] == "completed"  # a partial refund leaves the status
    assert result.order and result.order["refunded_total"] == "100.00"
    assert orders.plan_refund(order_id(db, "728")).refundable == "153.00"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("253.01", "can refund between 0 and 253.00 SAR, not 253.01"),
        ("0", "can refund between 0 and 253.00 SAR, not 0"),
        ("", "can refund between 0 and 253.00 SAR, not nothing"),
        ("ten", "can refund between 0 and 253.00 SAR, not ten"),
        ("NaN", "can refund between 0 and 253.00 SAR, not NaN"),
        ("1.005", "SAR takes at most 2 decimal places"),
    ],
)
def test_refund_amount_is_checked_against_what_is_left(
    orders: OrdersService, services: Services, typed: str, problem: str
) -> None:
    plan = orders.plan_refund(order_id(services.db(), "728"))
    with pytest.raises(ActionNotPossible) as caught:
        refund_amount(plan, typed)
    assert str(caught.value) == problem


def test_refund_amount_accepts_grouped_digits_in_a_currency_without_decimals(
    orders: OrdersService, services: Services
) -> None:
    plan = orders.plan_refund(order_id(services.db(), "727"), call_gateway=False)
    assert refund_amount(plan, "1,500,000").request["amount"] == "1500000"
    with pytest.raises(ActionNotPossible, match="IRR takes at most 0 decimal places"):
        refund_amount(plan, "1500000.5")
