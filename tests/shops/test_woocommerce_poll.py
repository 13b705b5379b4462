"""Polling WooCommerce REST v3 from the loopback fake."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from csconsole.sources.http_client import (
    AuthError,
    MalformedResponseError,
    ServerError,
    SourceError,
)
from csconsole.sources.woocommerce import WooCommerceClient
from csconsole.store.cursors import get_cursor
from csconsole.store.inbox import ensure_account
from csconsole.sync.shop_sync import CURSOR, sync_woocommerce
from tests.servers.fake_http import Reply
from tests.servers.fake_woocommerce import (
    FakeWooCommerce,
    fixture_notes,
    fixture_orders,
    make_order,
)
from tests.servers.tls import make_tls_files
from tests.shops.conftest import Sleeps

NOW = "2026-11-21T12:00:00Z"
OPEN: list[WooCommerceClient] = []


@pytest.fixture(autouse=True)
def close_clients() -> Iterator[None]:
    yield
    while OPEN:
        OPEN.pop().close()


@pytest.fixture
def woo() -> Iterator[FakeWooCommerce]:
    fake = FakeWooCommerce(fixture_orders(), fixture_notes())
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def account(fresh_store: Database) -> int:
    with fresh_store.atomic():
        return ensure_account(fresh_store, "bazaar", "woocommerce")


def client_for(fake: FakeWooCommerce, sleeps: Sleeps, **kwargs: Any) -> WooCommerceClient:
    client = WooCommerceClient(fake.url, "ck_test", "cs_test", sleep=sleeps, **kwargs)
    OPEN.append(client)
    return client


def poll(db: Database, account: int, client: WooCommerceClient, now: str = NOW) -> Any:
    return sync_woocommerce(db, account, "bazaar", client, now=now)


def test_first_poll_stores_guest_orders_notes_and_tracking(
    fresh_store: Database, account: int, woo: FakeWooCommerce, sleeps: Sleeps
) -> None:
    result = poll(fresh_store, account, client_for(woo, sleeps))

    assert result.orders_changed == 2
    guest = fresh_store.execute(
        "SELECT number, customer_name, email, phone, currency, total, status, financial_status, "
        "payment_method, customer_id IS NOT NULL FROM orders WHERE number = '727'"
    ).fetchone()
    assert guest == (
        "727",
        "زهرا احمدی",
        "zahra.ahmadi@example.ir",
        "09121234567",
        "IRR",
        "48500000",
        "processing",
        "paid",
        "پرداخت در محل",
        1,
    )
    notes = fresh_store.execute(
        "SELECT body, customer_visible, author FROM order_notes ORDER BY created_at"
    ).fetchall()
    assert notes == [
        ("Order status changed from Pending payment to Processing.", 0, "system"),
        ("سفارش شما فردا ارسال می‌شود.", 1, "shop manager"),
    ]
    assert fresh_store.execute(
        "SELECT carrier, tracking_number, shipped_at FROM shipments"
    ).fetchone() == ("Aramex", "AMX44512309", "2026-11-19T09:00:00Z")
    listing = woo.requests_to("/orders")[0]
    assert listing.arg("per_page") == "100" and listing.arg("dates_are_gmt") == "true"
    assert listing.headers["authorization"].startswith("Basic ")
    assert get_cursor(fresh_store, account, CURSOR) == "2026-11-20T09:30:00Z"
    # the checkout note is a customer message in a conversation linked to its order
    assert fresh_store.execute(
        "SELECT c.channel, m.body_text FROM conversations c JOIN messages m "
        "ON m.conversation_id = c.id JOIN conversation_orders co ON co.conversation_id = c.id"
    ).fetchone() == ("shop", "لطفاً قبل از ارسال تماس بگیرید")


def test_unchanged_store_costs_one_request(
    fresh_store: Database, account: int, woo: FakeWooCommerce, sleeps: Sleeps
) -> None:
    client = client_for(woo, sleeps)
    poll(fresh_store, account, client)
    before = len(woo.requests)

    result = poll(fresh_store, account, client, "2026-11-21T12:05:00Z")

    assert len(woo.requests) - before == 1 and result.orders_changed == 0
    assert woo.requests[-1].arg("modified_after") == "2026-11-20T09:25:00"


def test_changed_order_and_its_new_notes_arrive_without_duplicates(
    fresh_store: Database, account: int, woo: FakeWooCommerce, sleeps: Sleeps
) -> None:
    poll(fresh_store, account, client_for(woo, sleeps))
    woo.touch(727, status="completed")
    woo.notes[727].append(
        {
            "id": 290,
            "author": "system",
            "date_created_gmt": "2026-11-21T10:00:00",
            "note": "Order status changed from Processing to Completed.",
            "customer_note": False,
        }
    )

    result = poll(fresh_store, account, client_for(woo, sleeps), "2026-11-21T12:10:00Z")

    assert result.orders_changed == 1
    assert fresh_store.execute("SELECT status FROM orders WHERE number = '727'").fetchone() == (
        "completed",
    )
    assert fresh_store.execute("SELECT count(*) FROM order_notes").fetchone() == (3,)
    assert fresh_store.execute("SELECT count(*) FROM orders").fetchone() == (2,)
    assert fresh_store.execute("SELECT count(*) FROM messages").fetchone() == (1,)


def test_pages_follow_the_total_pages_header(
    fresh_store: Database, account: int, sleeps: Sleeps
) -> None:
    fake = FakeWooCommerce([make_order(n, "2025-01-01T00:00:00") for n in range(1, 251)])
    fake.start()
    try:
        result = poll(fresh_store, account, client_for(fake, sleeps))
    finally:
        fake.stop()
    assert fresh_store.execute("SELECT count(*) FROM orders").fetchone() == (250,)
    assert [r.arg("page") for r in fake.requests_to("/orders")] == ["1", "2", "3"]
    assert result.pages == 3 and not fake.requests_to("/notes")  # old orders: notes on demand


def test_store_that_ignores_dates_are_gmt_still_gets_only_newer_orders(
    fresh_store: Database, account: int, sleeps: Sleeps
) -> None:
    fake = FakeWooCommerce(fixture_orders(), fixture_notes(), ignore_dates_are_gmt=True)
    fake.start()
    try:
        client = client_for(fake, sleeps)
        pages = list(client.orders_modified("2026-11-20T09:15:00Z"))
    finally:
        fake.stop()
    # the server compared our GMT time with its local times and sent both orders;
    # the client's own check on date_modified_gmt keeps only the one that changed
    assert [o["id"] for page in pages for o in page.orders] == [727]


@pytest.mark.parametrize(
    ("reply", "error", "text"),
    [
        (Reply(200, b'[{"id": 727,'), MalformedResponseError, "not valid JSON"),
        (Reply(502, b"Bad Gateway"), ServerError, "HTTP 502"),
        (Reply(200, {"unexpected": "object"}), MalformedResponseError, "did not return a list"),
    ],
)
def test_broken_answers_leave_the_cursor_and_record_the_error(
    fresh_store: Database,
    account: int,
    woo: FakeWooCommerce,
    sleeps: Sleeps,
    reply: Reply,
    error: type[Exception],
    text: str,
) -> None:
    client = client_for(woo, sleeps)
    poll(fresh_store, account, client)
    woo.fail_next(reply, times=5)

    with pytest.raises(error, match=text):
        poll(fresh_store, account, client, "2026-11-21T12:30:00Z")

    assert get_cursor(fresh_store, account, CURSOR) == "2026-11-20T09:30:00Z"
    assert fresh_store.execute(
        "SELECT sync_state, last_error LIKE '%WooCommerce%' FROM accounts WHERE id = ?", [account]
    ).fetchone() == ("error", 1)


def test_refused_keys_show_woocommerces_own_message(
    fresh_store: Database, account: int, woo: FakeWooCommerce, sleeps: Sleeps
) -> None:
    client = WooCommerceClient(woo.url, "ck_test", "cs_wrong", sleep=sleeps)
    OPEN.append(client)
    with pytest.raises(AuthError, match="Consumer secret is invalid"):
        poll(fresh_store, account, client)
    assert len(woo.requests) == 1  # a refused key is not retried


def test_keys_in_the_query_string_when_the_host_strips_authorization(
    fresh_store: Database, account: int, sleeps: Sleeps
) -> None:
    fake = FakeWooCommerce(fixture_orders(), fixture_notes(), strip_authorization=True)
    fake.start()
    try:
        with pytest.raises(AuthError, match="cannot list"):
            poll(fresh_store, account, client_for(fake, sleeps))
        poll(fresh_store, account, client_for(fake, sleeps, auth_in_query=True))
    finally:
        fake.stop()
    assert fake.requests[-1].arg("consumer_key") == "ck_test"
    assert fresh_store.execute("SELECT count(*) FROM orders").fetchone() == (2,)


def test_keys_never_cross_the_network_in_clear_text() -> None:
    with pytest.raises(SourceError, match="https"):
        WooCommerceClient("http://shop.example", "ck", "cs")


def test_https_with_the_tests_certificate_authority(
    fresh_store: Database, account: int, tmp_path: Path, sleeps: Sleeps
) -> None:
    tls = make_tls_files(tmp_path / "tls")
    fake = FakeWooCommerce(
        fixture_orders(), fixture_notes(), tls_cert=tls.cert_file, tls_key=tls.key_file
    )
    fake.start()
    try:
        assert fake.url.startswith("https://")
        with pytest.raises(SourceError):  # not trusted without the CA
            poll(fresh_store, account, client_for(fake, sleeps))
        poll(fresh_store, account, client_for(fake, sleeps, ca_file=str(tls.ca_file)))
    finally:
        fake.stop()
    assert fresh_store.execute("SELECT count(*) FROM orders").fetchone() == (2,)
