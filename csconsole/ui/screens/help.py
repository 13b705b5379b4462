"""Every binding, grouped by screen, generated from the action table and the keymap."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from csconsole.ui.actions import ACTIONS, GROUP_TITLES, keys_for

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "number_sign": "#",
    "backslash": "\\",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}


def help_table(keymap: dict[str, str]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column("keys", style="bold", no_wrap=True)
    table.add_column("action")
    table.add_column("id", style="dim", no_wrap=True)
    for group, title in GROUP_TITLES.items():
        table.add_row(f"[u]{title}[/u]", "", "")
        for action in ACTIONS:
            if action.screen != group:
                continue
            keys = ", ".join(
                KEY_NAMES.get(key.strip(), key.strip())
                for key in keys_for(action.id, keymap).split(",")
            )
            table.add_row(keys, action.description, action.id)
        table.add_row("", "", "")
    return table


class HelpScreen(ModalScreen[None]):
    """The keyboard reference; any listed id can be remapped in ``[keymap]``."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 100%; height: 100%; background: $panel;
                                  border: solid $primary; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close")
    ]

    def __init__(self, keymap: dict[str, str]) -> None:
        super().__init__()
        self._keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Keys (remap any id under [keymap] in the config file)\n")
            yield Static(help_table(self._keymap), id="help-table")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
