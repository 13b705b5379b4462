"""What every Pilot test of the console needs: wait for it, and read what it shows."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.pilot import Pilot


async def settle(app: App[Any], pilot: Pilot[Any]) -> None:
    """Let the console handle what is queued and finish its workers."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: App[Any]) -> str:
    """Every character the terminal would show now."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
