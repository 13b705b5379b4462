"""A day of opening conversations does not grow the heap or stretch GC pauses."""

from __future__ import annotations

import gc
from collections.abc import Callable

from textual._styles_cache import StylesCache

from csconsole.ui.app import CsConsoleApp
from csconsole.ui.screens.conversation import ConversationScreen
from csconsole.ui.screens.inbox import InboxScreen
from tests.ui.pilot_helpers import settle
from tests.ui.test_console import SIZE


def live_styles_caches() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, StylesCache))


async def test_closed_conversations_are_freed(app_factory: Callable[..., CsConsoleApp]) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for _ in range(3):  # warm up: modules, styles and first-use caches
            await pilot.press("enter")
            await pilot.press("escape")
        await settle(app, pilot)
        before = live_styles_caches()
        for _ in range(15):
            await pilot.press("enter")
            assert isinstance(app.screen, ConversationScreen)
            await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, InboxScreen)
        # Each conversation screen brings about a dozen widgets; none may outlive it.
        assert live_styles_caches() <= before + 12


async def test_startup_objects_are_frozen_out_of_collections(
    app_factory: Callable[..., CsConsoleApp],
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert gc.get_freeze_count() > 10_000
