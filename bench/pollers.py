"""Shop pollers: orders per second and requests made, importing from the loopback fakes.

Usage: .venv/bin/python bench/pollers.py [--orders 10000]

For Shopify and WooCommerce it fills a fake with N orders, polls them into an
empty store (the first import), then polls again with nothing changed (which
must cost one request). The fake Shopify's cost bucket is effectively unlimited
here so the figure measures the client, the mapping and the store; the table
also prints what the import's query cost would take at each plan's restore rate,
which is what bounds a real first import. WooCommerce orders changed within 30 days also get
their notes, one request per order; the table shows that case too. Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from csconsole.sources.shopify import ShopifyClient
from csconsole.sources.woocommerce import WooCommerceClient
from csconsole.store.db import open_store
from csconsole.store.inbox import ensure_account
from csconsole.sync.shop_sync import sync_shopify, sync_woocommerce
from tests.servers import fake_shopify, fake_woocommerce

# Our orders document asks for about this many points per order (line items 20,
# fulfilments 5 with tracking 5, five money fields, customer, address).
SHOPIFY_COST_PER_ORDER = 107
SHOPIFY_ACTUAL_PER_ORDER = 20
PLAN_RESTORE = {"Standard": 100, "Advanced": 200, "Plus": 1000, "Enterprise": 2000}


def stamps(count: int, start: datetime = datetime(2026, 11, 1, tzinfo=UTC)) -> list[str]:
    return [(start + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ") for i in range(count)]


def bench_shopify(count: int, folder: Path) -> list[tuple[str, ...]]:
    orders = [fake_shopify.make_order(10_000 + i, t) for i, t in enumerate(stamps(count))]
    fake = fake_shopify.FakeShopify(
        orders,
        cost_per_order=SHOPIFY_COST_PER_ORDER,
        actual_per_order=SHOPIFY_ACTUAL_PER_ORDER,
        bucket=1e12,
        restore_rate=1e12,
    ).start()
    db = open_store(folder / "shopify.sqlite")
    client = ShopifyClient(fake.url, "client-id", "client-secret")
    try:
        with db.atomic():
            account = ensure_account(db, "bench-shopify", "shopify")
        now = "2026-11-21T12:00:00Z"
        started = time.perf_counter()
        first = sync_shopify(db, account, "bench", client, now=now)
        seconds = time.perf_counter() - started
        cost = fake.spent
        again = sync_shopify(db, account, "bench", client, now="2026-11-21T12:05:00Z")
    finally:
        client.close()
        db.close()
        fake.stop()
    rows = [
        (
            "Shopify first import",
            str(first.orders_changed),
            f"{seconds:.2f}",
            f"{first.orders_changed / seconds:,.0f}",
            str(first.requests),
        ),
        ("Shopify unchanged poll", str(again.orders_changed), "-", "-", str(again.requests)),
    ]
    for plan, restore in PLAN_RESTORE.items():
        rows.append(
            (
                f"  at {plan} ({restore} pts/s)",
                str(count),
                f"{cost / restore:,.0f}",
                f"{count / (cost / restore):,.1f}",
                "(bucket-bound)",
            )
        )
    return rows


def bench_woocommerce(count: int, folder: Path, *, recent: bool) -> list[tuple[str, ...]]:
    start = datetime(2026, 11 if recent else 9, 1, tzinfo=UTC)
    label = "WooCommerce, changed <30 days (notes)" if recent else "WooCommerce, older orders"
    orders = [
        fake_woocommerce.make_order(i + 1, t.rstrip("Z"))
        for i, t in enumerate(stamps(count, start))
    ]
    fake = fake_woocommerce.FakeWooCommerce(orders).start()
    db = open_store(folder / f"woo-{recent}.sqlite")
    client = WooCommerceClient(fake.url, "ck_test", "cs_test")
    try:
        with db.atomic():
            account = ensure_account(db, "bench-woo", "woocommerce")
        started = time.perf_counter()
        first = sync_woocommerce(db, account, "bench", client, now="2026-11-21T12:00:00Z")
        seconds = time.perf_counter() - started
        again = sync_woocommerce(db, account, "bench", client, now="2026-11-21T12:05:00Z")
    finally:
        client.close()
        db.close()
        fake.stop()
    return [
        (
            f"{label}: first import",
            str(first.orders_changed),
            f"{seconds:.2f}",
            f"{first.orders_changed / seconds:,.0f}",
            str(first.requests),
        ),
        (f"{label}: unchanged poll", str(again.orders_changed), "-", "-", str(again.requests)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = bench_shopify(args.orders, Path(tmp))
        rows += bench_woocommerce(args.orders, Path(tmp), recent=False)
        rows += bench_woocommerce(args.orders, Path(tmp), recent=True)
    header = ("poll", "orders", "seconds", "orders/s", "requests")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )


if __name__ == "__main__":
    main()
