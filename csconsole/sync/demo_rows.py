"""Rows for the demo shop, exactly as the shared write path would have stored them.

``store.inbox.add_message`` updates a conversation one message at a time; the demo
loader cannot afford a read and an update per message for 100,000 conversations,
so ``fold_conversation`` replays the same rules in memory (counters, preview,
awaiting_since, first_response_at, last_*_at, reopen on a customer message, SLA
deadline) and the loader inserts the final rows in bulk. The tests compare the
two paths on generated threads, so a change to one shows up against the other.

Two deliberate differences from a live sync: events carry the moment the change
happened in the story (not the build time), so reports over the demo look like a
shop's history; and ``received_at``/``created_at``/``updated_at`` are the build time,
which is what the live path would record when syncing everything at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from csconsole.domain.clock import from_iso, to_iso
from csconsole.domain.models import Direction, NewMessage, Status
from csconsole.domain.sla import SlaPolicies, due_at
from csconsole.domain.threading import normalize_subject
from csconsole.sources.demo_records import DemoConversation, StatusChange
from csconsole.store.inbox import PREVIEW_LENGTH

CONVERSATION_COLUMNS = (
    "id, channel, account_id, customer_id, external_id, subject, subject_key, status, "
    "snooze_until, assignee, language, unread, message_count, preview, created_at, updated_at, "
    "last_message_at, last_inbound_at, last_outbound_at, first_response_at, awaiting_since, "
    "sla_due_at"
)


@dataclass
class Folded:
    """A conversation's final row, its messages and the events its story produced."""

    row: tuple[Any, ...] = ()
    messages: list[NewMessage] = field(default_factory=list)
    events: list[tuple[str, str, str, str]] = field(default_factory=list)  # at, actor, kind, data


def _event_data(before: str, after: str, **extra: str) -> str:
    return json.dumps({"from": before, "to": after, **extra}, ensure_ascii=False)


def fold_conversation(
    conv: DemoConversation,
    *,
    account_id: int,
    now_text: str,
    sla: SlaPolicies,
) -> Folded:
    """Replay ``add_message`` (and agents' status changes) over a thread, in memory."""
    status = Status.OPEN.value
    snooze_until: str | None = None
    awaiting: str | None = None
    first_response: str | None = None
    last_message: str | None = None
    last_inbound: str | None = None
    last_outbound: str | None = None
    preview = ""
    unread = count = 0
    folded = Folded()
    for step in conv.steps:
        if isinstance(step, StatusChange):
            extra = {"until": step.snooze_until} if step.snooze_until else {}
            data = _event_data(status, step.status.value, **extra)
            folded.events.append((step.at, step.actor, "conversation.status", data))
            status = step.status.value
            snooze_until = step.snooze_until if step.status is Status.SNOOZED else None
            continue
        message = step
        folded.messages.append(message)
        sent = message.sent_at
        newest = last_message is None or sent >= last_message
        previous_last = last_message
        if message.direction is not Direction.NOTE and newest:
            last_message = sent
            preview = " ".join((message.body_text or message.body_html_text).split())[
                :PREVIEW_LENGTH
            ]
        if message.direction is Direction.IN:
            last_inbound = max(filter(None, [sent, previous_last]))
            if awaiting is None or sent < awaiting:
                awaiting = sent
            if status != Status.OPEN.value and newest:
                data = _event_data(status, Status.OPEN.value, reason="customer wrote")
                folded.events.append((sent, "system", "conversation.status", data))
                status = Status.OPEN.value
                snooze_until = None
            if not message.seen:
                unread += 1
        elif message.direction is Direction.OUT:
            last_outbound = sent
            if first_response is None:
                first_response = sent
            if awaiting is not None and sent >= awaiting:
                awaiting = None
        count += 1
    due = due_at(
        sla.for_channel(conv.channel),
        from_iso(awaiting) if awaiting else None,
        first_response=first_response is None,
    )
    subject_key = normalize_subject(conv.subject) if conv.channel == "email" else ""
    folded.row = (
        conv.key,
        conv.channel,
        account_id,
        conv.customer_key,
        conv.external_id,
        conv.subject,
        subject_key,
        status,
        snooze_until,
        conv.assignee,
        conv.language,
        unread,
        count,
        preview,
        conv.created_at,
        now_text,
        last_message,
        last_inbound,
        last_outbound,
        first_response,
        awaiting,
        to_iso(due) if due else None,
    )
    return folded
