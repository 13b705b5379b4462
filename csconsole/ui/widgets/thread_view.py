"""A conversation's messages, oldest first so the newest sits at the bottom.

Customer, shop and internal-note messages carry different classes (``-in``, ``-out``,
``-note``). Quoted text and signatures fold behind a one-line marker until the user
toggles them; headers show on request. Every line is sanitised, then wrapped on
the logical text and reordered for right-to-left paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from csconsole.domain.detail_models import MessageInfo
from csconsole.domain.display_dates import format_full
from csconsole.domain.text import sanitize
from csconsole.ui.rtl import display, wrap

WHO = {"in": "", "out": "shop", "note": "internal note"}


@dataclass(frozen=True)
class ThreadOptions:
    bidi: str
    calendar: str
    timezone: str
    show_quotes: bool = False
    show_headers: bool = False


def fold_lines(body: str) -> list[tuple[str, bool]]:
    """Lines tagged True when they are quoted text or a signature (foldable)."""
    result: list[tuple[str, bool]] = []
    in_signature = False
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if line in ("-- ", "--"):
            in_signature = True
        starts_quote = (
            line.rstrip().endswith("wrote:")
            and index + 1 < len(lines)
            and lines[index + 1].startswith(">")
        )
        result.append((line, in_signature or line.startswith(">") or starts_quote))
    return result


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def render_message(message: MessageInfo, width: int, options: ThreadOptions) -> Text:
    """One message as text ``width`` cells wide."""
    text = Text()
    who = sanitize(message.from_name) or sanitize(message.from_addr) or "(unknown)"
    if message.direction == "note":
        who = f"{sanitize(message.author or '')} · internal note"
    elif message.direction == "out":
        who = f"{who} · shop" if message.author is None else f"{sanitize(message.author)} · shop"
    when = format_full(message.sent_at, calendar=options.calendar, timezone=options.timezone)
    text.append(display(who, options.bidi), style="bold")
    if message.direction == "in" and message.from_addr:
        text.append(f" <{sanitize(message.from_addr)}>", style="dim")
    text.append(f" · {when}\n", style="dim")
    if message.decode_warning:
        text.append(f"! {sanitize(message.decode_warning)}\n", style="italic")
    if options.show_headers and message.headers:
        for line in sanitize(message.headers, multiline=True).split("\n"):
            text.append(line[: max(width, 20)] + "\n", style="dim")
    body = sanitize(message.body_text or message.body_html_text, multiline=True).strip("\n")
    folded = 0
    for line, foldable in fold_lines(body):
        if foldable and not options.show_quotes:
            folded += 1
            continue
        if folded:
            text.append(f"  [… {folded} quoted lines folded, \\ shows them]\n", style="dim italic")
            folded = 0
        for shown, right in wrap(line, width, options.bidi):
            pad = max(0, width - Text(shown).cell_len) if right else 0
            text.append(" " * pad + shown + "\n")
    if folded:
        text.append(f"  [… {folded} quoted lines folded, \\ shows them]\n", style="dim italic")
    for attachment in message.attachments:
        name = display(sanitize(attachment.filename) or "(unnamed)", options.bidi)
        state = "saved here" if attachment.fetched else "not downloaded"
        text.append(
            f"  [attachment] {name} · {format_size(attachment.size)} · "
            f"{sanitize(attachment.content_type)} · {state}\n",
            style="italic",
        )
    text.rstrip()
    return text


class MessageView(Static):
    """One message; re-wraps itself when its width changes.

    The width it had last time is the best guess for the next thread (the terminal
    rarely changes size between two conversations), so a message is wrapped before its
    first layout and the thread paints once instead of blank-then-filled.
    """

    last_width: ClassVar[int] = 0

    def __init__(self, message: MessageInfo, options: ThreadOptions) -> None:
        self._width = MessageView.last_width
        first = render_message(message, self._width, options) if self._width else ""
        super().__init__(first, classes=f"message -{message.direction}")
        self.message = message
        self.options = options

    def on_resize(self) -> None:
        width = self.content_region.width
        if width:
            MessageView.last_width = width
        if width and width != self._width:
            self._width = width
            self.update(render_message(self.message, width, self.options))

    def set_options(self, options: ThreadOptions) -> None:
        self.options = options
        if self._width:
            self.update(render_message(self.message, self._width, options))


class ThreadView(VerticalScroll, can_focus=False):
    """The messages of the open conversation."""

    DEFAULT_CSS = """
    ThreadView { width: 1fr; scrollbar-gutter: stable; }
    ThreadView .message { padding: 0 1; margin-bottom: 1; border-left: outer $primary; }
    ThreadView .-out { border-left: outer $success; }
    ThreadView .-note { border-left: outer $warning; background: $warning 10%; }
    """

    async def show(self, messages: tuple[MessageInfo, ...], options: ThreadOptions) -> None:
        await self.remove_children()
        await self.mount_all([MessageView(message, options) for message in messages])
        self.scroll_end(animate=False, immediate=True)

    def set_options(self, options: ThreadOptions) -> None:
        for view in self.query(MessageView):
            view.set_options(options)

    @property
    def plain_text(self) -> str:
        """What the thread shows, for tests and copy."""
        return "\n".join(str(view.render()) for view in self.query(MessageView))
