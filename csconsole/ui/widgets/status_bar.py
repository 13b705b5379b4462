"""The bottom line: each account's sync state, offline, outbox size, last error, feedback.

It repaints only when its text actually changes, so a periodic refresh costs nothing
on the wire when nothing moved.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from csconsole.domain.inbox_models import AccountStatus
from csconsole.domain.text import sanitize

# "partial": the account synced but some folder failed; its error names the folder.
STATE_MARKS = {"idle": "✓", "syncing": "⟳", "partial": "⚠", "error": "✗", "offline": "offline"}


class StatusBar(Static):
    """Sync states, outbox count and the last thing that happened."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text-muted; }
    StatusBar.-error { color: $error; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._accounts: list[AccountStatus] = []
        self._outbox = 0
        self._feedback = ""
        self._shown = ""

    def set_state(self, accounts: list[AccountStatus], outbox: int) -> None:
        self._accounts = accounts
        self._outbox = outbox
        self._paint()

    def say(self, feedback: str) -> None:
        """Tell the user what just happened (replaces the previous feedback)."""
        self._feedback = sanitize(feedback)
        self._paint()

    @property
    def text(self) -> str:
        return self._shown

    def _paint(self) -> None:
        parts = []
        # Offline: something failed and nothing answers. Accounts that never synced
        # (the demo's, a store moved from elsewhere) neither prove nor disprove a link.
        reachable = any(
            a.sync_state in ("idle", "syncing") and a.last_sync_at for a in self._accounts
        )
        failing = any(a.sync_state in ("offline", "error") for a in self._accounts)
        offline = failing and not reachable
        if offline:
            parts.append("OFFLINE")
        for account in self._accounts:
            mark = STATE_MARKS.get(account.sync_state, account.sync_state)
            parts.append(f"{sanitize(account.name)} {mark}")
        if self._outbox:
            parts.append(f"outbox {self._outbox}")
        # An unreachable server ("offline") deserves its reason as much as a refused login.
        errors = [
            a
            for a in self._accounts
            if a.sync_state in ("error", "offline", "partial") and a.last_error
        ]
        if errors:
            latest = max(errors, key=lambda a: a.last_error_at or "")
            parts.append(f"{sanitize(latest.name)}: {sanitize(latest.last_error or '')[:60]}")
        if self._feedback:
            parts.append(self._feedback)
        text = " │ ".join(parts)
        if text != self._shown:
            self._shown = text
            self.set_class(bool(errors), "-error")
            self.update(Text(" " + text, no_wrap=True, overflow="ellipsis"))
