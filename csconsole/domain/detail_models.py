"""Read-side shapes of one open conversation: its messages, customer card and orders.

Kept apart from ``inbox_models`` (the list's shapes) so that the inbox paints without
defining them; the conversation screen loads them when it opens. Text fields hold
what the wire sent; the console sanitises at render time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from csconsole.domain.inbox_models import ConversationSummary


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
