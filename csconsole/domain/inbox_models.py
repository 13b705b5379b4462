"""Read-side shapes of the inbox list: views, filters, a row, an account's state.

A thread, a customer card and orders are in ``detail_models``. The store fills them,
services hand them to the console and the command line, and nothing here knows about
SQL or widgets. Text fields hold what the wire sent; the console sanitises at render
time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NotFound(LookupError):
    """The conversation, order or view named does not exist."""


class View(StrEnum):
    """The built-in inbox views, in the order the console shows them."""

    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PENDING = "pending"
    SNOOZED = "snoozed"
    CLOSED = "closed"
    ALL = "all"

    @property
    def label(self) -> str:
        return VIEW_LABELS[self]


VIEW_LABELS = {
    View.OPEN: "Open",
    View.DUE_SOON: "Due soon",
    View.OVERDUE: "Overdue",
    View.PENDING: "Pending",
    View.SNOOZED: "Snoozed",
    View.CLOSED: "Closed",
    View.ALL: "All",
}


class Sort(StrEnum):
    """List orders; urgency puts the nearest SLA deadline first."""

    URGENCY = "urgency"
    NEWEST = "newest"
    OLDEST = "oldest"


@dataclass(frozen=True)
class ConversationFilter:
    """Which conversations a list shows; empty fields mean no constraint."""

    view: View = View.OPEN
    channel: str | None = None
    account_id: int | None = None
    tag: str | None = None
    text: str = ""  # free text matched against the full-text index
    sort: Sort = Sort.URGENCY


@dataclass(frozen=True)
class ConversationSummary:
    """One row of the inbox list."""

    id: int
    channel: str
    account: str
    customer: str
    subject: str
    preview: str
    status: str
    unread: int
    message_count: int
    last_message_at: str | None
    awaiting_since: str | None
    sla_due_at: str | None
    snooze_until: str | None
    tags: tuple[str, ...] = ()
    order_number: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class AccountStatus:
    """An account's sync state for the status bar."""

    id: int
    name: str
    kind: str
    sync_state: str
    last_sync_at: str | None
    last_error: str | None
    last_error_at: str | None


@dataclass(frozen=True)
class SavedView:
    id: int
    name: str
    query: str
