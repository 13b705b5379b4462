"""The first screen when no config exists yet: how to set up, or try the demo shop."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Static

WELCOME = """\
Welcome to csconsole

There is no configuration yet. To connect your mail, shop and chat accounts:

    csconsole config init      writes a commented config file to edit
    csconsole config check     tells you exactly what is wrong, if anything

Nothing leaves this machine until you add an account.

Press d to open the demo shop (a made-up store with customers writing in
English, Arabic and Persian), or q to quit.
"""


class WelcomeScreen(Screen[None]):
    """Shown instead of the inbox when the config file does not exist."""

    DEFAULT_CSS = """
    WelcomeScreen { align: center middle; }
    WelcomeScreen Vertical { width: 80; height: auto; border: solid $primary; padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "demo", "Open the demo shop", id="welcome.demo"),
        Binding("q,escape", "app.quit", "Quit", id="welcome.quit"),
    ]

    def compose(self) -> ComposeResult:
        with Center(), Vertical():
            yield Static(WELCOME, id="welcome-text")

    def action_demo(self) -> None:
        self.app.exit(result="demo")
