"""CannedPicker: a fuzzy finder over canned responses, with a preview before inserting.

Typing filters by shortcut, title, intent, tags and the body in every language
(Arabic and Persian letter variants match each other). Up/Down move, Enter picks,
Escape cancels. The preview shows the variant in the customer's language, shaped
for the terminal when it is right to left.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from csconsole.domain.canned import CannedResponse, pick_variant
from csconsole.domain.text import sanitize
from csconsole.ui import rtl

Search = Callable[[str], list[CannedResponse]]


class CannedPicker(ModalScreen[str | None]):
    """Pick a canned response; returns its id (None when cancelled)."""

    DEFAULT_CSS = """
    CannedPicker { align: center middle; }
    CannedPicker > Vertical { width: 90%; height: 80%; padding: 0 1; background: $panel;
                              border: solid $primary; }
    CannedPicker #canned-query { margin-bottom: 1; }
    CannedPicker #canned-options { height: 1fr; }
    CannedPicker #canned-preview { height: 1fr; border-top: solid $primary-darken-2;
                                   overflow-y: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="canned.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="canned.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="canned.previous"),
    ]

    def __init__(self, search: Search, language: str | None, bidi: str = "auto") -> None:
        super().__init__()
        self._search = search
        self._language = language
        self._bidi = bidi
        self._shown: list[CannedResponse] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Canned response — type to filter, Enter to insert")
            yield Input(placeholder="shortcut, title, intent or words…", id="canned-query")
            yield OptionList(id="canned-options")
            yield Static("", id="canned-preview")

    def on_mount(self) -> None:
        self._refresh("")
        self.query_one("#canned-query", Input).focus()

    def _refresh(self, query: str) -> None:
        self._shown = self._search(query)
        options = self.query_one("#canned-options", OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(
                    f"{sanitize(r.shortcut or ''):<12} {sanitize(r.title)}  "
                    f"[{','.join(sorted(r.bodies))}]",
                    id=r.id,
                )
                for r in self._shown
            ]
        )
        if self._shown:
            options.highlighted = 0
        self._preview()

    def _preview(self) -> None:
        preview = self.query_one("#canned-preview", Static)
        options = self.query_one("#canned-options", OptionList)
        index = options.highlighted
        if index is None or not self._shown:
            preview.update("no canned response matches")
            return
        response = self._shown[index]
        variant = pick_variant(response.bodies, response.subjects, self._language)
        lines = [rtl.display(line, self._bidi) for line in variant.body.strip().splitlines()]
        note = f"({variant.fallback_note})\n" if variant.fallback_note else ""
        intent = f"  ·  {response.intent}" if response.intent else ""
        header = f"{response.id}{intent}  ·  {variant.language}\n{note}\n"
        preview.update(
            sanitize(header, multiline=True) + sanitize("\n".join(lines), multiline=True)
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refresh(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._preview()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose()

    def _choose(self) -> None:
        index = self.query_one("#canned-options", OptionList).highlighted
        if index is None or not self._shown:
            return
        self.dismiss(self._shown[index].id)

    def action_move(self, step: int) -> None:
        options = self.query_one("#canned-options", OptionList)
        if not self._shown:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self._shown) - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
