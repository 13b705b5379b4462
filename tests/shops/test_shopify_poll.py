"""Polling Shopify's GraphQL Admin API from the loopback fake."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlite_utils import Database

from csconsole.sources.http_client import MalformedResponseError, ServerError
from csconsole.sources.shopify import ShopifyClient
from csconsole.store.cursors import get_cursor
from csconsole.sync.shop_sync import CURSOR, sync_shopify
from tests.servers.fake_http import Reply
from tests.servers.fake_shopify import FakeShopify, make_order
from tests.shops.conftest import Sleeps

NOW = "2026-11-21T12:00:00Z"


OPEN: list[ShopifyClient] = []


@pytest.fixture(autouse=True)
def close_clients() -> Iterator[None]:
    yield
    while OPEN:
        OPEN.pop().close()


def client_for(fake: FakeShopify, sleeps: Callable[[float], None], **kwargs: Any) -> ShopifyClient:
    client = ShopifyClient(
        shop_url=fake.url, client_id="client-id", secret="client-secret", sleep=sleeps, **kwargs
    )
    OPEN.append(client)
    return client


def count(db: Database, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_first_poll_stores_orders_customers_and_tracking(
    fresh_store: Database, shop_account: int, shopify: FakeShopify, sleeps: Sleeps
) -> None:
    result = sync_shopify(fresh_store, shop_account, "souq", client_for(shopify, sleeps), now=NOW)

    assert (result.orders_seen, result.orders_changed) == (2, 2)
    order = fresh_store.execute(
        "SELECT number, customer_name, email, phone, currency, total, financial_status, "
        "fulfillment_status FROM orders WHERE number = '1002'"
    ).fetchone()
    assert order == (
        "1002",
        "علی رضایی",
        "ali.rezaei@example.ir",
        "+989123456789",
        "IRR",
        "125000000",
        "paid",
        "unfulfilled",
    )
    shipment = fresh_store.execute(
        "SELECT carrier, tracking_number, status, status_raw FROM shipments"
    ).fetchone()
    assert shipment == ("SMSA Express", "SMSA290012345", "in_transit", "IN_TRANSIT")
    contacts = {r[0] for r in fresh_store.execute("SELECT value FROM customer_contacts")}
    assert {"fatima.alzahra@example.sa", "+966551234567", "+989123456789"} <= contacts
    assert get_cursor(fresh_store, shop_account, CURSOR) == "2026-11-20T10:30:00Z"
    # the token request and one GraphQL page
    assert [r.path.rsplit("/", 1)[-1] for r in shopify.requests] == ["access_token", "graphql.json"]
    sent = shopify.requests[1]
    assert sent.headers["x-shopify-access-token"] == "shpat_fake0001"
    assert "sortKey: UPDATED_AT" in sent.json()["query"]


def test_checkout_note_becomes_a_linked_shop_conversation(
    fresh_store: Database, shop_account: int, shopify: FakeShopify, sleeps: Sleeps
) -> None:
    sync_shopify(fresh_store, shop_account, "souq", client_for(shopify, sleeps), now=NOW)

    row = fresh_store.execute(
        "SELECT c.channel, c.subject, m.body_text, o.number FROM conversations c "
        "JOIN messages m ON m.conversation_id = c.id "
        "JOIN conversation_orders co ON co.conversation_id = c.id "
        "JOIN orders o ON o.id = co.order_id"
    ).fetchone()
    assert row == ("shop", "Order #1001", "الرجاء التوصيل بعد العصر", "1001")


def test_unchanged_shop_costs_one_request_and_writes_nothing(
    fresh_store: Database, shop_account: int, shopify: FakeShopify, sleeps: Sleeps
) -> None:
    client = client_for(shopify, sleeps)
    sync_shopify(fresh_store, shop_account, "souq", client, now=NOW)
    before = len(shopify.requests)

    again = sync_shopify(fresh_store, shop_account, "souq", client, now="2026-11-21T12:05:00Z")

    assert len(shopify.requests) - before == 1
    assert again.requests == 1 and again.orders_changed == 0
    window = shopify.graphql_bodies[-1]["variables"]["q"]
    # five minutes of overlap before the newest change seen, up to the poll's start
    assert window == "updated_at:>='2026-11-20T10:25:00Z' AND updated_at:<='2026-11-21T12:05:00Z'"


def test_changed_order_is_picked_up_and_restart_does_not_duplicate(
    fresh_store: Database, shop_account: int, shopify: FakeShopify, sleeps: Sleeps
) -> None:
    sync_shopify(fresh_store, shop_account, "souq", client_for(shopify, sleeps), now=NOW)
    shopify.touch("gid://shopify/Order/5502", displayFulfillmentStatus="FULFILLED")

    # a new client is what a restarted program has: new token, same store
    result = sync_shopify(fresh_store, shop_account, "souq", client_for(shopify, sleeps))

    assert result.orders_changed == 1
    assert fresh_store.execute(
        "SELECT fulfillment_status FROM orders WHERE number = '1002'"
    ).fetchone() == ("fulfilled",)
    assert count(fresh_store, "orders") == 2
    assert count(fresh_store, "conversations") == 1
    assert count(fresh_store, "messages") == 1


def test_pages_grow_to_the_cost_limit_and_cover_every_order(
    fresh_store: Database, shop_account: int, shopify: FakeShopify, sleeps: Sleeps
) -> None:
    for number in range(2000, 2060):
        shopify.add(make_order(number, f"2026-11-21T08:{number % 60:02d}:00Z"))

    result = sync_shopify(fresh_store, shop_account, "souq", client_for(shopify, sleeps), now=NOW)

    assert count(fresh_store, "orders") == 62
    firsts = [b["variables"]["first"] for b in shopify.graphql_bodies]
    assert firsts[0] == 10 and firsts[1] == 24  # 40 points per order: 24 fit under 1000
    assert result.pages == len(firsts)
    assert get_cursor(fresh_store, shop_account, CURSOR) == "2026-11-21T08:59:00Z"


def test_throttled_answer_waits_for_the_bucket_then_retries(
    fresh_store: Database, shop_account: int, shopify: FakeShopify, sleeps: Sleeps
) -> None:
    throttled = {
        "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
        "extensions": {
            "cost": {
                "requestedQueryCost": 402,
                "actualQueryCost": None,
                "throttleStatus": {
                    "maximumAvailable": 2000.0,
                    "currentlyAvailable": 2,
                    "restoreRate": 100.0,
                },
            }
        },
    }
    shopify.fail_next(Reply(200, throttled), when=lambda r: r.path.endswith("graphql.json"))
    shopify.fail_next(
        Reply(429, throttled, {"Retry-After": "2.0"}), when=lambda r: r.path.endswith(".json")
    )

    result = sync_shopify(fresh_store, shop_account, "souq", client_for(shopify, sleeps), now=NOW)

    assert result.orders_seen == 2
    assert sleeps[:2] == [4.0, 2.0]  # (402 - 2) / 100 points per second; then Retry-After


def test_low_bucket_paces_the_next_request(
    fresh_store: Database, shop_account: int, sleeps: Sleeps
) -> None:
    orders = [make_order(n, "2026-11-21T08:00:00Z") for n in range(3000, 3040)]
    fake = FakeShopify(orders, bucket=500.0, restore_rate=2000.0)
    fake.start()

    def really_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(seconds)

    try:
        sync_shopify(fresh_store, shop_account, "souq", client_for(fake, really_sleep), now=NOW)
    finally:
        fake.stop()
    assert count(fresh_store, "orders") == 40
    # each page after the first waited for the bucket instead of being refused
    assert sleeps and all(s > 0 for s in sleeps)
    assert fake.throttled == 0


def test_token_is_refreshed_before_expiry_and_after_a_401(
    shopify: FakeShopify, sleeps: Sleeps
) -> None:
    now = [1_000_000.0]
    client = client_for(shopify, sleeps, clock=lambda: now[0])
    client.graphql("query OrderById($id: ID!) { order(id: $id) { id } }", {"id": "x"})
    now[0] += 86_399 - 200  # within five minutes of expiry
    client.graphql("query OrderById($id: ID!) { order(id: $id) { id } }", {"id": "x"})
    assert shopify.tokens_issued == 2

    shopify.expire_tokens()  # revoked or expired early on the server's side
    client.graphql("query OrderById($id: ID!) { order(id: $id) { id } }", {"id": "x"})
    assert shopify.tokens_issued == 3
    token_bodies = [r.form() for r in shopify.requests_to("/access_token")]
    assert token_bodies[0] == {
        "grant_type": "client_credentials",
        "client_id": "client-id",
        "client_secret": "client-secret",
    }


@pytest.mark.parametrize(
    ("reply", "error", "text"),
    [
        (Reply(200, b'{"data": {"orders": '), MalformedResponseError, "not valid JSON"),
        (Reply(503, b"<html>Service Unavailable</html>"), ServerError, "HTTP 503"),
    ],
)
def test_broken_answers_leave_the_cursor_and_record_a_clear_error(
    fresh_store: Database,
    shop_account: int,
    shopify: FakeShopify,
    sleeps: Sleeps,
    reply: Reply,
    error: type[Exception],
    text: str,
) -> None:
    client = client_for(shopify, sleeps)
    sync_shopify(fresh_store, shop_account, "souq", client, now=NOW)
    shopify.touch("gid://shopify/Order/5502", displayFulfillmentStatus="FULFILLED")
    shopify.fail_next(reply, times=5, when=lambda r: r.path.endswith("graphql.json"))

    with pytest.raises(error, match=text):
        sync_shopify(fresh_store, shop_account, "souq", client)

    assert get_cursor(fresh_store, shop_account, CURSOR) == "2026-11-20T10:30:00Z"
    state, message = fresh_store.execute(
        "SELECT sync_state, last_error FROM accounts WHERE id = ?", [shop_account]
    ).fetchone()
    assert state == "error" and text in message and "Shopify" in message
    # the next poll, with the server healthy again, catches up
    shopify.clear_failures()
    sync_shopify(fresh_store, shop_account, "souq", client)
    assert fresh_store.execute(
        "SELECT fulfillment_status FROM orders WHERE number = '1002'"
    ).fetchone() == ("fulfilled",)


def test_raw_json_is_kept_for_fields_not_mapped_yet(
    fresh_store: Database, shop_account: int, shopify: FakeShopify, sleeps: Sleeps
) -> None:
    sync_shopify(fresh_store, shop_account, "souq", client_for(shopify, sleeps), now=NOW)
    raw = fresh_store.execute("SELECT raw FROM orders WHERE number = '1001'").fetchone()[0]
    assert json.loads(raw)["tags"] == ["vip"]


def test_a_query_over_the_cost_limit_is_retried_smaller_and_remembered(
    fresh_store: Database, shop_account: int, sleeps: Sleeps
) -> None:
    orders = [make_order(n, "2026-11-21T08:00:00Z") for n in range(4000, 4030)]
    fake = FakeShopify(orders, cost_per_order=107)
    fake.start()
    try:
        client = client_for(fake, sleeps)
        first = sync_shopify(fresh_store, shop_account, "souq", client, now=NOW)
        sync_shopify(fresh_store, shop_account, "souq", client, now=NOW)
    finally:
        fake.stop()
    firsts = [b["variables"]["first"] for b in fake.graphql_bodies]
    assert firsts[:2] == [10, 9]  # 10 × 107 points is over 1000; the error's cost gives 9
    assert count(fresh_store, "orders") == 30
    # the next poll starts at the size that fits: no refused query this time
    assert firsts[first.requests - 1] == 9
