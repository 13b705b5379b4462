"""Screens as they look, fixed clock, no cursor blink: a net beside the behaviour tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from csconsole.ui.app import CsConsoleApp
from csconsole.ui.screens.conversation import ConversationScreen
from tests.ui.store_builder import Built

SIZE = (120, 34)


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_inbox(snap_compare: Any, app_factory: Callable[..., CsConsoleApp]) -> None:
    assert snap_compare(app_factory(), terminal_size=SIZE, run_before=_settle)


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_conversation(
    snap_compare: Any, app_factory: Callable[..., CsConsoleApp], built: Built, language: str
) -> None:
    async def open_it(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        pilot.app.push_screen(ConversationScreen(built.conversations[language]))
        await _settle(pilot)

    assert snap_compare(app_factory(), terminal_size=SIZE, run_before=open_it)
