"""Shapes of what agents write: drafts and queued outgoing messages, and the retry clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from csconsole.domain.models import OutboxState


class ReplyKind(StrEnum):
    """What the agent is writing."""

    REPLY = "reply"
    REPLY_ALL = "reply_all"
    NOTE = "note"  # internal: stored in the thread, never sent
    NEW = "new"  # a new message to a customer


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
