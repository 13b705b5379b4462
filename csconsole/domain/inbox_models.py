"""Read-side shapes of the inbox: what a list row, a thread and a customer card hold.

The store fills them, services hand them to the console and the command line, and
nothing here knows about SQL or widgets. Text fields hold what the wire sent; the
console sanitises at render time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
class AttachmentInfo:
    """An attachment as listed; the content is fetched only on request."""

    id: int
    message_id: int
    filename: str
    content_type: str
    size: int
    fetched: bool


@dataclass(frozen=True)
class MessageInfo:
    """One message of a thread."""

    id: int
    direction: str  # in | out | note
    from_name: str
    from_addr: str
    subject: str
    sent_at: str
    body_text: str
    body_html_text: str
    author: str | None
    headers: str
    seen: bool
    language: str | None
    decode_warning: str | None
    attachments: tuple[AttachmentInfo, ...] = ()


@dataclass(frozen=True)
class ShipmentInfo:
    carrier: str
    tracking_number: str
    tracking_url: str
    status: str
    updated_at: str | None


@dataclass(frozen=True)
class OrderInfo:
    """An order as the side pane shows it."""

    id: int
    number: str
    account: str
    placed_at: str | None
    financial_status: str
    fulfillment_status: str
    currency: str
    total: str
    items: tuple[str, ...]
    linked: bool
    shipments: tuple[ShipmentInfo, ...] = ()


@dataclass(frozen=True)
class CustomerCard:
    """Who the customer is and what they have bought."""

    id: int
    names: tuple[str, ...]
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    chats: tuple[str, ...]
    language: str | None
    order_count: int
    lifetime_value: str  # "120.00 EUR + 3,000,000 IRR" style: one total per currency
    other_conversations: tuple[tuple[int, str, str], ...] = ()  # id, subject, status


@dataclass(frozen=True)
class ConversationDetail:
    """Everything the conversation screen shows."""

    summary: ConversationSummary
    messages: tuple[MessageInfo, ...]
    customer: CustomerCard | None
    orders: tuple[OrderInfo, ...]
    tags: tuple[str, ...] = field(default=())


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
