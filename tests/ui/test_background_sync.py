"""The console polls configured sources in a background worker and shows how they fare.

A real (fake) WooCommerce server on loopback is polled; an IMAP account points at a
port nobody listens on. The status bar must say which one is offline and why, while
the list keeps answering keys.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from csconsole.config import AccountConfig, Config, ServerConfig, ShopConfig
from csconsole.services import Services
from csconsole.services.shop_runners import close_clients
from csconsole.ui.app import make_app
from csconsole.ui.screens.inbox import InboxScreen
from csconsole.ui.widgets.status_bar import StatusBar
from tests.servers.fake_woocommerce import FakeWooCommerce, fixture_notes, fixture_orders
from tests.ui.conftest import Clock
from tests.ui.store_builder import Built

SIZE = (120, 34)


@pytest.fixture
def woo() -> Iterator[FakeWooCommerce]:
    fake = FakeWooCommerce(fixture_orders(), fixture_notes()).start()
    yield fake  # type: ignore[misc]
    close_clients()
    fake.stop()


def dead_port() -> int:
    """A loopback port that was free a moment ago: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def config_for(woo: FakeWooCommerce) -> Config:
    imap = ServerConfig(
        "127.0.0.1", dead_port(), "plain", "support", password_command="echo pw", timeout=2.0
    )
    return Config(
        accounts=(AccountConfig("support", "support@shop.example", imap),),
        shops=(
            ShopConfig(
                "bazaar", "woocommerce", woo.url, "ck_test", password_command="echo cs_test"
            ),
        ),
    )


async def until(pilot: Pilot[str | None], check: Callable[[], bool], seconds: float = 15) -> None:
    """Let the UI run until ``check`` holds (the sync worker never completes)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        assert loop.time() < deadline, "timed out"
        await pilot.pause(0.05)


async def test_pollers_run_in_a_worker_and_the_status_bar_shows_offline_and_the_error(
    store_path: Path, built: Built, clock: Clock, woo: FakeWooCommerce
) -> None:
    config = config_for(woo)
    services = Services(store_path, config, clock=clock)
    app = make_app(services, config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [w.name for w in app.workers if w.group == "sync"] == ["sync"]
        assert isinstance(app.screen, InboxScreen)
        bar = app.screen.query_one(StatusBar)

        await until(pilot, lambda: bool(woo.requests_to("/orders")))
        await until(pilot, lambda: "support offline" in bar.text)
        assert "support: cannot connect to 127.0.0.1" in bar.text, bar.text
        assert "bazaar ✓" in bar.text or "bazaar ⟳" in bar.text, bar.text
        assert "OFFLINE" not in bar.text, "one source still answers: not offline as a whole"
        orders = services.db().execute(
            "SELECT count(*) FROM orders WHERE account_id = "
            "(SELECT id FROM accounts WHERE name = 'bazaar')"
        )
        assert orders.fetchone()[0] > 0, "the shop poll wrote its orders"

        # The UI answers keys while the sync keeps retrying in its thread.
        listed = app.screen.conversation_list
        first = listed.current
        await pilot.press("j")
        await pilot.pause()
        assert listed.current is not None and first is not None
        assert listed.current.id != first.id
    assert app.stop_sync.is_set()
    services.close()


async def test_every_source_down_shows_offline(
    store_path: Path, built: Built, clock: Clock
) -> None:
    imap = ServerConfig("127.0.0.1", dead_port(), "plain", "support", password_command="echo pw")
    config = Config(accounts=(AccountConfig("support", "support@shop.example", imap),))
    services = Services(store_path, config, clock=clock)
    app = make_app(services, config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        bar = app.screen.query_one(StatusBar)
        await until(pilot, lambda: "OFFLINE" in bar.text)
        assert "support offline" in bar.text and "support: " in bar.text, bar.text
        assert bar.has_class("-error")
    services.close()


async def test_news_from_a_sync_thread_after_quitting_is_dropped(
    store_path: Path, built: Built, clock: Clock
) -> None:
    """A sync thread can post progress while the console quits, after its last screen
    is gone: the console still exits cleanly instead of failing on the way out."""
    from csconsole.ui.messages import InboxChanged, StatusRefreshed

    config = Config()
    services = Services(store_path, config, clock=clock)
    app = make_app(services, config, environ={"TERM": "xterm-256color"})
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
        assert not app.screen_stack  # quit: every screen is gone
        app.on_inbox_changed(InboxChanged())
        app.on_status_refreshed(StatusRefreshed())
    finally:
        services.close()
