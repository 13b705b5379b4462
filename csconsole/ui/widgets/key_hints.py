"""KeyHints: one line of the screen's main keys, cheap enough to repaint on every screen.

Textual's Footer rebuilds a widget per key whenever a screen opens, which cost more
than the rest of opening a conversation and repainted the whole bottom row. This is a
single line of text, rebuilt only when the active bindings really change.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget


class KeyHints(Widget):
    """The shown bindings of the active screen as ``key description`` pairs."""

    DEFAULT_CSS = """
    KeyHints { height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hints = Text()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._update_hints()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self._update_hints()

    def _update_hints(self) -> None:
        hints = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            hints.append(f" {self.app.get_key_display(binding)} ", "bold reverse")
            hints.append(f"{binding.description} ", "" if enabled else "dim")
        if hints != self._hints:
            self._hints = hints
            self.refresh()

    def render(self) -> Text:
        return self._hints
