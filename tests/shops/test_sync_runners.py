"""`csconsole sync` runs shops and bots through the RUNNERS registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from csconsole.config import ChannelConfig, Config, ShopConfig
from csconsole.services.shop_runners import close_clients
from csconsole.services.sync import SyncEvent, sync_once
from csconsole.store.db import open_store
from tests.servers.fake_shopify import FakeShopify
from tests.servers.fake_telegram import FakeTelegram, fixture_updates
from tests.servers.fake_woocommerce import FakeWooCommerce, fixture_notes, fixture_orders


@pytest.fixture
def fakes() -> Iterator[tuple[FakeWooCommerce, FakeTelegram]]:
    woo = FakeWooCommerce(fixture_orders(), fixture_notes()).start()
    telegram = FakeTelegram(fixture_updates()).start()
    yield woo, telegram  # type: ignore[misc]
    close_clients()
    woo.stop()
    telegram.stop()


def test_sync_once_polls_every_shop_and_channel_and_reuses_clients(
    store_path: Path, shopify: FakeShopify, fakes: tuple[FakeWooCommerce, FakeTelegram]
) -> None:
    woo, telegram = fakes
    config = Config(
        shops=(
            ShopConfig(
                "souq", "shopify", shopify.url, "client-id", password_command="echo client-secret"
            ),
            ShopConfig(
                "bazaar", "woocommerce", woo.url, "ck_test", password_command="echo cs_test"
            ),
        ),
        channels=(
            ChannelConfig(
                "bot", "telegram", api_url=telegram.url, token_command="echo 123456:TEST-token"
            ),
        ),
    )
    events: list[SyncEvent] = []
    results = sync_once(store_path, config, progress=events.append)

    assert [(r.source, r.kind, r.error) for r in results] == [
        ("souq", "shopify", None),
        ("bazaar", "woocommerce", None),
        ("bot", "telegram", None),
    ]
    assert [r.changed for r in results[:2]] == [2, 2] and results[2].new == 5
    assert telegram.requests_to("/getUpdates")[0].json()["timeout"] == 0  # --once never waits

    before = len(shopify.requests)
    sync_once(store_path, config, only="souq")
    assert len(shopify.requests) - before == 1  # the token is reused: one request per poll

    db = open_store(store_path)
    try:
        assert db.execute("SELECT count(*) FROM orders").fetchone() == (4,)
        states = dict(db.execute("SELECT name, sync_state FROM accounts").fetchall())
        assert states == {"souq": "idle", "bazaar": "idle", "bot": "idle"}
    finally:
        db.close()


def test_a_failing_secret_command_is_reported_on_the_source(
    store_path: Path, shopify: FakeShopify
) -> None:
    config = Config(
        shops=(ShopConfig("souq", "shopify", shopify.url, "client-id", password_command="false"),)
    )
    (result,) = sync_once(store_path, config)
    assert result.error and "souq" in result.error
    db = open_store(store_path)
    try:
        assert db.execute("SELECT sync_state FROM accounts").fetchone() == ("error",)
    finally:
        db.close()
    assert not shopify.requests
