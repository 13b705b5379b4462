"""A virtual inbox list: reads pages from the store as you scroll, repaints only what moved.

Only the rows under the viewport are ever loaded (a page cache of a few hundred
rows), so 100,000 conversations open as fast as 100. Moving the cursor refreshes
the highlighted columns of the old and the new row and nothing else: over a slow
SSH link that is a hundred-odd bytes per keypress instead of a whole-screen repaint.

| Class | Meaning |
| :- | :- |
| `conversation-list--cursor` | The highlighted row's left columns |
| `conversation-list--unread` | Rows with unread customer messages |
| `conversation-list--muted` | Preview, age, calm badges |
| `conversation-list--overdue` | Overdue SLA badge |
| `conversation-list--due-soon` | SLA badge due within four hours |
| `conversation-list--tag` | Tags |
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from csconsole.domain.inbox_models import ConversationSummary
from csconsole.ui.widgets.conversation_row import (
    HIGHLIGHT_WIDTH,
    RowContext,
    RowStyles,
    render_row,
)

PageSource = Callable[[int, int], list[ConversationSummary]]
PAGE_SIZE = 100
CACHED_PAGES = 6


class ConversationList(ScrollView, can_focus=True):
    """The inbox rows; the owning screen supplies pages and reacts to its messages."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "conversation-list--cursor",
        "conversation-list--unread",
        "conversation-list--muted",
        "conversation-list--overdue",
        "conversation-list--due-soon",
        "conversation-list--tag",
    }

    DEFAULT_CSS = """
    ConversationList {
        height: 1fr;
        scrollbar-size-vertical: 1;
        & > .conversation-list--cursor { background: $accent 40%; text-style: bold; }
        & > .conversation-list--unread { text-style: bold; }
        & > .conversation-list--muted { color: $text-muted; }
        & > .conversation-list--overdue { color: $error; text-style: bold; }
        & > .conversation-list--due-soon { color: $warning; }
        & > .conversation-list--tag { color: $secondary; }
    }
    """

    @dataclass
    class Highlighted(Message):
        """The cursor moved to a row (``on_conversation_list_highlighted``)."""

        index: int
        summary: ConversationSummary | None

    @dataclass
    class Selected(Message):
        """The user opened a row (``on_conversation_list_selected``)."""

        index: int
        summary: ConversationSummary

    def __init__(
        self,
        source: PageSource,
        context: Callable[[], RowContext],
        *,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id)
        self._source = source
        self._row_context = context
        self._pages: OrderedDict[int, list[ConversationSummary]] = OrderedDict()
        self.row_count = 0
        self.cursor = 0
        self._styles: RowStyles | None = None

    # ---- data ------------------------------------------------------------------
    def reset(self, row_count: int, *, keep_cursor: bool = True) -> None:
        """Forget cached pages (the store changed) and repaint the rows that changed.

        A sync pass re-reads the list every few seconds; repainting only rows whose
        content differs keeps that to a few hundred bytes instead of a full screen.
        """
        before = self._visible_rows() if keep_cursor and row_count == self.row_count else None
        cursor_before = self.cursor
        self._pages.clear()
        self.row_count = row_count
        self.virtual_size = Size(1, row_count)  # rows never scroll sideways
        self.cursor = min(self.cursor if keep_cursor else 0, max(0, row_count - 1))
        if before is None or self.cursor != cursor_before:
            self.refresh()
        else:
            width = self.scrollable_content_region.width
            for line, (old, new) in enumerate(zip(before, self._visible_rows(), strict=True)):
                if old != new:
                    self.refresh(Region(0, line, width, 1))
        self.post_message(self.Highlighted(self.cursor, self.row_at(self.cursor)))

    def _visible_rows(self) -> list[ConversationSummary | None]:
        top = self.scroll_offset.y
        return [self.row_at(top + line) for line in range(self.scrollable_content_region.height)]

    def row_at(self, index: int) -> ConversationSummary | None:
        if not 0 <= index < self.row_count:
            return None
        page_no, offset = divmod(index, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            page = self._source(page_no * PAGE_SIZE, PAGE_SIZE)
            self._pages[page_no] = page
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else None

    @property
    def current(self) -> ConversationSummary | None:
        return self.row_at(self.cursor)

    # ---- painting ----------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def _row_styles(self) -> RowStyles:
        if self._styles is None:
            style = self.get_component_rich_style
            self._styles = RowStyles(
                base=self.rich_style,
                cursor=style("conversation-list--cursor"),
                unread=style("conversation-list--unread"),
                muted=style("conversation-list--muted"),
                overdue=style("conversation-list--overdue"),
                due_soon=style("conversation-list--due-soon"),
                tag=style("conversation-list--tag"),
            )
        return self._styles

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        segments = render_row(
            self.row_at(index),
            width,
            cursor=index == self.cursor and self.row_count > 0,
            styles=self._row_styles(),
            context=self._row_context(),
        )
        return Strip(segments).adjust_cell_length(width, self.rich_style)

    def repaint_rows(self) -> None:
        """Repaint visible rows without re-reading (badges after the clock moved)."""
        self.refresh()

    # ---- moving --------------------------------------------------------------------
    def move_to(self, index: int) -> None:
        """Put the cursor on ``index``, scrolling only when it leaves the viewport."""
        if self.row_count == 0:
            return
        index = max(0, min(index, self.row_count - 1))
        old = self.cursor
        if index == old:
            return
        self.cursor = index
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        if index < top or index >= top + height:
            target = index if index < top else index - height + 1
            self.scroll_to(y=target, animate=False, immediate=True)
            self.refresh()
        else:
            for row in (old, index):
                self.refresh(Region(0, row - top, HIGHLIGHT_WIDTH, 1))
        self.post_message(self.Highlighted(index, self.row_at(index)))

    def move_by(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def page(self, direction: int) -> None:
        self.move_by(direction * max(1, self.scrollable_content_region.height - 1))

    def select(self) -> None:
        summary = self.current
        if summary is not None:
            self.post_message(self.Selected(self.cursor, summary))

    def now_context(self) -> datetime:
        return self._row_context().now
