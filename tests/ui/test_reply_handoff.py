"""`r` in an open conversation hands over to the compose screen for that conversation."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from csconsole.config import AccountConfig, Config, ServerConfig
from csconsole.services import Services
from csconsole.ui.app import make_app
from csconsole.ui.screens.compose import ComposeScreen
from csconsole.ui.screens.conversation import ConversationScreen
from tests.ui.conftest import Clock
from tests.ui.store_builder import Built


def dead_server() -> ServerConfig:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    return ServerConfig("127.0.0.1", port, "plain", "support", password_command="echo pw")


async def test_r_opens_the_editor_on_this_conversation(
    store_path: Path, built: Built, clock: Clock
) -> None:
    account = AccountConfig("support", "support@shop.example", dead_server(), dead_server())
    config = Config(accounts=(account,))
    services = Services(store_path, config, clock=clock)
    app = make_app(services, config)
    wanted = built.conversations["ar"]
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        app.push_screen(ConversationScreen(wanted))
        await pilot.pause()
        await pilot.press("r")
        for _ in range(100):  # the sync worker never completes: poll, do not wait on it
            if isinstance(app.screen, ComposeScreen):
                break
            await asyncio.sleep(0.05)
        assert isinstance(app.screen, ComposeScreen)
        plan = app.screen.plan
        assert plan.conversation_id == wanted
        assert plan.to == ("mohammed@example.com",)
    services.close()
