"""ComposeScreen: write a reply, a reply-all or an internal note, with undo after sending.

The draft is saved on every pause in typing (and when the screen closes), so a
crash or a closed terminal loses nothing. ``::`` or Ctrl+T opens the canned
picker; Ctrl+E hands the text to ``$VISUAL``/``$EDITOR`` and takes it back.
Arabic and Persian text gets a shaped, right-to-left preview under the editor,
because terminals (and Textual's TextArea) do not reorder it. After Ctrl+S the
reply waits out the undo window here, with a countdown; Ctrl+Z takes it back.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, Static, TextArea

from csconsole.config import Config
from csconsole.domain.outgoing import QueuedReply, ReplyError, ReplyKind, ReplyPlan
from csconsole.domain.text import sanitize
from csconsole.services import Services
from csconsole.services.replies import RepliesService
from csconsole.ui import rtl
from csconsole.ui.widgets.canned_picker import CannedPicker

AUTOSAVE_SECONDS = 0.6


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


class ComposeScreen(Screen[None]):
    """The reply editor for one conversation."""

    DEFAULT_CSS = """
    ComposeScreen #compose-headers { height: auto; padding: 0 1; background: $boost; }
    ComposeScreen #compose-note { height: auto; padding: 0 1; color: $warning; }
    ComposeScreen #compose-body { height: 1fr; }
    ComposeScreen #compose-preview { height: auto; max-height: 40%; padding: 0 1;
                                     border-top: solid $primary-darken-2; display: none; }
    ComposeScreen #compose-preview.-visible { display: block; }
    ComposeScreen #compose-status { height: 1; padding: 0 1; background: $primary-darken-2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send", id="reply.send", priority=True),
        Binding("ctrl+t", "canned", "Canned", id="reply.canned", priority=True),
        Binding("ctrl+e", "editor", "$EDITOR", id="reply.editor", priority=True),
        Binding("ctrl+z", "undo", "Undo send", id="reply.undo", priority=True),
        Binding("escape", "close", "Close (keeps draft)", id="reply.close"),
    ]

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
        self.plan: ReplyPlan = self.replies.plan(conversation_id, kind)
        self.canned_id: str | None = self.plan.canned_id
        self.queued: QueuedReply | None = None
        self._autosave: Timer | None = None
        self._countdown: Timer | None = None
        self._seconds_left = 0
        self._last_text = self.plan.body

    # ---- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self._headers(), id="compose-headers")
        yield Static("", id="compose-note")
        yield TextArea(self.plan.body, id="compose-body", soft_wrap=True, show_line_numbers=False)
        yield Static("", id="compose-preview")
        yield Static(self._hint(), id="compose-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
        self._update_preview()

    def _headers(self) -> str:
        plan = self.plan
        if plan.kind is ReplyKind.NOTE:
            return "Internal note (never sent to the customer)"
        lines = [
            f"From: {plan.from_name} <{plan.from_addr}>" if plan.from_addr else "",
            f"To: {', '.join(plan.to)}",
            f"Cc: {', '.join(plan.cc)}" if plan.cc else "",
            f"Subject: {rtl.display(plan.subject, self.config.display.bidi)}",
            f"Language: {plan.language or 'unknown'}",
        ]
        return sanitize("\n".join(line for line in lines if line), multiline=True)

    def _hint(self) -> str:
        return "Ctrl+S send · :: or Ctrl+T canned · Ctrl+E $EDITOR · Esc close (draft kept)"

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
        text = self.body
        mode = self.config.display.bidi
        if not rtl.has_rtl(text) or mode not in rtl.APP_MODES:
            preview.set_class(False, "-visible")
            return
        width = max(20, self.size.width - 2)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            for shown, right in rtl.wrap(paragraph, width, mode) or [("", False)]:
                lines.append(shown.rjust(width) if right else shown)
        preview.update(sanitize("\n".join(lines), multiline=True))
        preview.set_class(True, "-visible")

    # ---- typing and drafts -------------------------------------------------------------
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._update_preview()
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(AUTOSAVE_SECONDS, self.save_draft)
        area = event.text_area
        row, column = area.cursor_location
        line = area.document.get_line(row)
        if column >= 2 and line[column - 2 : column] == "::":
            area.delete((row, column - 2), (row, column))
            self.action_canned()

    def save_draft(self) -> None:
        if self.queued is not None:
            return
        self.plan = self.replies.save_draft(self.plan, self.body, canned_id=self.canned_id)

    def on_unmount(self) -> None:
        if self.queued is None and (self.body.strip() or self.plan.draft_id is not None):
            self.save_draft()

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
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile(
            "w", suffix=".txt", prefix="csconsole-reply-", encoding="utf-8", delete=False
        ) as handle:
            handle.write(self.body)
            path = Path(handle.name)
        try:
            try:
                with self.app.suspend():
                    subprocess.run([*shlex.split(command), str(path)], check=False)
            except SuspendNotSupported:  # headless (tests) or a driver that cannot suspend
                subprocess.run([*shlex.split(command), str(path)], check=False)
            text = path.read_text(encoding="utf-8")
        finally:
            path.unlink(missing_ok=True)
        self.query_one("#compose-body", TextArea).load_text(text.rstrip("\n"))
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
            return
        if self.queued.outbox_id is None:
            self.notify("Note added", title="Note")
            self.dismiss(None)
            return
        self.query_one("#compose-body", TextArea).read_only = True
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
            self._send_now()
            self.dismiss(None)
            return
        status.update(f"Sending in {self._seconds_left} s — Ctrl+Z to undo")
        self._seconds_left -= 1

    def _send_now(self) -> None:
        app: Any = self.app
        drain = getattr(app, "drain_outbox", None)
        if callable(drain):  # the console runs its own sender worker
            drain()
            return
        _drain_in_background(self.app, self.services)

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
        self.query_one("#compose-status", Static).update("Sending cancelled. " + self._hint())
        self.notify("Sending cancelled; the text is back", title="Undone")

    def action_close(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ctrl+Z is the editor's own undo until a reply waits in its undo window."""
        if action == "undo":
            return self.queued is not None
        return True


def _drain_in_background(app: Any, services: Services) -> None:
    """Send what is due in a thread that outlives the closed editor (and a quitting app)."""
    del app
    threading.Thread(target=_drain_sync, args=(services,), name="outbox", daemon=True).start()


def _drain_sync(services: Services) -> None:
    try:
        RepliesService(services).outbox.drain()
    finally:
        services.close_thread()


def make_reply_screen(services: Services, config: Config, conversation_id: int) -> ComposeScreen:
    """The factory the conversation screen calls for its ``conversation.reply`` action."""
    return ComposeScreen(services, config, conversation_id)
