"""The changes an agent makes to a conversation, shared by the inbox and the thread.

On the inbox they act on the highlighted row, in a thread on the open conversation.
Each runs in a thread worker (the store may be busy with a sync) and reports back
with ``ConversationChanged`` or ``ActionFailed``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.message import Message
from textual.screen import Screen

from csconsole.domain.clock import to_iso
from csconsole.domain.display_dates import format_full
from csconsole.services.inbox import NotFound
from csconsole.ui.messages import ActionFailed, ConversationChanged
from csconsole.ui.workers import run_in_thread

if TYPE_CHECKING:
    from csconsole.services import Services
    from csconsole.ui.app import CsConsoleApp


class ConversationActions(Screen[None]):
    """Mixin-style base: subclasses say which conversation ``current_id`` is."""

    def current_id(self) -> int | None:
        raise NotImplementedError

    @property
    def console(self) -> CsConsoleApp:
        return cast("CsConsoleApp", self.app)

    @property
    def services(self) -> Services:
        return self.console.services

    def change(self, action: str, job: Callable[[int], str]) -> None:
        """Run ``job(conversation_id)`` off the UI thread; it returns what to tell the user."""
        conversation_id = self.current_id()
        if conversation_id is None:
            return

        def run() -> Message:
            try:
                return ConversationChanged(conversation_id, job(conversation_id))
            except (NotFound, ValueError) as error:
                return ActionFailed(action, str(error))

        run_in_thread(self, self.services, run, group=f"change:{conversation_id}", name=action)

    def _when(self, iso: str) -> str:
        display = self.console.config.display
        return format_full(iso, calendar=display.calendar, timezone=display.timezone)

    # ---- status ------------------------------------------------------------------
    def action_close_conversation(self) -> None:
        self.change("conversation.close", lambda c: self._done(self.services.inbox.close, c))

    def action_reopen(self) -> None:
        self.change("conversation.reopen", lambda c: self._done(self.services.inbox.reopen, c))

    def action_pending(self) -> None:
        self.change(
            "conversation.pending", lambda c: self._done(self.services.inbox.set_pending, c)
        )

    def _done(self, method: Callable[[int], str], conversation_id: int) -> str:
        method(conversation_id)
        summary = self.services.inbox.summary(conversation_id)
        return f"{summary.status if summary else 'changed'}: conversation {conversation_id}"

    def action_snooze(self) -> None:
        if self.current_id() is not None:
            from csconsole.ui.screens.dialogs import SnoozeDialog  # dialogs load on first use

            self.app.push_screen(SnoozeDialog(), self.snooze_with)

    def snooze_with(self, choice: str | None) -> None:
        """Snooze with a preset id or ``typed:<text>`` (the dialog's answer)."""
        if not choice:
            return
        inbox = self.services.inbox

        def job(conversation_id: int) -> str:
            if choice.startswith("typed:"):
                until = inbox.snooze_typed(conversation_id, choice.removeprefix("typed:"))
            else:
                until = inbox.snooze_preset(conversation_id, choice)
            return f"snoozed until {self._when(to_iso(until))}"

        self.change("conversation.snooze", job)

    # ---- tags, notes, read state, orders ---------------------------------------
    def _ask(self, title: str, placeholder: str, then: Callable[[str], None]) -> None:
        if self.current_id() is None:
            return
        from csconsole.ui.screens.dialogs import PromptDialog

        def answered(value: str | None) -> None:
            if value:
                then(value)

        self.app.push_screen(PromptDialog(title, placeholder), answered)

    def action_tag(self) -> None:
        self._ask("Tag", "e.g. refund, vip, damaged", self.tag_with)

    def tag_with(self, tag: str) -> None:
        self.change(
            "conversation.tag",
            lambda c: f"tagged {tag}" if self.services.inbox.tag(c, tag) else f"already {tag}",
        )

    def action_untag(self) -> None:
        self._ask("Remove tag", "tag name", self.untag_with)

    def untag_with(self, tag: str) -> None:
        def job(conversation_id: int) -> str:
            if not self.services.inbox.untag(conversation_id, tag):
                raise ValueError(f"not tagged {tag}")
            return f"untagged {tag}"

        self.change("conversation.untag", job)

    def action_note(self) -> None:
        self._ask("Internal note (customers never see it)", "", self.note_with)

    def note_with(self, body: str) -> None:
        self.change(
            "conversation.note",
            lambda c: (self.services.inbox.add_note(c, body), "note added")[1],
        )

    def action_toggle_read(self) -> None:
        def job(conversation_id: int) -> str:
            summary = self.services.inbox.summary(conversation_id)
            read = bool(summary and summary.unread)
            self.services.inbox.mark_read(conversation_id, read)
            return "marked read" if read else "marked unread"

        self.change("conversation.toggle-read", job)

    def action_link_order(self) -> None:
        self._ask("Link order number", "#1001", self.link_with)

    def link_with(self, number: str) -> None:
        self.change(
            "conversation.link-order",
            lambda c: (self.services.inbox.link_order(c, number), f"linked order {number}")[1],
        )

    def action_unlink_order(self) -> None:
        self._ask("Unlink order number", "#1001", self.unlink_with)

    def unlink_with(self, number: str) -> None:
        self.change(
            "conversation.unlink-order",
            lambda c: (self.services.inbox.unlink_order(c, number), f"unlinked {number}")[1],
        )

    def action_reply(self) -> None:
        """Open the reply editor; a conversation that cannot be answered says why."""
        self._open_editor("conversation.reply", "reply")

    def action_reply_all(self) -> None:
        """Reply to the customer, copying the others on their last message (never us)."""
        self._open_editor("conversation.reply-all", "reply_all")

    def action_new_message(self) -> None:
        """A fresh thread to the customer (own subject), recorded in this conversation."""
        self._open_editor("conversation.new-message", "new")

    def _open_editor(self, action: str, kind: str) -> None:
        """``kind`` names a ``ReplyKind``; the compose side loads only when it opens."""
        conversation_id = self.current_id()
        if conversation_id is None:
            return
        from csconsole.domain.outgoing import ReplyError, ReplyKind
        from csconsole.ui.screens.compose import make_reply_screen

        try:
            screen = make_reply_screen(
                self.services, self.console.config, conversation_id, ReplyKind(kind)
            )
        except ReplyError as error:
            self.post_message(ActionFailed(action, str(error)))
            return
        self.app.push_screen(screen)
