"""Facts the console's parts tell each other, as small past-tense message classes.

Workers post them from their threads (``post_message`` is thread-safe); screens and
widgets handle them on the UI thread. High-rate ones coalesce with ``can_replace``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message


@dataclass
class InboxChanged(Message, bubble=False):  # the app forwards it to the screen, once
    """Conversations changed (a sync batch, an agent's action): lists and counts re-read."""

    conversation_ids: tuple[int, ...] = field(default=())

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, InboxChanged)


@dataclass
class ConversationChanged(Message):
    """One conversation's state changed through the console."""

    conversation_id: int
    change: str  # "closed", "snoozed until ...", "tagged vip" ...


@dataclass
class SnoozesWoke(Message):
    """Snoozed conversations reached their time and are open again."""

    conversation_ids: tuple[int, ...]


@dataclass
class StatusRefreshed(Message, bubble=False):
    """Account sync states or the outbox size may have moved: the status bar re-reads."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StatusRefreshed)


@dataclass
class ActionFailed(Message):
    """An action could not be done; the user sees why."""

    action: str
    error: str
