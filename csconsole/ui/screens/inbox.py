"""The inbox: views with counts, the virtual conversation list, search and filters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.command import Provider
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from csconsole.domain.inbox_models import ConversationFilter, Sort, View
from csconsole.domain.text import sanitize
from csconsole.ui.actions import THREAD_ONLY, bindings_for
from csconsole.ui.heap import freeze_startup_objects, release_closed_screens
from csconsole.ui.messages import (
    ActionFailed,
    ConversationChanged,
    InboxChanged,
    SnoozesWoke,
    StatusRefreshed,
)
from csconsole.ui.screens.conversation_actions import ConversationActions
from csconsole.ui.widgets.conversation_list import ConversationList
from csconsole.ui.widgets.conversation_row import RowContext
from csconsole.ui.widgets.key_hints import KeyHints
from csconsole.ui.widgets.status_bar import StatusBar
from csconsole.ui.workers import run_in_thread, wake_snoozes

if TYPE_CHECKING:
    from csconsole.ui.screens.conversation import ConversationScreen

VIEWS = list(View)
CHANNELS: list[str | None] = [None, "email", "telegram", "shop"]
SORTS = list(Sort)
SEARCH_PLACEHOLDER = "search: words, names, order numbers (Enter)"


def inbox_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens."""
    from csconsole.ui.commands import InboxCommands

    return InboxCommands


def prompt(title: str, placeholder: str) -> Screen[str | None]:
    """A one-line question; the dialogs module loads on first use."""
    from csconsole.ui.screens.dialogs import PromptDialog

    return PromptDialog(title, placeholder)


@dataclass
class CountsRead(Message):
    """Counts per view, read off the UI thread."""

    spec: ConversationFilter
    counts: dict[View, int]


class InboxScreen(ConversationActions):
    """Every channel and account in one list."""

    BINDING_GROUP_TITLE = "Inbox"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {inbox_commands}
    BINDINGS: ClassVar[list[BindingType]] = bindings_for(
        "inbox", "conversation", exclude=THREAD_ONLY
    )
    DEFAULT_CSS = """
    InboxScreen #views { height: 1; background: $panel; }
    InboxScreen #filters { height: 1; color: $text-muted; }
    InboxScreen #search { display: none; height: 3; }
    InboxScreen #search.-active { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.spec = ConversationFilter()
        self.counts: dict[View, int] = {}
        self._resumed = False
        self._thread_screen: ConversationScreen | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="views")
        yield Static("", id="filters")
        yield ConversationList(self._page, self._row_context, id="conversations")
        yield StatusBar(id="status")
        if not self.console.config.display.low_bandwidth:
            yield KeyHints()

    @property
    def conversation_list(self) -> ConversationList:
        return self.query_one(ConversationList)

    @property
    def status_bar(self) -> StatusBar:
        return self.query_one(StatusBar)

    def _page(self, offset: int, limit: int) -> list:  # type: ignore[type-arg]
        return self.services.inbox.page(self.spec, offset, limit)

    def _row_context(self) -> RowContext:
        display = self.console.config.display
        return RowContext(self.services.clock(), display.bidi, display.calendar, display.timezone)

    def on_mount(self) -> None:
        self.reload(keep_cursor=False)
        self.conversation_list.focus()
        self.call_after_refresh(freeze_startup_objects)
        self.post_message(StatusRefreshed())
        # Badges age and snoozes end: a slow tick, never a per-second clock.
        every = 300.0 if self.console.config.display.low_bandwidth else 60.0
        self.set_interval(every, self.tick, name="sla-tick")

    def tick(self) -> None:
        wake_snoozes(self, self.services)
        self.conversation_list.repaint_rows()

    def current_id(self) -> int | None:
        current = self.conversation_list.current
        return current.id if current else None

    # ---- reading ---------------------------------------------------------------------
    def reload(self, *, keep_cursor: bool = True) -> None:
        """Re-read the list (count and visible page) and, off the thread, the counts."""
        self.conversation_list.reset(self.services.inbox.count(self.spec), keep_cursor=keep_cursor)
        self._paint_header()
        # The counts scan every conversation; start them once the rows are on screen.
        self.call_after_refresh(self._read_counts, self.spec)

    def _read_counts(self, spec: ConversationFilter) -> None:
        if spec != self.spec:  # the user moved on before the counts started
            return
        run_in_thread(
            self,
            self.services,
            lambda: CountsRead(spec, self.services.inbox.counts(spec)),
            group="counts",
        )

    def _paint_header(self) -> None:
        views = Text()
        for number, view in enumerate(VIEWS, 1):
            label = f" {number} {view.label} {self.counts.get(view, '…')} "
            views.append(label, style="reverse bold" if view is self.spec.view else "")
        self.query_one("#views", Static).update(views)
        parts = [f"sort: {self.spec.sort.value}"]
        if self.spec.channel:
            parts.append(f"channel: {self.spec.channel}")
        if self.spec.tag:
            parts.append(f"tag: {sanitize(self.spec.tag)}")
        if self.spec.text:
            parts.append(f"search: {sanitize(self.spec.text)}")
        parts.append(f"{self.conversation_list.row_count} shown")
        self.query_one("#filters", Static).update(Text(" " + " · ".join(parts)))

    def on_counts_read(self, message: CountsRead) -> None:
        if message.spec == self.spec:
            self.counts = message.counts
            self._paint_header()

    def set_spec(self, spec: ConversationFilter) -> None:
        self.spec = spec
        self.reload(keep_cursor=False)

    # ---- list actions ----------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.conversation_list.move_by(1)

    def action_cursor_up(self) -> None:
        self.conversation_list.move_by(-1)

    def action_page_down(self) -> None:
        self.conversation_list.page(1)

    def action_page_up(self) -> None:
        self.conversation_list.page(-1)

    def action_first(self) -> None:
        self.conversation_list.move_to(0)

    def action_last(self) -> None:
        self.conversation_list.move_to(self.conversation_list.row_count - 1)

    def action_open(self) -> None:
        self.conversation_list.select()

    def action_view(self, view: str) -> None:
        self.set_spec(replace(self.spec, view=View(view)))

    def action_view_step(self, step: int) -> None:
        index = (VIEWS.index(self.spec.view) + step) % len(VIEWS)
        self.set_spec(replace(self.spec, view=VIEWS[index]))

    def action_cycle_sort(self) -> None:
        self.set_spec(replace(self.spec, sort=SORTS[(SORTS.index(self.spec.sort) + 1) % 3]))

    def action_cycle_channel(self) -> None:
        index = (CHANNELS.index(self.spec.channel) + 1) % len(CHANNELS)
        self.set_spec(replace(self.spec, channel=CHANNELS[index]))

    def action_filter_tag(self) -> None:
        tags = ", ".join(self.services.inbox.tags()[:8])
        self.app.push_screen(
            prompt("Show conversations tagged", tags), lambda tag: self._tag_filter(tag)
        )

    def _tag_filter(self, tag: str | None) -> None:
        self.set_spec(replace(self.spec, tag=tag.lower() if tag else None))

    def action_clear_filters(self) -> None:
        self.set_spec(replace(self.spec, channel=None, tag=None, text=""))

    def action_refresh_list(self) -> None:
        self.reload()

    async def action_search(self) -> None:
        # Mounted on first use, not at start: one widget less to style before the first paint.
        found = self.query("#search")
        if found:
            search = found.only_one(Input)
        else:
            search = Input(placeholder=SEARCH_PLACEHOLDER, id="search")
            await self.mount(search, before=self.conversation_list)
        search.add_class("-active")
        search.value = self.spec.text
        search.focus()

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        event.input.remove_class("-active")
        self.conversation_list.focus()
        self.set_spec(replace(self.spec, text=event.value.strip(), view=View.ALL))

    def action_saved_views(self) -> None:
        views = self.services.inbox.saved_views()
        if not views:
            self.status_bar.say("no saved views yet: V saves the current one")
            return
        names = ", ".join(v.name for v in views)
        self.app.push_screen(prompt("Open saved view", names), self.open_saved_view)

    def open_saved_view(self, name: str | None) -> None:
        for view in self.services.inbox.saved_views():
            if view.name == name:
                self.set_spec(self.services.inbox.view_filter(view))
                return
        if name:
            self.status_bar.say(f"no saved view called {name}")

    def action_save_view(self) -> None:
        self.app.push_screen(prompt("Save this view as", "name"), self.save_view_as)

    def save_view_as(self, name: str | None) -> None:
        if name:
            self.services.inbox.save_view(name, self.spec)
            self.status_bar.say(f"saved view {name}")

    # ---- opening and stepping ------------------------------------------------------
    async def on_conversation_list_selected(self, message: ConversationList.Selected) -> None:
        """Open the thread. One conversation screen serves every open: it is kept
        (installed) when closed, so opening the next one repaints its panes instead of
        building, styling and mounting a screen of widgets again."""
        from csconsole.ui.screens.conversation import ConversationScreen

        screen = self._thread_screen
        if screen is None or not screen.is_mounted:
            screen = ConversationScreen(message.summary.id, self.step_from)
            self.app.install_screen(screen, name=f"conversation-{id(self)}")
            self._thread_screen = screen
        else:
            await screen.show_conversation(message.summary.id)
        self.app.push_screen(screen)

    def step_from(self, conversation_id: int, step: int) -> int | None:
        """The conversation ``step`` rows away in this list (for next/previous in a thread)."""
        conversations = self.conversation_list
        if conversations.current is None or conversations.current.id != conversation_id:
            position = self.services.inbox.position(self.spec, conversation_id)
            if position is None:
                return None
            conversations.move_to(position)
        conversations.move_by(step)
        current = conversations.current
        return current.id if current and current.id != conversation_id else None

    def on_screen_resume(self) -> None:
        if not self._resumed:  # the first resume follows on_mount, which just read
            self._resumed = True
            return
        release_closed_screens()
        # Paint the rows already read first; re-reading then repaints only what changed.
        self.call_after_refresh(self.reload)

    # ---- facts from elsewhere ----------------------------------------------------------
    def on_conversation_changed(self, message: ConversationChanged) -> None:
        self.status_bar.say(message.change)
        self.reload()

    def on_action_failed(self, message: ActionFailed) -> None:
        self.status_bar.say(f"{message.action} failed: {message.error}")

    def on_inbox_changed(self, message: InboxChanged) -> None:
        self.reload()

    def on_snoozes_woke(self, message: SnoozesWoke) -> None:
        self.status_bar.say(f"{len(message.conversation_ids)} snoozed conversations are back")
        self.reload()

    def on_status_refreshed(self, message: StatusRefreshed) -> None:
        inbox = self.services.inbox
        self.status_bar.set_state(inbox.accounts(), inbox.outbox_waiting())
