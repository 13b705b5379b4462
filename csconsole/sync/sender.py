"""Drains the outbox: each queued message leaves exactly once, or stays visibly waiting.

For one row: claim it ('sending' is written before anything leaves), hand it to
SMTP (or the chat channel), then in ONE transaction mark it sent, record the
reply in its conversation, apply the macro's actions and log the event. Filing
the copy in Sent and flagging the original \\Answered come after; their failure
is logged, never a reason to send again.

A row found still 'sending' means a sender died mid-send. For mail we look for
its Message-ID in Sent first (``UID SEARCH HEADER Message-ID``): found means it
went out, so it is marked sent without sending again. For chat channels, which
offer no such check, the row is parked as failed with an explanation, so a human
decides rather than the customer getting it twice. The only window left is a
crash while the SMTP server is still answering DATA on a server that keeps no
Sent copy of its own: SMTP itself cannot tell us then.
"""

from __future__ import annotations

import email
import email.message
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.header import decode_header, make_header
from typing import Any, Protocol

from sqlite_utils import Database

from csconsole.config import AccountConfig, ServerConfig
from csconsole.domain.canned import CannedActions
from csconsole.domain.clock import from_iso, to_iso, utc_now
from csconsole.domain.models import Direction, NewMessage, Status
from csconsole.domain.outgoing import OutboxItem, backoff_delay
from csconsole.domain.sla import SlaPolicies
from csconsole.domain.snooze import parse_snooze
from csconsole.sources.sent_folder import SentFolder, server_saves_sent
from csconsole.sources.smtp import SmtpError, send_message
from csconsole.store import conversation_state, outbox
from csconsole.store.inbox import add_message, record_event

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 25  # with the backoff schedule: about a day of trying


class ChannelSender(Protocol):
    """A non-mail channel that can deliver a text (Telegram's sendMessage and the like).

    Returns the channel's id of the sent message. Errors carrying ``temporary =
    True`` (or OSError/TimeoutError) are retried with backoff; others are permanent.
    """

    def send_message(self, chat_id: str, text: str) -> object: ...


class ChannelError(Exception):
    """A channel refused or failed to deliver; ``temporary`` decides retry or failure."""

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary


@dataclass(frozen=True)
class SendReport:
    """What happened to one row, for progress callbacks and the CLI."""

    outbox_id: int
    conversation_id: int | None
    outcome: str  # sent | already_sent | retry | failed
    detail: str = ""


PasswordSource = Callable[[ServerConfig], str]


def _temporary(error: BaseException) -> bool:
    flag = getattr(error, "temporary", None)
    if isinstance(flag, bool):
        return flag
    return isinstance(error, OSError | TimeoutError)


class Sender:
    """Sends due outbox rows for the configured accounts and channels."""

    def __init__(
        self,
        db: Database,
        accounts: Mapping[str, AccountConfig],
        *,
        password_for: PasswordSource,
        channels: Mapping[str, ChannelSender] | None = None,
        sla: SlaPolicies | None = None,
        lease_seconds: float = 300.0,
        timezone: str = "UTC",
        on_report: Callable[[SendReport], None] | None = None,
    ) -> None:
        self.db = db
        self.accounts = dict(accounts)
        self.password_for = password_for
        self.channels = dict(channels or {})
        self.sla = sla
        self.lease_seconds = lease_seconds
        self.timezone = timezone
        self.on_report = on_report

    # ---- the loop --------------------------------------------------------------------
    def drain(self, *, limit: int | None = None) -> list[SendReport]:
        """Send every row that is due now; returns one report per row handled."""
        reports: list[SendReport] = []
        while limit is None or len(reports) < limit:
            item = outbox.claim_next(
                self.db, now=to_iso(utc_now()), lease_seconds=self.lease_seconds
            )
            if item is None:
                break
            report = self.process(item)
            reports.append(report)
            if self.on_report:
                self.on_report(report)
        return reports

    def run(self, stop: threading.Event, *, idle_seconds: float = 2.0) -> None:
        """Drain until ``stop`` is set, sleeping between passes (works offline: rows wait)."""
        while not stop.is_set():
            try:
                self.drain()
            except Exception:  # the loop must survive anything one row can throw
                log.exception("outbox pass failed")
            stop.wait(idle_seconds)

    # ---- one row ---------------------------------------------------------------------
    def process(self, item: OutboxItem) -> SendReport:
        details = outbox.queued_details(self.db, item.id)
        try:
            if item.channel == "email":
                return self._process_mail(item, details)
            return self._process_channel(item, details)
        except Exception as error:
            return self._failure(item, error)

    def _failure(self, item: OutboxItem, error: BaseException) -> SendReport:
        message = str(error) or error.__class__.__name__
        with self.db.atomic():
            if _temporary(error) and item.attempts < MAX_ATTEMPTS:
                later = utc_now() + timedelta(seconds=backoff_delay(max(item.attempts, 1)))
                outbox.mark_retry(self.db, item.id, message, to_iso(later))
                outcome = "retry"
            else:
                outbox.mark_failed(self.db, item.id, message)
                outcome = "failed"
            record_event(
                self.db,
                f"reply.{outcome}",
                actor="system",
                conversation_id=item.conversation_id,
                data={"outbox_id": item.id, "error": message, "attempts": item.attempts},
            )
        return SendReport(item.id, item.conversation_id, outcome, message)

    def _account(self, item: OutboxItem) -> AccountConfig:
        name = outbox.account_name(self.db, item.account_id)
        account = self.accounts.get(name or "")
        if account is None or account.smtp is None:
            raise _Permanent(f"no SMTP server configured for account {name or '?'}")
        return account

    def _process_mail(self, item: OutboxItem, details: Mapping[str, Any]) -> SendReport:
        account = self._account(item)
        smtp = account.smtp
        assert smtp is not None
        if item.raw is None:
            raise _Permanent("the queued message has no content")
        if item.recovered:
            with SentFolder(
                account.imap, self.password_for(account.imap), account.sent_folder
            ) as s:
                if s.contains(item.message_id):
                    self._finish(item, details, external_id=None)
                    return SendReport(item.id, item.conversation_id, "already_sent")
        result = send_message(
            smtp,
            self.password_for(smtp),
            sender=account.email,
            recipients=list(item.recipients),
            raw=item.raw,
        )
        note = ""
        if result.refused:
            note = "refused: " + ", ".join(f"{r} ({c} {m})" for r, (c, m) in result.refused.items())
        self._finish(item, details, external_id=None, warning=note or None)
        self._after_mail(item, account, details)
        return SendReport(item.id, item.conversation_id, "sent", note)

    def _after_mail(
        self, item: OutboxItem, account: AccountConfig, details: Mapping[str, Any]
    ) -> None:
        """Sent copy and \\Answered: best effort, logged when they fail."""
        assert account.smtp is not None and item.raw is not None
        append = not server_saves_sent(account.smtp.host, account.save_sent)
        original = outbox.original_location(self.db, str(details.get("in_reply_to") or ""))
        if not append and original is None:
            return
        try:
            with SentFolder(
                account.imap, self.password_for(account.imap), account.sent_folder
            ) as s:
                if append:
                    s.append(item.raw, utc_now())
                if original is not None:
                    s.mark_answered(*original)
        except Exception as error:  # the reply is out; a missing copy is logged, not fatal
            with self.db.atomic():
                record_event(
                    self.db,
                    "reply.sent_copy_failed",
                    actor="system",
                    conversation_id=item.conversation_id,
                    data={"outbox_id": item.id, "error": str(error)},
                )

    def _process_channel(self, item: OutboxItem, details: Mapping[str, Any]) -> SendReport:
        name = outbox.account_name(self.db, item.account_id) or ""
        channel = self.channels.get(name)
        if channel is None:
            raise _Temporary(f"channel {name or item.channel} is not connected")
        if item.recovered:
            raise _Permanent(
                "the sender stopped while this message was being sent; it may have arrived. "
                "Check the chat, then retry or cancel it"
            )
        external_id = channel.send_message(item.recipients[0], item.body_text)
        self._finish(item, details, external_id=str(external_id))
        return SendReport(item.id, item.conversation_id, "sent")

    # ---- bookkeeping -----------------------------------------------------------------
    def _finish(
        self,
        item: OutboxItem,
        details: Mapping[str, Any],
        *,
        external_id: str | None,
        warning: str | None = None,
    ) -> None:
        """Mark sent, store the reply in its thread, apply the macro: one transaction."""
        now = to_iso(utc_now())
        headers = email.message_from_bytes(item.raw) if item.raw else None
        with self.db.atomic():
            outbox.mark_sent(self.db, item.id, external_id=external_id)
            if warning:
                outbox.mark_sent_warning(self.db, item.id, warning)
            if item.conversation_id is not None:
                add_message(
                    self.db,
                    item.conversation_id,
                    NewMessage(
                        direction=Direction.OUT,
                        sent_at=now,
                        body_text=item.body_text,
                        subject=item.subject,
                        from_name=str(details.get("from_name") or ""),
                        from_addr=str(details.get("from_addr") or ""),
                        to_addrs=tuple(details.get("to") or item.recipients),
                        cc_addrs=tuple(details.get("cc") or ()),
                        message_id=item.message_id if item.channel == "email" else None,
                        in_reply_to=details.get("in_reply_to"),
                        refs=tuple(details.get("references") or ()),
                        headers=_header_block(headers),
                        language=details.get("language"),
                        author=details.get("author"),
                        seen=True,
                        external_id=external_id,
                    ),
                    account_id=item.account_id,
                    sla=self.sla,
                )
                self._apply_actions(item, details)
            record_event(
                self.db,
                "reply.sent",
                actor=str(details.get("actor") or "system"),
                conversation_id=item.conversation_id,
                data={
                    "outbox_id": item.id,
                    "message_id": item.message_id,
                    "canned_id": details.get("canned_id"),
                    "intent": details.get("intent"),
                    "channel": item.channel,
                },
            )

    def _apply_actions(self, item: OutboxItem, details: Mapping[str, Any]) -> None:
        raw = details.get("actions")
        if not isinstance(raw, dict) or item.conversation_id is None:
            return
        actions = CannedActions.from_dict(raw)
        actor = str(details.get("actor") or "system")
        conversation = item.conversation_id
        for tag in actions.add_tags:
            conversation_state.add_tag(self.db, conversation, tag, actor=actor)
        number = details.get("order_number")
        if actions.link_order and number:
            try:
                conversation_state.link_order(self.db, conversation, str(number), actor=actor)
            except conversation_state.NotFound:
                log.info("order %s not found for conversation %s", number, conversation)
        if actions.snooze:
            until = parse_snooze(actions.snooze, from_iso(to_iso(utc_now())), self.timezone)
            conversation_state.set_status(
                self.db, conversation, Status.SNOOZED, actor=actor, snooze_until=to_iso(until)
            )
        elif actions.status:
            conversation_state.set_status(
                self.db, conversation, Status(actions.status), actor=actor
            )


def _header_block(message: email.message.Message | None) -> str:
    if message is None:
        return ""
    lines = []
    for key, value in message.items():
        try:
            text = str(make_header(decode_header(value)))
        except (ValueError, LookupError):
            text = value
        lines.append(f"{key}: {text}\n")
    return "".join(lines)


class _Temporary(Exception):
    temporary = True


class _Permanent(Exception):
    temporary = False


__all__ = ["ChannelError", "ChannelSender", "SendReport", "Sender", "SmtpError"]
