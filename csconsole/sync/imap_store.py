"""Storing fetched mail: threading, moved copies, and what a customer's reply reopens.

Called inside the transaction that also moves the folder cursor, so every side
effect here (a new conversation, a queued keyword change) commits with the batch.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from csconsole.domain.clock import now_iso
from csconsole.domain.models import Direction, NewMessage, Status
from csconsole.domain.sla import SlaPolicies
from csconsole.domain.text import normalize_email
from csconsole.sources.imap_message import build_message
from csconsole.store import flag_queue, mail_state
from csconsole.store.conversation_merge import can_merge, merge_conversations
from csconsole.store.inbox import add_message_with_state
from csconsole.store.mail_batch import MailBatch
from csconsole.sync.imap_threading import choose_conversation, counterpart

# Statuses whose keywords a customer's new mail takes off the server (snoozed has none).
_KEYWORD_STATUSES = {Status.PENDING.value, Status.CLOSED.value}


@dataclass
class FolderReport:
    """What one folder's sync changed in the store."""

    folder: str
    new: int = 0
    flag_changes: int = 0
    removed: int = 0
    moved: int = 0
    rematched: int = 0
    warnings: int = 0
    uidvalidity_reset: bool = False
    error: str | None = None  # the server refused this folder (e.g. it does not exist)
    conversations: set[int] = field(default_factory=set)


class MessageStorer:
    """Turns FETCH data of one account into stored messages."""

    def __init__(
        self,
        db: Database,
        account_id: int,
        own_address: str,
        *,
        body_cap: int,
        sla: SlaPolicies | None,
    ) -> None:
        self.db = db
        self.account_id = account_id
        self.own_address = own_address
        self.body_cap = body_cap
        self.sla = sla

    def _direction_rule(self, role: str) -> Direction | Callable[[str], Direction]:
        if role == "sent":
            return Direction.OUT
        own = self.own_address
        return lambda sender: Direction.OUT if normalize_email(sender) == own else Direction.IN

    def store(
        self,
        cursor: mail_state.FolderCursor,
        uidvalidity: int,
        fetched: dict[int, dict[bytes, Any]],
        report: FolderReport,
    ) -> None:
        """Store one fetched batch (the caller holds the transaction)."""
        # Building a batch makes tens of thousands of short-lived objects and no cycles
        # worth chasing: the cyclic collector waits until the batch is stored.
        collecting = gc.isenabled()
        if collecting:
            gc.disable()
        try:
            self._store(cursor, uidvalidity, fetched, report)
        finally:
            if collecting:
                gc.enable()

    def _store(
        self,
        cursor: mail_state.FolderCursor,
        uidvalidity: int,
        fetched: dict[int, dict[bytes, Any]],
        report: FolderReport,
    ) -> None:
        direction = self._direction_rule(cursor.role)
        messages = []
        for uid in sorted(fetched):  # oldest first, so a parent is stored before its reply
            message = build_message(
                uid,
                fetched[uid],
                direction=direction,
                body_cap=self.body_cap,
                uidvalidity=uidvalidity,
                folder_id=cursor.id,
            )
            if message.decode_warning:
                report.warnings += 1
            messages.append(message)
        if not messages:
            return
        batch = MailBatch(
            self.db,
            self.account_id,
            message_ids=[m.message_id for m in messages if m.message_id],
            referenced=[ref for m in messages for ref in (m.in_reply_to, *m.refs) if ref],
            emails=[counterpart(m)[1] for m in messages],
        )
        now = now_iso()  # one batch, one transaction: one receiving time
        for message in messages:
            if self._reattach(cursor, message, report, batch):
                continue
            conversation_id = choose_conversation(self.db, self.account_id, message, batch)
            stored, before, state = add_message_with_state(
                self.db,
                conversation_id,
                message,
                account_id=self.account_id,
                sla=self.sla,
                reindex=False,
                state=batch.states.get(conversation_id),
                now=now,
            )
            if stored is None:
                continue
            if state is not None:
                batch.states[conversation_id] = state
            batch.stored(stored, conversation_id, message, _references(message))
            report.new += 1
            report.conversations.add(conversation_id)
            self._join_stored_replies(conversation_id, message, report, batch)
            if before in _KEYWORD_STATUSES and (
                mail_state.conversation_status(self.db, conversation_id) == Status.OPEN.value
            ):
                # The customer reopened it: take $CSPending/$CSClosed off the server too,
                # exactly as a reopen from the console does.
                flag_queue.queue_status(self.db, conversation_id, Status.OPEN)

    def _join_stored_replies(
        self, conversation_id: int, message: NewMessage, report: FolderReport, batch: MailBatch
    ) -> None:
        """Replies stored before this message, in a conversation of their own, join it:
        it answered an older message too, so both conversations are one thread."""
        if not message.message_id:
            return
        merged = False
        for other in batch.conversations_replying_to(message.message_id):
            if other != conversation_id and can_merge(self.db, other, conversation_id):
                merge_conversations(self.db, other, conversation_id, sla=self.sla)
                report.conversations.add(other)  # its search row goes too
                merged = True
        if merged:
            batch.reload()  # messages moved between conversations

    def _reattach(
        self,
        cursor: mail_state.FolderCursor,
        message: NewMessage,
        report: FolderReport,
        batch: MailBatch,
    ) -> bool:
        """A message we already hold elsewhere (moved, or our own sent reply) is not duplicated."""
        if not message.message_id or message.uid is None or message.uidvalidity is None:
            return False
        for stored in batch.find_by_message_id(message.message_id):
            if stored.folder_id is None or stored.folder_id != cursor.id:
                mail_state.place_message(
                    self.db, stored.id, cursor.id, message.uidvalidity, message.uid, message.flags
                )
                batch.placed(
                    message.message_id, stored.id, cursor.id, message.uidvalidity, message.uid
                )
                report.moved += 1
                report.conversations.add(stored.conversation_id)
                return True
        return False


def _references(message: NewMessage) -> set[str]:
    """The Message-IDs the ``message_refs`` trigger records for a stored message."""
    found = {ref for ref in message.refs if ref}
    if message.in_reply_to:
        found.add(message.in_reply_to)
    return found
