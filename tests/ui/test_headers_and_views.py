"""Headers on demand (`H`) and saved views (`V` saves, `v` re-applies, across restarts)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from csconsole.domain.inbox_models import Sort, View
from csconsole.domain.models import Direction, NewMessage
from csconsole.ui.app import CsConsoleApp
from csconsole.ui.screens.conversation import ConversationScreen
from csconsole.ui.screens.dialogs import PromptDialog
from csconsole.ui.screens.inbox import InboxScreen
from tests.ui.pilot_helpers import screen_text, settle
from tests.ui.store_builder import Built, ago, append_message

Factory = Callable[..., CsConsoleApp]
SIZE = (120, 34)
HEADERS = (
    "Received: from mx.example by shop.example\n"
    "X-Mailer: Evil\x1b]52;c;ZWNobyBwd25lZA==\x07Mailer \x9b31mred\n"
    "X-Note: left\u202eright\x1b[2J gone"
)
FORBIDDEN = "\x1b\x9b\x9d\x07\u202e\u202d"


@pytest.fixture
def with_headers(store_path: Path, built: Built) -> int:
    return append_message(
        store_path,
        built.conversations["en"],
        NewMessage(
            direction=Direction.IN,
            sent_at=ago(hours=1),
            body_text="One more thing.",
            from_name="Alice Brown",
            from_addr="alice@example.com",
            message_id="headers@test",
            headers=HEADERS,
        ),
    )


async def test_headers_show_on_demand_sanitised_and_hide_again(
    app_factory: Factory, with_headers: int
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ConversationScreen(with_headers))
        await settle(app, pilot)
        assert "One more thing." in screen_text(app)
        assert "X-Mailer" not in screen_text(app), "headers stay hidden until asked for"

        await pilot.press("H")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "Received: from mx.example by shop.example" in shown
        assert "X-Mailer: Evil" in shown and "Mailer" in shown
        assert "X-Note: left" in shown
        for strip in app.screen._compositor.render_strips():
            for segment in strip:
                assert not any(c in FORBIDDEN or 0x80 <= ord(c) < 0xA0 for c in segment.text), repr(
                    segment.text
                )

        await pilot.press("H")
        await settle(app, pilot)
        assert "X-Mailer" not in screen_text(app)
        assert "One more thing." in screen_text(app)


async def answer(app: CsConsoleApp, pilot: Pilot[str | None], text: str) -> None:
    assert isinstance(app.screen, PromptDialog)
    await pilot.press(*text)
    await pilot.press("enter")
    await settle(app, pilot)


async def test_saved_view_is_listed_reapplied_and_survives_a_restart(
    app_factory: Factory, built: Built
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("v")  # nothing saved yet
        await settle(app, pilot)
        assert "no saved views yet" in screen_text(app)

        await pilot.press("7", "f", "s")  # All, channel email, sort newest
        await settle(app, pilot)
        await pilot.press("V")
        await settle(app, pilot)
        await answer(app, pilot, "mail new")
        assert "saved view mail new" in screen_text(app)

        await pilot.press("1", "escape", "s", "s")  # back to Open, no filter, urgency
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        assert screen.spec.channel is None and screen.spec.view is View.OPEN

        await pilot.press("v")
        await settle(app, pilot)
        assert "mail new" in screen_text(app), "the dialog lists the saved names"
        await answer(app, pilot, "mail new")
        assert isinstance(app.screen, InboxScreen)
        spec = app.screen.spec
        assert (spec.view, spec.channel, spec.sort) == (View.ALL, "email", Sort.NEWEST)
        assert "channel: email" in screen_text(app) and "sort: newest" in screen_text(app)
        assert "سفارش" not in screen_text(app), "the Telegram conversation is filtered out"

    restarted = app_factory()
    async with restarted.run_test(size=SIZE) as pilot:
        await settle(restarted, pilot)
        await pilot.press("v")
        await settle(restarted, pilot)
        assert "mail new" in screen_text(restarted)
        await answer(restarted, pilot, "mail new")
        assert isinstance(restarted.screen, InboxScreen)
        assert restarted.screen.spec.channel == "email"
        assert restarted.screen.spec.view is View.ALL
        await pilot.press("v")
        await settle(restarted, pilot)
        await answer(restarted, pilot, "no such view")
        assert "no saved view called no such view" in screen_text(restarted)
