"""One conversation: the thread beside the customer card and their orders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.command import Provider
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from csconsole.domain.detail_models import ConversationDetail
from csconsole.domain.text import sanitize
from csconsole.services.inbox import AttachmentUnavailable, NoOpener, NotFound
from csconsole.ui.actions import bindings_for
from csconsole.ui.commands import ConversationCommands
from csconsole.ui.messages import ActionFailed, ConversationChanged, InboxChanged
from csconsole.ui.rtl import display
from csconsole.ui.screens.order_actions import OrderActions
from csconsole.ui.widgets.key_hints import KeyHints
from csconsole.ui.widgets.side_panes import CustomerPane, OrderPane
from csconsole.ui.widgets.status_bar import StatusBar
from csconsole.ui.widgets.thread_view import ThreadOptions, ThreadView
from csconsole.ui.workers import run_in_thread

Stepper = Callable[[int, int], "int | None"]


@dataclass
class AttachmentsSaved(Message):
    """Attachments were written to the download folder (and the newest opened)."""

    paths: tuple[Path, ...]
    opened: bool


class ConversationScreen(OrderActions):
    """The thread, newest at the bottom, with the customer and orders on the right."""

    BINDING_GROUP_TITLE = "Conversation"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ConversationCommands}
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("conversation")
    DEFAULT_CSS = """
    ConversationScreen #subject { height: 1; background: $panel; text-style: bold; }
    ConversationScreen #side { width: 44; border-left: solid $panel; }
    """

    def __init__(self, conversation_id: int, stepper: Stepper | None = None) -> None:
        super().__init__()
        self.conversation_id = conversation_id
        self.stepper = stepper
        self.detail: ConversationDetail | None = None
        self.show_quotes = False
        self.show_headers = False

    def compose(self) -> ComposeResult:
        yield Static("", id="subject")
        with Horizontal():
            yield ThreadView(id="thread")
            with VerticalScroll(id="side"):
                yield CustomerPane(id="customer")
                yield OrderPane(id="orders")
        yield StatusBar(id="status")
        if not self.console.config.display.low_bandwidth:
            yield KeyHints()

    def current_id(self) -> int | None:
        return self.conversation_id

    def _options(self) -> ThreadOptions:
        shown = self.console.config.display
        return ThreadOptions(
            shown.bidi, shown.calendar, shown.timezone, self.show_quotes, self.show_headers
        )

    async def on_mount(self) -> None:
        await self.load()

    async def show_conversation(self, conversation_id: int) -> None:
        """Show another conversation in this screen, as a freshly opened one."""
        self.conversation_id = conversation_id
        self.show_quotes = False
        self.show_headers = False
        await self.load()

    async def load(self, *, mark_read: bool = True) -> None:
        """Read the conversation and paint every pane; opening it marks it read."""
        self.detail = self.services.inbox.detail(self.conversation_id)
        if self.detail is None:
            self.query_one(StatusBar).say("this conversation no longer exists")
            return
        shown = self.console.config.display
        summary = self.detail.summary
        tags = " ".join(f"[{sanitize(t)}]" for t in self.detail.tags)
        subject = display(sanitize(summary.subject) or "(no subject)", shown.bidi)
        self.query_one("#subject", Static).update(
            Text(f" {subject}  · {summary.status} · {sanitize(summary.account)} {tags}")
        )
        await self.query_one(ThreadView).show(self.detail.messages, self._options())
        self.query_one(CustomerPane).show(self.detail.customer, shown.bidi)
        self.query_one(OrderPane).show(self.detail.orders, shown.calendar, shown.timezone)
        if mark_read and summary.unread:
            self.services.inbox.mark_read(self.conversation_id)

    # ---- moving --------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()

    async def action_step(self, step: int) -> None:
        target = self.stepper(self.conversation_id, step) if self.stepper else None
        if target is None:
            self.query_one(StatusBar).say("no more conversations in this view")
            return
        self.conversation_id = target
        await self.load()

    def action_scroll_thread(self, lines: int) -> None:
        self.query_one(ThreadView).scroll_relative(y=lines, animate=False)

    def action_toggle_quotes(self) -> None:
        self.show_quotes = not self.show_quotes
        self.query_one(ThreadView).set_options(self._options())

    def action_toggle_headers(self) -> None:
        self.show_headers = not self.show_headers
        self.query_one(ThreadView).set_options(self._options())

    # ---- attachments and orders ---------------------------------------------------
    def action_save_attachment(self) -> None:
        self._save_attachments(open_after=False)

    def action_open_attachment(self) -> None:
        """Save, then hand the newest attachment to the system's opener (explicit key only)."""
        self._save_attachments(open_after=True)

    def _save_attachments(self, *, open_after: bool) -> None:
        """Fetch and save off the UI thread: a fetch may wait on a slow mail server."""
        inbox = self.services.inbox
        conversation_id = self.conversation_id
        action = "conversation.open-attachment" if open_after else "conversation.save-attachment"

        def job() -> Message:
            saved: list[Path] = []
            try:
                for attachment_id in inbox.attachment_ids(conversation_id):
                    saved.append(inbox.save_attachment(attachment_id))
                if open_after and saved:
                    inbox.open_attachment(saved[-1])
            except (AttachmentUnavailable, NoOpener, NotFound, OSError) as error:
                done = f"saved {', '.join(p.name for p in saved)}; " if saved else ""
                return ActionFailed(action, done + str(error))
            return AttachmentsSaved(tuple(saved), open_after)

        run_in_thread(self, self.services, job, group="attachments", name=action)

    def on_attachments_saved(self, message: AttachmentsSaved) -> None:
        if not message.paths:
            self.query_one(StatusBar).say("no attachments in this conversation")
            return
        names = ", ".join(p.name for p in message.paths)
        verb = f"opened {message.paths[-1].name}; saved" if message.opened else "saved"
        self.query_one(StatusBar).say(f"{verb} {names} in {message.paths[0].parent}")

    def tracking_links(self) -> list[str]:
        if self.detail is None:
            return []
        return [
            sanitize(s.tracking_url)
            for order in self.detail.orders
            for s in order.shipments
            if s.tracking_url
        ]

    def first_linked_order(self) -> int | None:
        linked = [o.id for o in self.detail.orders if o.linked] if self.detail else []
        return linked[0] if linked else None

    def order_feedback(self, text: str) -> None:
        self.query_one(StatusBar).say(text)

    async def reload_after_order_action(self) -> None:
        await self.load(mark_read=False)

    def action_copy_tracking(self) -> None:
        links = self.tracking_links()
        if not links:
            self.query_one(StatusBar).say("no tracking link on these orders")
            return
        self.app.copy_to_clipboard(links[0])
        self.query_one(StatusBar).say(f"copied {links[0]}")

    # ---- facts ------------------------------------------------------------------------
    async def on_conversation_changed(self, message: ConversationChanged) -> None:
        self.query_one(StatusBar).say(message.change)
        if message.conversation_id == self.conversation_id:
            await self.load(mark_read=False)

    def on_action_failed(self, message: ActionFailed) -> None:
        self.query_one(StatusBar).say(f"{message.action} failed: {message.error}")

    async def on_inbox_changed(self, message: InboxChanged) -> None:
        if not message.conversation_ids or self.conversation_id in message.conversation_ids:
            await self.load(mark_read=False)
