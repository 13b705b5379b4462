"""`csconsole order` and `csconsole orders` against a store filled from the fake shops."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database
from typer.testing import CliRunner

from csconsole.cli import app
from csconsole.sources.shopify import ShopifyClient
from csconsole.sync.shop_sync import sync_shopify
from tests.servers.fake_shopify import FakeShopify
from tests.shops.conftest import Sleeps


def fill(db: Database, account: int, fake: FakeShopify, sleeps: Sleeps) -> None:
    client = ShopifyClient(fake.url, "client-id", "client-secret", sleep=sleeps)
    try:
        sync_shopify(db, account, "souq", client, now="2026-11-21T12:00:00Z")
    finally:
        client.close()


def test_order_prints_status_items_total_and_tracking(
    fresh_store: Database,
    store_path: Path,
    shop_account: int,
    shopify: FakeShopify,
    sleeps: Sleeps,
) -> None:
    fill(fresh_store, shop_account, shopify, sleeps)
    result = CliRunner().invoke(app, ["order", "#۱۰۰۱", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("#1001  souq (shopify)  فاطمة الزهراء")
    assert "payment paid" in lines[1] and "total 450.00 SAR" in lines[1]
    assert "  1 × عباية سوداء (ABY-01)  400.00" in lines
    assert any("tracking SMSA Express SMSA290012345  in_transit" in line for line in lines)


def test_order_json_and_unknown_number(
    fresh_store: Database,
    store_path: Path,
    shop_account: int,
    shopify: FakeShopify,
    sleeps: Sleeps,
) -> None:
    fill(fresh_store, shop_account, shopify, sleeps)
    result = CliRunner().invoke(app, ["order", "1002", "--json", "--store", str(store_path)])
    (order,) = json.loads(result.output)
    assert order["id"] and order["currency"] == "IRR" and order["items"][0]["quantity"] == 2
    assert "raw" not in order

    missing = CliRunner().invoke(app, ["order", "9999", "--store", str(store_path)])
    assert missing.exit_code == 1 and "no order numbered 9999" in missing.output


def test_orders_lists_and_filters_by_customer(
    fresh_store: Database,
    store_path: Path,
    shop_account: int,
    shopify: FakeShopify,
    sleeps: Sleeps,
) -> None:
    fill(fresh_store, shop_account, shopify, sleeps)
    listing = CliRunner().invoke(app, ["orders", "--store", str(store_path)])
    assert [line.split()[0] for line in listing.output.splitlines()] == ["#1002", "#1001"]

    mine = CliRunner().invoke(
        app, ["orders", "--customer", "ALI.REZAEI@example.ir", "--json", "--store", str(store_path)]
    )
    assert [o["number"] for o in json.loads(mine.output)] == ["1002"]
