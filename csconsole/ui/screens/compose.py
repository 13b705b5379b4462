"""ComposeScreen: a reply, a reply-all, an internal note or a new message, with undo after sending.

The draft is saved on every pause in typing (and when the screen closes), so a
crash or a closed terminal loses nothing. ``::`` or Ctrl+T opens the canned
picker; Ctrl+E hands the text to ``$VISUAL``/``$EDITOR`` and takes it back;
Ctrl+R switches reply → reply-all → note keeping the text (the draft moves with
it). Arabic and Persian text gets a shaped, right-to-left preview under the
editor, because terminals (and Textual's TextArea) do not reorder it. After
Ctrl+S the reply waits out the undo window here, with a countdown; Ctrl+Z takes
it back. The keys come from the action table, so ``[keymap]`` remaps them.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Label, Static, TextArea

from csconsole.config import Config
from csconsole.domain.outgoing import (
    KIND_LABELS,
    QueuedReply,
    ReplyError,
    ReplyKind,
    ReplyPlan,
    next_kind,
)
from csconsole.domain.text import sanitize
from csconsole.services import Services
from csconsole.services.replies import RepliesService
from csconsole.ui.actions import bindings_for, keys_for
from csconsole.ui.screens.compose_io import edit_externally, send_now
from csconsole.ui.screens.compose_text import header_block, rtl_preview
from csconsole.ui.screens.fallback_dialog import FallbackDialog
from csconsole.ui.widgets.canned_picker import CannedPicker
from csconsole.ui.widgets.key_hints import KeyHints

__all__ = ["ComposeScreen", "FallbackDialog", "make_reply_screen"]

AUTOSAVE_SECONDS = 0.6

log = logging.getLogger(__name__)


class ComposeScreen(Screen[None]):
    """The editor for one conversation: reply, reply-all, note or a new message."""

    DEFAULT_CSS = """
    ComposeScreen #compose-headers { height: auto; padding: 0 1; background: $boost; }
    ComposeScreen #compose-subject-row { height: 1; padding: 0 1; background: $boost;
                                         display: none; }
    ComposeScreen #compose-subject-row.-visible { display: block; }
    ComposeScreen #compose-subject-row Label { width: 9; }
    ComposeScreen #compose-subject { width: 1fr; }
    ComposeScreen #compose-note { height: auto; padding: 0 1; color: $warning; }
    ComposeScreen #compose-body { height: 1fr; }
    ComposeScreen #compose-preview { height: auto; max-height: 40%; padding: 0 1;
                                     border-top: solid $primary-darken-2; display: none; }
    ComposeScreen #compose-preview.-visible { display: block; }
    ComposeScreen #compose-status { height: 1; padding: 0 1; background: $primary-darken-2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("compose")

    def __init__(
        self,
        services: Services,
        config: Config,
        conversation_id: int,
        kind: ReplyKind = ReplyKind.REPLY,
    ) -> None:
        super().__init__()
        self.services = services
        self.config = config
        self.replies = RepliesService(services)
        self.opening_note = ""
        waiting = self.replies.reopened_kind(conversation_id, kind)
        plan = self.replies.plan(conversation_id, waiting)
        if waiting is not kind:
            switch = keys_for("reply.switch-kind", dict(config.keymap))
            self.opening_note = (
                f"Your saved {KIND_LABELS[waiting].lower()} draft is back ({switch} switches kind)."
            )
        elif kind is ReplyKind.REPLY_ALL and plan.channel != "email":
            plan = self.replies.plan(conversation_id, ReplyKind.REPLY)
            self.opening_note = f"A {plan.channel} chat has one recipient: this is a reply."
        elif kind is ReplyKind.REPLY_ALL and not plan.cc:
            self.opening_note = "Nobody else was on the customer's last message: To only."
        self.plan: ReplyPlan = plan
        self.canned_id: str | None = self.plan.canned_id
        self.queued: QueuedReply | None = None
        self._autosave: Timer | None = None
        self._countdown: Timer | None = None
        self._seconds_left = 0
        self._last_text = self.plan.body
        self._unsaved = False  # the last save failed (a full disk)
        self._closing_unsaved = False  # close was refused once because the draft was unsaved

    # ---- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(header_block(self.plan, self.config.display.bidi), id="compose-headers")
        with Horizontal(id="compose-subject-row"):
            yield Label("Subject:")
            yield Input(
                self.plan.subject,
                placeholder="type the subject of the new message",
                id="compose-subject",
                compact=True,
            )
        yield Static(sanitize(self.opening_note), id="compose-note")
        yield TextArea(self.plan.body, id="compose-body", soft_wrap=True, show_line_numbers=False)
        yield Static("", id="compose-preview")
        yield Static(self._hint(), id="compose-status")
        yield KeyHints()

    def on_mount(self) -> None:
        self._show_kind()
        subject = self.query_one("#compose-subject", Input)
        if self._asks_subject() and not subject.value.strip():
            subject.focus()
        else:
            self.query_one(TextArea).focus()
        self._update_preview()

    def _asks_subject(self) -> bool:
        return self.plan.kind is ReplyKind.NEW and self.plan.channel == "email"

    def _show_kind(self) -> None:
        self.query_one("#compose-headers", Static).update(
            header_block(self.plan, self.config.display.bidi)
        )
        row = self.query_one("#compose-subject-row")
        row.set_class(self._asks_subject(), "-visible")

    def _hint(self) -> str:
        keymap = dict(self.config.keymap)

        def key(action_id: str) -> str:
            return keys_for(action_id, keymap).replace(", ", "/")

        return (
            f"{key('reply.send')} send · {key('reply.canned')} or :: canned · "
            f"{key('reply.editor')} $EDITOR · {key('reply.switch-kind')} reply/all/note · "
            f"{key('reply.close')} close"
        )

    @property
    def body(self) -> str:
        """The editor's text (the last seen text once the widgets are gone)."""
        try:
            self._last_text = self.query_one("#compose-body", TextArea).text
        except NoMatches:
            pass
        return self._last_text

    def _update_preview(self) -> None:
        preview = self.query_one("#compose-preview", Static)
        shown = rtl_preview(self.body, max(20, self.size.width - 2), self.config.display.bidi)
        if shown is not None:
            preview.update(shown)
        preview.set_class(shown is not None, "-visible")

    # ---- typing and drafts -------------------------------------------------------------
    def _schedule_save(self) -> None:
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(AUTOSAVE_SECONDS, self.save_draft)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._update_preview()
        self._schedule_save()
        area = event.text_area
        row, column = area.cursor_location
        line = area.document.get_line(row)
        if column >= 2 and line[column - 2 : column] == "::":
            area.delete((row, column - 2), (row, column))
            self.action_canned()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "compose-subject":
            return
        event.stop()
        if event.value.strip() == self.plan.subject:
            return  # the field being filled in, not typing
        self.plan = replace(self.plan, subject=event.value.strip())
        self._schedule_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "compose-subject":
            event.stop()
            self.query_one(TextArea).focus()

    def save_draft(self) -> bool:
        """Save the text; when that fails (a full disk) say so once and keep the text."""
        if self.queued is not None:
            return True
        try:
            self.plan = self.replies.save_draft(self.plan, self.body, canned_id=self.canned_id)
        except ReplyError as error:
            if not self._unsaved:
                self.notify(str(error), severity="error", title="Draft not saved")
            self._unsaved = True
            self._show_status(sanitize(str(error)))
            return False
        if self._unsaved:
            self._unsaved = False
            self._show_status("Draft saved. " + self._hint())
        return True

    def _show_status(self, text: str) -> None:
        try:
            self.query_one("#compose-status", Static).update(text)
        except NoMatches:  # closing: the status line is already gone
            pass

    def _has_text(self) -> bool:
        return bool(self.body.strip() or (self._asks_subject() and self.plan.subject))

    def on_unmount(self) -> None:
        if self._autosave is not None:
            self._autosave.stop()
        if self.queued is None and (self._has_text() or self.plan.draft_id is not None):
            if not self.save_draft():
                log.error("draft of conversation %s not saved on close", self.plan.conversation_id)

    # ---- switching kind ----------------------------------------------------------------
    def action_switch_kind(self) -> None:
        """Reply → reply-all → note → reply, keeping the text; the draft follows."""
        if self.queued is not None:
            return
        target = next_kind(self.plan.kind, self.plan.channel)
        if target is None:
            self.notify(
                "A new message stays a new message; close it and press r, e or n to reply",
                severity="warning",
            )
            return
        if self._autosave is not None:
            self._autosave.stop()
        try:
            self.plan = self.replies.switch_kind(self.plan, self.body, target)
        except ReplyError as error:
            self.notify(str(error), severity="error", title="Kind not changed")
            return
        self.canned_id = self.plan.canned_id
        self._show_kind()
        note = ""
        if target is ReplyKind.REPLY_ALL and not self.plan.cc:
            note = "Nobody else was on the customer's last message: To only."
        self.query_one("#compose-note", Static).update(note)

    # ---- canned responses --------------------------------------------------------------
    def action_canned(self) -> None:
        picker = CannedPicker(
            self.replies.canned.search, self.plan.language, self.config.display.bidi
        )
        self.app.push_screen(picker, self._insert_canned)

    def _insert_canned(
        self, canned_id: str | None, fallbacks: dict[str, str] | None = None
    ) -> None:
        if canned_id is None:
            return
        rendered = self.replies.render_canned(self.plan, canned_id, fallbacks=fallbacks)
        if rendered.body is None:

            def confirmed(values: dict[str, str] | None) -> None:
                if values is not None:
                    self._insert_canned(canned_id, {**(fallbacks or {}), **values})

            self.app.push_screen(FallbackDialog(canned_id, rendered.missing), confirmed)
            return
        note = self.query_one("#compose-note", Static)
        note.update(sanitize(rendered.fallback_note or ""))
        self.canned_id = canned_id
        self.query_one("#compose-body", TextArea).insert(rendered.body)

    # ---- external editor ---------------------------------------------------------------
    def action_editor(self) -> None:
        text = edit_externally(self.app, self.body)
        self.query_one("#compose-body", TextArea).load_text(text)
        self.save_draft()
        self.refresh()

    # ---- sending and undo --------------------------------------------------------------
    def action_send(self) -> None:
        if self.queued is not None:
            return
        try:
            self.queued = self.replies.send(self.plan, self.body, canned_id=self.canned_id)
        except ReplyError as error:
            self.notify(str(error), severity="error", title="Not sent")
            self.query_one("#compose-status", Static).update(sanitize(f"Not sent: {error}"))
            if self._asks_subject() and not self.plan.subject:
                self.query_one("#compose-subject", Input).focus()
            return
        if self.queued.outbox_id is None:
            self.notify("Note added", title="Note")
            self.dismiss(None)
            return
        self.query_one("#compose-body", TextArea).read_only = True
        self.query_one("#compose-subject", Input).disabled = True
        left = self.queued.send_after - self.services.clock() if self.queued.send_after else None
        self._seconds_left = max(0, round(left.total_seconds())) if left else 0
        self._tick()
        self._countdown = self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        status = self.query_one("#compose-status", Static)
        if self._seconds_left <= 0:
            if self._countdown is not None:
                self._countdown.stop()
            self.notify("Sending the reply…", title="Sent")
            send_now(self.app, self.services)
            self.dismiss(None)
            return
        status.update(f"Sending in {self._seconds_left} s — Ctrl+Z to undo")
        self._seconds_left -= 1

    def action_undo(self) -> None:
        if self.queued is None or self.queued.outbox_id is None:
            return
        if not self.replies.undo(self.queued.outbox_id):
            self.notify("Too late: it is already being sent", severity="warning")
            return
        if self._countdown is not None:
            self._countdown.stop()
        self.queued = None
        self.plan = self.replies.plan(self.plan.conversation_id or 0, self.plan.kind)
        area = self.query_one("#compose-body", TextArea)
        area.read_only = False
        area.load_text(self.plan.body)
        subject = self.query_one("#compose-subject", Input)
        subject.disabled = False
        subject.value = self.plan.subject
        self.query_one("#compose-status", Static).update("Sending cancelled. " + self._hint())
        self.notify("Sending cancelled; the text is back", title="Undone")

    def action_close(self) -> None:
        """Close once the draft is safe; if it cannot be saved, a second press discards it."""
        if self.queued is None and self._has_text() and not self.save_draft():
            if not self._closing_unsaved:
                self._closing_unsaved = True
                self.notify(
                    "The draft could not be saved. Free some space and close again to keep"
                    " it; closing again without space discards it.",
                    severity="error",
                    title="Not closed",
                )
                return
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ctrl+Z is the editor's own undo until a reply waits in its undo window."""
        if action == "undo":
            return self.queued is not None
        return True


def make_reply_screen(
    services: Services,
    config: Config,
    conversation_id: int,
    kind: ReplyKind = ReplyKind.REPLY,
) -> ComposeScreen:
    """The factory the conversation keys call (reply, reply-all, new message)."""
    return ComposeScreen(services, config, conversation_id, kind)
