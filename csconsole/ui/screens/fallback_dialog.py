"""FallbackDialog: what to write where a canned response needs a value the conversation lacks."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class FallbackDialog(ModalScreen[dict[str, str] | None]):
    """Ask what to write where the conversation has no value (None cancels)."""

    DEFAULT_CSS = """
    FallbackDialog { align: center middle; }
    FallbackDialog > Vertical { width: 72; height: auto; padding: 1 2; background: $panel;
                                border: solid $warning; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="fallback.cancel")
    ]

    def __init__(self, canned_id: str, names: tuple[str, ...]) -> None:
        super().__init__()
        self._canned_id = canned_id
        self._names = names

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                f"{self._canned_id} needs values this conversation lacks. "
                "Type what to send instead (Enter on the last one confirms), or Escape."
            )
            for index, name in enumerate(self._names):
                yield Label(name)
                yield Input(placeholder=f"text for {name}", id=f"fallback-{index}")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        values = {
            name: self.query_one(f"#fallback-{i}", Input).value.strip()
            for i, name in enumerate(self._names)
        }
        empty = [i for i, name in enumerate(self._names) if not values[name]]
        if empty:
            self.query_one(f"#fallback-{empty[0]}", Input).focus()
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
