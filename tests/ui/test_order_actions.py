"""Order actions from the conversation's keys, against a loopback WooCommerce shop.

The shop is polled once first, so the order exists both in the fake and in the
store; the orders service reaches the shop through the configured ``ShopConfig``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from csconsole.config import Config, ShopConfig
from csconsole.services import Services
from csconsole.services.sync import sync_once
from csconsole.ui.actions import BY_ID
from csconsole.ui.app import CsConsoleApp, make_app
from csconsole.ui.screens.conversation import ConversationScreen
from csconsole.ui.screens.order_action_dialog import OrderActionDialog
from tests.servers.fake_woocommerce import (
    FakeWooCommerce,
    fixture_notes,
    fixture_orders,
    wp_error,
)
from tests.ui.conftest import Clock
from tests.ui.pilot_helpers import screen_text
from tests.ui.store_builder import Built

SIZE = (140, 44)


@pytest.fixture
def woo() -> Iterator[FakeWooCommerce]:
    fake = FakeWooCommerce(fixture_orders(), fixture_notes())
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def services(
    store_path: Path, built: Built, clock: Clock, woo: FakeWooCommerce
) -> Iterator[Services]:
    shop = ShopConfig("bazaar", "woocommerce", woo.url, "ck_test", password_command="echo cs_test")
    config = Config(shops=(shop,))
    (result,) = sync_once(store_path, config, only="bazaar")
    assert result.error is None
    svc = Services(store_path, config, clock=clock)
    yield svc
    svc.close()


def link(services: Services, conversation_id: int, number: str) -> None:
    (order,) = [o for o in services.orders.by_number(number) if o["account_name"] == "bazaar"]
    services.orders.link(conversation_id, int(order["id"]))


def key(action_id: str) -> str:
    return BY_ID[action_id].keys.split(",")[0]


async def settle(app: CsConsoleApp, pilot: Pilot[str | None]) -> None:
    """Wait for the console's own workers; the shop sync keeps running until unmount."""
    for _ in range(2):
        await pilot.pause()
        mine = [w for w in app.workers if w.group != "sync"]
        if mine:  # an empty list would mean "every worker", the endless sync included
            await app.workers.wait_for_complete(mine)
    await pilot.pause()


def writes(woo: FakeWooCommerce) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in woo.requests if r.method in ("POST", "PUT", "DELETE")]


@dataclass
class Console:
    """The running console on one conversation; every press waits for the workers."""

    app: CsConsoleApp
    pilot: Pilot[str | None]

    async def press(self, *keys: str) -> str:
        """Press ``keys``, settle, and return what the screen shows."""
        await self.pilot.press(*keys)
        await settle(self.app, self.pilot)
        return screen_text(self.app)

    async def act(self, action_id: str) -> str:
        return await self.press(key(action_id))


@asynccontextmanager
async def conversation(
    services: Services, conversation_id: int, order: str | None = None
) -> AsyncIterator[Console]:
    """Link ``order`` (a bazaar order number) and open the conversation in the console."""
    if order is not None:
        link(services, conversation_id, order)
    app = make_app(services, services.config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ConversationScreen(conversation_id))
        await settle(app, pilot)
        yield Console(app, pilot)


async def test_refund_dialog_shows_money_and_cancelling_sends_nothing(
    services: Services, built: Built, woo: FakeWooCommerce
) -> None:
    async with conversation(services, built.conversations["ar"], "728") as console:
        assert "#728 ★ linked" in screen_text(console.app)
        shown = await console.act("order.refund")
        assert isinstance(console.app.screen, OrderActionDialog)
        assert "Refund 253.00 SAR on order #728" in shown
        assert "is asked to send 253.00 SAR back." in shown
        assert "Amount: 253.00 SAR" in shown
        assert "Payment gateway: called" in shown
        assert "This cannot be undone." in shown
        shown = await console.press("escape")
        assert isinstance(console.app.screen, ConversationScreen)
        assert "nothing was sent" in shown
    assert writes(woo) == []


async def test_refund_needs_a_reason_then_sends_the_documented_body(
    services: Services, built: Built, woo: FakeWooCommerce
) -> None:
    async with conversation(services, built.conversations["ar"], "728") as console:
        await console.act("order.refund")
        shown = await console.press("enter")
        assert isinstance(console.app.screen, OrderActionDialog)
        assert "A reason is required" in shown
        assert writes(woo) == []
        shown = await console.press(*"arrived broken", "enter")
        assert isinstance(console.app.screen, ConversationScreen)
        assert "Refund 253.00 SAR on order #728: done" in shown
        assert "Reason: arrived broken" in shown  # the internal note in the thread
    (sent,) = woo.requests_to("/orders/728/refunds")
    assert sent.method == "POST"
    assert sent.json() == {
        "amount": "253.00",
        "reason": "arrived broken",
        "api_refund": True,
        "api_restock": False,
    }
    assert woo.orders[728]["status"] == "refunded"


async def test_shop_error_is_shown_to_the_user(
    services: Services, built: Built, woo: FakeWooCommerce
) -> None:
    woo.fail_next(
        wp_error(500, "woocommerce_rest_cannot_create_order_refund", "Stripe is unreachable."),
        when=lambda r: r.method == "POST",
    )
    async with conversation(services, built.conversations["ar"], "728") as console:
        await console.act("order.refund")
        shown = await console.press(*"customer asked", "enter")
        assert "order.refund failed" in shown and "Stripe is unreachable." in shown
    assert len(woo.requests_to("/orders/728/refunds")) == 1
    assert woo.orders[728]["refunds"] == []


async def test_put_on_hold_sends_the_status_and_reason_is_optional(
    services: Services, built: Built, woo: FakeWooCommerce
) -> None:
    async with conversation(services, built.conversations["ar"], "728") as console:
        shown = await console.act("order.hold")
        assert isinstance(console.app.screen, OrderActionDialog)
        assert "Status: completed → on-hold." in shown
        assert "Mark order #728 on-hold: done" in await console.press("enter")
    puts = [r.json() for r in woo.requests_to("/orders/728") if r.method == "PUT"]
    assert puts == [{"status": "on-hold"}]


async def test_no_linked_order_says_so_and_sends_nothing(
    services: Services, built: Built, woo: FakeWooCommerce
) -> None:
    async with conversation(services, built.conversations["fa"]) as console:
        shown = await console.act("order.cancel")
        assert isinstance(console.app.screen, ConversationScreen)
        assert "no order is linked to this conversation" in shown
    assert writes(woo) == []


async def test_order_note_asks_the_text_then_confirms_and_posts_it(
    services: Services, built: Built, woo: FakeWooCommerce
) -> None:
    async with conversation(services, built.conversations["ar"], "727") as console:
        await console.act("order.note")
        shown = await console.press(*"call before delivery", "enter")
        assert isinstance(console.app.screen, OrderActionDialog)
        assert "Private: only shop staff see it." in shown
        assert writes(woo) == []
        assert "note to #727: done" in await console.press("enter")
    posted = [r.json() for r in woo.requests_to("/orders/727/notes") if r.method == "POST"]
    assert posted == [{"note": "call before delivery", "customer_note": False}]


async def test_cancel_puts_the_order_cancelled_with_the_reason_noted(
    services: Services, built: Built, woo: FakeWooCommerce
) -> None:
    async with conversation(services, built.conversations["ar"], "727") as console:
        shown = await console.act("order.cancel")
        assert "Status: processing → cancelled." in shown and "Stock: items are restocked" in shown
        shown = await console.press(*"customer changed mind", "enter")
        assert "Reason: customer changed mind" in shown
    puts = [r.json() for r in woo.requests_to("/orders/727") if r.method == "PUT"]
    assert puts == [{"status": "cancelled"}]
    assert woo.orders[727]["status"] == "cancelled"


async def test_refund_amount_can_be_lowered_in_the_dialog(
    services: Services, built: Built, woo: FakeWooCommerce
) -> None:
    async with conversation(services, built.conversations["ar"], "728") as console:
        shown = await console.act("order.refund")
        assert "Amount to refund in SAR (at most 253.00)" in shown
        assert console.app.screen.query_one("#amount", Input).value == "253.00"
        await console.press("shift+tab", *["backspace"] * 6)
        shown = await console.press(*"300")
        assert "Amount: can refund between 0 and 253.00 SAR, not 300." in shown
        shown = await console.press("tab", *"too much", "enter")
        assert isinstance(console.app.screen, OrderActionDialog)  # refused: nothing sent
        assert writes(woo) == []
        shown = await console.press("shift+tab", *["backspace"] * 3, *"100")
        assert "Refund 100.00 SAR on order #728" in shown
        assert "is asked to send 100.00 SAR back." in shown
        assert "Partial refund: 153.00 SAR stays refundable." in shown
        assert "Amount: 100.00 SAR" in shown
        assert "Amount: can refund" not in shown
        await console.press("enter")  # from the amount on to the reason
        for _ in "too much":
            await console.press("backspace")
        shown = await console.press(*"late delivery", "enter")
        assert isinstance(console.app.screen, ConversationScreen)
        assert "Refund 100.00 SAR on order #728: done" in shown
    (sent,) = woo.requests_to("/orders/728/refunds")
    assert sent.json() == {
        "amount": "100.00",
        "reason": "late delivery",
        "api_refund": True,
        "api_restock": False,
    }
    assert woo.orders[728]["status"] == "completed"
    (order,) = [o for o in services.orders.by_number("728") if o["account_name"] == "bazaar"]
    assert order["refunded_total"] == "100.00"
