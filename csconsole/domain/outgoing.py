"""Shapes of what agents write: drafts and queued outgoing messages, and the retry clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from csconsole.domain.models import OutboxState


class ReplyKind(StrEnum):
    """What the agent is writing."""

    REPLY = "reply"
    REPLY_ALL = "reply_all"
    NOTE = "note"  # internal: stored in the thread, never sent
    NEW = "new"  # a new message to a customer


# Ctrl+R in the editor walks this cycle; a new message stays what it is.
KIND_CYCLE = (ReplyKind.REPLY, ReplyKind.REPLY_ALL, ReplyKind.NOTE)
KIND_LABELS = {
    ReplyKind.REPLY: "Reply",
    ReplyKind.REPLY_ALL: "Reply to all",
    ReplyKind.NOTE: "Internal note",
    ReplyKind.NEW: "New message",
}


def next_kind(kind: ReplyKind, channel: str) -> ReplyKind | None:
    """The kind after ``kind`` in the cycle (None for a new message).

    Chat channels have one recipient, so reply-all is skipped there.
    """
    if kind not in KIND_CYCLE:
        return None
    cycle = [k for k in KIND_CYCLE if channel == "email" or k is not ReplyKind.REPLY_ALL]
    if kind not in cycle:
        return cycle[0]
    return cycle[(cycle.index(kind) + 1) % len(cycle)]


@dataclass(frozen=True)
class Draft:
    """Text being written, saved continuously so a crash loses nothing."""

    conversation_id: int | None
    kind: ReplyKind
    body: str = ""
    subject: str = ""
    to_addrs: tuple[str, ...] = ()
    cc_addrs: tuple[str, ...] = ()
    language: str | None = None
    canned_id: str | None = None
    updated_at: str = ""
    id: int | None = None


@dataclass(frozen=True)
class OutboxItem:
    """A message on its way out; ``message_id`` is final from the moment it is queued."""

    id: int
    conversation_id: int | None
    account_id: int | None
    channel: str
    message_id: str
    recipients: tuple[str, ...]
    subject: str
    body_text: str
    raw: bytes | None
    state: OutboxState
    send_after: str
    attempts: int = 0
    next_attempt_at: str | None = None
    last_error: str | None = None
    external_id: str | None = None
    created_at: str = ""
    updated_at: str = ""
    sent_at: str | None = None
    recovered: bool = field(default=False, compare=False)  # found in 'sending' after a crash


# Seconds to wait after the n-th temporary failure: quick at first (a blip), then
# patient (a server down for maintenance), never more than an hour apart.
BACKOFF_SECONDS = (30, 60, 120, 300, 600, 1800, 3600)


def backoff_delay(attempts: int) -> int:
    """How long to wait before the next try after ``attempts`` failed ones (1-based)."""
    if attempts < 1:
        return 0
    return BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1]


class ReplyError(Exception):
    """The reply cannot be written or sent as asked (message says why and what to do)."""


@dataclass(frozen=True)
class ReplyPlan:
    """Everything about a reply except the text the agent types."""

    conversation_id: int | None
    kind: ReplyKind
    channel: str
    account_name: str | None
    from_addr: str = ""
    from_name: str = ""
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    subject: str = ""
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    language: str | None = None
    quoted: str = ""
    signature: str = ""
    body: str = ""  # the saved draft, if there is one
    draft_id: int | None = None
    canned_id: str | None = None
    order_number: str | None = None


@dataclass(frozen=True)
class RenderedCanned:
    """A canned response filled for one conversation; ``body`` is None while values are missing."""

    canned_id: str
    language: str
    body: str | None
    subject: str | None
    fallback_note: str | None
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueuedReply:
    """What ``send`` did: a queued row (undoable until ``send_after``) or a stored note."""

    outbox_id: int | None
    message_id: str | None
    send_after: datetime | None
    note_id: int | None = None
