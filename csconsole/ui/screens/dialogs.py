"""Small modal questions: a line of text, or when a snooze should end."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from csconsole.domain.snooze import PRESETS


class PromptDialog(ModalScreen[str | None]):
    """Ask for one line; Enter answers, Escape cancels (returns None)."""

    DEFAULT_CSS = """
    PromptDialog { align: center middle; }
    PromptDialog > Vertical { width: 64; height: auto; padding: 1 2; background: $panel;
                              border: solid $primary; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel")
    ]

    def __init__(self, title: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self._title = title
        self._placeholder = placeholder
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title)
            yield Input(self._value, placeholder=self._placeholder, id="answer")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SnoozeDialog(ModalScreen[str | None]):
    """Pick a preset ('1h', 'tomorrow', 'next_week') or type a time ('typed:3h')."""

    DEFAULT_CSS = """
    SnoozeDialog { align: center middle; }
    SnoozeDialog > Vertical { width: 64; height: auto; padding: 1 2; background: $panel;
                              border: solid $primary; }
    SnoozeDialog OptionList { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel")
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Snooze until…")
            yield OptionList(
                *[Option(label, id=preset) for preset, label in PRESETS.items()], id="presets"
            )
            yield Input(placeholder="or type: 3h, 2d, 14:30, 2026-12-01 09:00", id="typed")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(f"typed:{event.value.strip()}" if event.value.strip() else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
