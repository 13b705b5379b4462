"""The vocabulary shared by every layer: statuses, directions, channels and record shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """Where a conversation stands."""

    OPEN = "open"
    PENDING = "pending"  # waiting on the customer
    SNOOZED = "snoozed"
    CLOSED = "closed"


class Direction(StrEnum):
    """Who a message is from: the customer, the shop, or an internal note."""

    IN = "in"
    OUT = "out"
    NOTE = "note"


class Channel(StrEnum):
    """How the customer reaches the shop."""

    EMAIL = "email"
    TELEGRAM = "telegram"
    SHOP = "shop"  # notes customers leave on their orders


class AccountKind(StrEnum):
    """What kind of source an account is."""

    IMAP = "imap"
    SHOPIFY = "shopify"
    WOOCOMMERCE = "woocommerce"
    TELEGRAM = "telegram"
    DEMO = "demo"


class OutboxState(StrEnum):
    """Life of a queued reply; 'sending' is the crash-recovery checkpoint."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Contact:
    """One way to reach a customer, as written and as matched."""

    kind: str  # email | phone | telegram
    display: str


@dataclass(frozen=True)
class NewMessage:
    """A message about to be stored; sources produce these, the store keeps them."""

    direction: Direction
    sent_at: str
    body_text: str = ""
    subject: str = ""
    from_name: str = ""
    from_addr: str = ""
    to_addrs: tuple[str, ...] = ()
    cc_addrs: tuple[str, ...] = ()
    message_id: str | None = None
    in_reply_to: str | None = None
    refs: tuple[str, ...] = ()
    body_html_text: str = ""
    body_truncated: bool = False
    headers: str = ""
    language: str | None = None
    size: int = 0
    seen: bool = False
    flags: tuple[str, ...] = ()
    author: str | None = None
    decode_warning: str | None = None
    bodystructure: str | None = None
    folder_id: int | None = None
    uidvalidity: int | None = None
    uid: int | None = None
    modseq: int | None = None
    external_id: str | None = None
    attachments: tuple[NewAttachment, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class NewAttachment:
    """Attachment metadata; content stays on the server until the user asks."""

    part: str
    filename: str
    content_type: str = "application/octet-stream"
    size: int = 0
    encoding: str | None = None
    content_id: str | None = None
    inline: bool = False
