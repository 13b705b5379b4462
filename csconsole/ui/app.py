"""The console application: wiring only. Screens own their handlers.

``make_app`` is the one factory (the CLI and the tests build the app the same way);
``run_console`` opens it on a store.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import App
from textual.binding import BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker

from csconsole import paths
from csconsole.config import Config
from csconsole.services import Services
from csconsole.ui.actions import bindings_for, unknown_ids
from csconsole.ui.heap import freeze_startup_objects, pause_collection
from csconsole.ui.messages import InboxChanged, StatusRefreshed
from csconsole.ui.output import install as install_output_compactor
from csconsole.ui.rtl import resolve_bidi
from csconsole.ui.screens.inbox import InboxScreen
from csconsole.ui.workers import report_worker_error, start_sync

log = logging.getLogger(__name__)


class CsConsoleApp(App[str | None]):
    """A keyboard-first customer-service console over the local store."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "csconsole"
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("app")
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        services: Services,
        config: Config,
        *,
        welcome: bool = False,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        # "auto" is settled here, once: every screen then reads app, terminal or off.
        self.bidi = resolve_bidi(config.display.bidi, os.environ if environ is None else environ)
        self.config = replace(config, display=replace(config.display, bidi=self.bidi.mode))
        self.welcome = welcome
        self.stop_sync = threading.Event()
        if config.display.low_bandwidth:
            # Every byte crosses a slow link: nothing moves unless the user moves it.
            self.animation_level = "none"
        if config.display.theme in self.available_themes:
            self.theme = config.display.theme

    async def run_async(self, *args: Any, **kwargs: Any) -> str | None:
        pause_collection()  # until the first paint (ui/heap.py)
        return await super().run_async(*args, **kwargs)

    def _write_to_terminal(self, sequence: str) -> None:
        if sequence and self._driver is not None:
            self._driver.write(sequence)
            self._driver.flush()

    def on_mount(self) -> None:
        self._write_to_terminal(self.bidi.start)
        install_output_compactor(self)
        self.set_keymap(dict(self.config.keymap))
        if unknown := unknown_ids(dict(self.config.keymap)):
            self.notify(
                "[keymap] names no such action: " + ", ".join(unknown) + " (F1 lists the ids)",
                severity="warning",
                timeout=15,
            )
        if not self.welcome:
            # After the first frame: the inbox paints before any source is contacted.
            self.call_after_refresh(start_sync, self, self.services, self.stop_sync)

    def get_default_screen(self) -> Screen[None]:
        # The first screen is the stack's base, not pushed over Textual's empty default:
        # one screen fewer to style and lay out before the first frame.
        if self.welcome:
            from csconsole.ui.screens.welcome import WelcomeScreen

            return WelcomeScreen()
        return InboxScreen()

    def action_show_help(self) -> None:
        from csconsole.ui.screens.help import HelpScreen  # loads on first F1

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(dict(self.config.keymap)))

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        if self.screen_stack:
            report_worker_error(self.screen, event)

    def on_inbox_changed(self, message: InboxChanged) -> None:
        """Sync workers post here; the visible screen decides what to re-read."""
        self._to_screen(InboxChanged(message.conversation_ids))

    def on_status_refreshed(self, message: StatusRefreshed) -> None:
        self._to_screen(StatusRefreshed())

    def _to_screen(self, message: Message) -> None:
        """Pass a worker's news to the visible screen. A sync thread may still post
        while the console quits, after the last screen is gone: then it is dropped."""
        if self.screen_stack:
            self.screen.post_message(message)

    def on_unmount(self) -> None:
        freeze_startup_objects()  # collection resumes even if the inbox never painted
        self._write_to_terminal(self.bidi.end)
        self.stop_sync.set()
        self.services.close()


def make_app(
    services: Services,
    config: Config,
    *,
    welcome: bool = False,
    environ: Mapping[str, str] | None = None,
) -> CsConsoleApp:
    """Build the console; the CLI and the tests both come through here.

    ``environ`` describes the terminal (default: this process's environment).
    """
    return CsConsoleApp(services, config, welcome=welcome, environ=environ)


AppRunner = Callable[[CsConsoleApp], "str | None"]


def _run_in_terminal(app: CsConsoleApp) -> str | None:
    return app.run()


_runner: AppRunner = _run_in_terminal


def set_app_runner(runner: AppRunner | None) -> None:
    """Replace how a built console is run (tests drive it with Pilot instead)."""
    global _runner
    _runner = runner or _run_in_terminal


def run_console(store_path: Path, config: Config, *, demo: bool = False) -> None:
    """Open the console on ``store_path`` until the user quits.

    With no config file (and not the demo) the welcome screen explains the setup and
    offers the demo shop; choosing it reopens the console on the demo store.
    """
    welcome = not demo and config.source_path is None and not paths.config_file().exists()
    services = Services(store_path, config)
    result = _runner(make_app(services, config, welcome=welcome))
    if result == "demo":
        open_demo()


def open_demo() -> None:
    """Hand over to ``csconsole demo`` in this process: it builds the demo once, then opens it.

    Going through the command itself keeps one way to the demo (its store path, size
    and the reuse of an existing demo store), whether typed or chosen on the welcome.
    """
    from csconsole.cli import app as cli

    cli(["demo"], prog_name="csconsole", standalone_mode=False)
