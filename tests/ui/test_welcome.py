"""First start: no config, the welcome explains the setup and hands over to the demo shop.

Driven through ``run_console``, the function ``csconsole`` / ``csconsole run`` call, with
the terminal replaced by Pilot; the demo is then built by the ``demo`` command itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from csconsole import paths
from csconsole.config import Config
from csconsole.ui import app as app_module
from csconsole.ui.app import CsConsoleApp, run_console
from csconsole.ui.screens.inbox import InboxScreen
from csconsole.ui.screens.welcome import WelcomeScreen
from tests.ui.pilot_helpers import screen_text

SIZE = (120, 34)


class Driver:
    """Runs each console the code starts under Pilot, one scripted visit per app."""

    def __init__(self) -> None:
        self.seen: list[tuple[CsConsoleApp, str, type[object], Path]] = []

    def __call__(self, app: CsConsoleApp) -> str | None:
        asyncio.run(self._drive(app))
        return app.return_value

    async def _drive(self, app: CsConsoleApp) -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            self.seen.append((app, screen_text(app), type(app.screen), app.services.store_path))
            if isinstance(app.screen, WelcomeScreen):
                await pilot.press("d")
            else:
                await pilot.press("ctrl+q")
            await pilot.pause()


@pytest.fixture
def driver() -> Iterator[Driver]:
    drive = Driver()
    app_module.set_app_runner(drive)
    yield drive
    app_module.set_app_runner(None)


def test_no_config_welcomes_then_the_demo_opens_on_a_demo_store(
    driver: Driver, tmp_path: Path
) -> None:
    assert not paths.config_file().exists()
    run_console(paths.store_file(), Config())

    (welcome, welcome_text, welcome_screen, _), (_, demo_text, demo_screen, demo_store) = (
        driver.seen
    )
    assert welcome_screen is WelcomeScreen
    assert "csconsole config init" in welcome_text
    assert "Press d to open the demo shop" in welcome_text
    assert welcome.return_value == "demo"
    assert not paths.store_file().exists() or paths.store_file() != demo_store

    assert demo_screen is InboxScreen
    assert demo_store == paths.demo_store_file() and demo_store.exists()
    assert "7 All 300" in demo_text, "the demo shop's conversations are listed"
    assert "demo-mail" in demo_text and "demo-shop" in demo_text


def test_with_a_config_file_there_is_no_welcome(driver: Driver) -> None:
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text("", encoding="utf-8")
    run_console(paths.store_file(), Config())
    ((_, _, shown, _),) = driver.seen
    assert shown is InboxScreen
