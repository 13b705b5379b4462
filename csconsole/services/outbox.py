"""The outbox as agents and scripts see it: queue with undo, list, retry, cancel, send now.

``send`` writes the final message with its final Message-ID to the outbox, the
``reply.queued`` event (threading, author, macro actions for the sender) and the
draft's removal in ONE transaction, and returns at once. ``undo`` cancels a row
the sender has not claimed and puts the text back as a draft.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from csconsole.config import ChannelConfig, ServerConfig
from csconsole.domain.canned import CannedActions
from csconsole.domain.clock import to_iso
from csconsole.domain.mail_compose import build_message, new_message_id
from csconsole.domain.models import Contact, OutboxState
from csconsole.domain.outgoing import (
    Draft,
    OutboxItem,
    QueuedReply,
    ReplyError,
    ReplyKind,
    ReplyPlan,
)
from csconsole.secrets import channel_token, server_secret
from csconsole.services.canned import CannedService
from csconsole.sources.http_client import ClientError, NetworkError, ServerError
from csconsole.sources.telegram import TelegramClient
from csconsole.store import conversation_state, drafts, outbox, reply_context
from csconsole.store.inbox import create_conversation, ensure_account, record_event, upsert_customer
from csconsole.sync.sender import ChannelError, ChannelSender, PasswordSource, Sender, SendReport

if TYPE_CHECKING:
    from csconsole.services import Services


def default_password(server: ServerConfig) -> str:
    """The configured secret for a server; no secret configured means none is needed."""
    if not server.password_command and not server.password_keyring:
        return ""
    return server_secret(server, f"server {server.host} ({server.username})")


class _TelegramSender:
    """Telegram's sendMessage as a ChannelSender, with its errors sorted for the outbox."""

    def __init__(self, client: TelegramClient) -> None:
        self._client = client

    def send_message(self, chat_id: str, text: str) -> object:
        try:
            return self._client.send_message(chat_id, text)
        except (NetworkError, ServerError) as error:
            raise ChannelError(str(error), temporary=True) from error
        except ClientError as error:
            raise ChannelError(str(error), temporary=error.status == 429) from error


def _telegram(channel: ChannelConfig) -> ChannelSender:
    client = TelegramClient(
        token=channel_token(channel),
        api_url=channel.api_url,
        timeout=channel.timeout,
        poll_timeout=channel.poll_timeout,
        ca_file=channel.ca_file,
    )
    return _TelegramSender(client)


# Non-mail channels: how to build the sender of each platform.
CHANNEL_FACTORIES: dict[str, Callable[[ChannelConfig], ChannelSender]] = {"telegram": _telegram}


class OutboxService:
    """Queueing and the outbox's lifecycle."""

    def __init__(self, services: Services, canned: CannedService) -> None:
        self._services = services
        self.canned = canned

    def send(
        self,
        plan: ReplyPlan,
        text: str,
        body: str,
        *,
        canned_id: str | None = None,
        undo_seconds: float | None = None,
    ) -> QueuedReply:
        """Queue ``text`` (the final body; ``body`` is what was typed) in one transaction."""
        if not body.strip():
            raise ReplyError("the reply is empty")
        db = self._services.db()
        actor = self._services.actor
        if plan.kind is ReplyKind.NOTE:
            if plan.conversation_id is None:
                raise ReplyError("a note belongs to a conversation")
            with db.atomic():
                note_id = conversation_state.add_note(
                    db,
                    plan.conversation_id,
                    body.strip(),
                    author=self._services.config.replies.agent_name or "agent",
                    actor=actor,
                )
                if plan.draft_id is not None:
                    drafts.delete_draft(db, plan.draft_id)
            return QueuedReply(None, None, None, note_id)
        if not plan.to:
            raise ReplyError("the reply has no recipient")
        canned = (
            self.canned.get(canned_id or plan.canned_id or "")
            if (canned_id or plan.canned_id)
            else None
        )
        actions = canned.actions if canned else CannedActions()
        delay = self._services.config.replies.undo_seconds if undo_seconds is None else undo_seconds
        now = self._services.clock()
        send_after = now + timedelta(seconds=max(delay, 0))
        sender_addr = plan.from_addr if plan.channel == "email" else "chat@telegram.invalid"
        message_id = new_message_id(sender_addr)
        raw = None
        if plan.channel == "email":
            raw = build_message(
                from_addr=plan.from_addr,
                from_name=plan.from_name,
                to=plan.to,
                cc=plan.cc,
                subject=plan.subject,
                body=text,
                message_id=message_id,
                date=now,
                in_reply_to=plan.in_reply_to,
                references=plan.references,
                language=plan.language,
            )
        with db.atomic():
            conversation_id = plan.conversation_id
            account_id = reply_context.account_by_name(db, plan.account_name or "")
            if conversation_id is None:
                conversation_id, account_id = self._new_conversation(plan)
            outbox_id = outbox.enqueue(
                db,
                channel=plan.channel,
                message_id=message_id,
                recipients=[*plan.to, *plan.cc] if plan.channel == "email" else plan.to[:1],
                send_after=to_iso(send_after),
                conversation_id=conversation_id,
                account_id=account_id,
                subject=plan.subject,
                body_text=text,
                raw=raw,
            )
            record_event(
                db,
                "reply.queued",
                actor=actor,
                conversation_id=conversation_id,
                data={
                    "outbox_id": outbox_id,
                    "kind": plan.kind.value,
                    "actor": actor,
                    "author": self._services.config.replies.agent_name or None,
                    "from_addr": plan.from_addr,
                    "from_name": plan.from_name,
                    "to": list(plan.to),
                    "cc": list(plan.cc),
                    "in_reply_to": plan.in_reply_to,
                    "references": list(plan.references),
                    "language": plan.language,
                    "canned_id": canned.id if canned else None,
                    "intent": canned.intent if canned else None,
                    "actions": actions.as_dict(),
                    "order_number": plan.order_number,
                    "typed": body.strip(),
                },
            )
            if plan.draft_id is not None:
                drafts.delete_draft(db, plan.draft_id)
        return QueuedReply(outbox_id, message_id, send_after)

    def _new_conversation(self, plan: ReplyPlan) -> tuple[int, int]:
        db = self._services.db()
        config = next(
            (a for a in self._services.config.accounts if a.name == plan.account_name), None
        )
        account_id = ensure_account(
            db, plan.account_name or "mail", "imap", address=config.email if config else None
        )
        customer_id = upsert_customer(db, [Contact("email", plan.to[0])], language=plan.language)
        conversation_id = create_conversation(
            db,
            channel="email",
            account_id=account_id,
            customer_id=customer_id,
            subject=plan.subject,
            language=plan.language,
        )
        return conversation_id, account_id

    def undo(self, outbox_id: int) -> bool:
        """Cancel a queued reply before the sender takes it; the text comes back as a draft."""
        db = self._services.db()
        with db.atomic():
            item = outbox.get_item(db, outbox_id)
            if item is None or not outbox.cancel(db, outbox_id):
                return False
            details = outbox.queued_details(db, outbox_id)
            if item.conversation_id is not None:
                kind = ReplyKind(str(details.get("kind") or "reply"))
                drafts.save_draft(
                    db,
                    Draft(
                        conversation_id=item.conversation_id,
                        kind=kind,
                        body=str(details.get("typed") or item.body_text),
                        subject=item.subject,
                        language=details.get("language"),
                        canned_id=details.get("canned_id"),
                    ),
                )
            record_event(
                db,
                "reply.cancelled",
                actor=self._services.actor,
                conversation_id=item.conversation_id,
                data={"outbox_id": outbox_id},
            )
        return True

    # ---- the queue ---------------------------------------------------------------------
    def items(self, states: list[OutboxState] | None = None) -> list[OutboxItem]:
        return outbox.list_items(self._services.db(), states)

    def get(self, outbox_id: int) -> OutboxItem | None:
        return outbox.get_item(self._services.db(), outbox_id)

    def counts(self) -> dict[str, int]:
        return outbox.counts(self._services.db())

    def retry(self, outbox_id: int) -> bool:
        db = self._services.db()
        with db.atomic():
            done = outbox.retry(db, outbox_id)
            if done:
                record_event(
                    db, "reply.retry", actor=self._services.actor, data={"outbox_id": outbox_id}
                )
        return done

    def cancel(self, outbox_id: int) -> bool:
        """Cancel a waiting or failed row for good (the text is kept as a draft)."""
        return self.undo(outbox_id)

    def sender(
        self,
        *,
        password_for: PasswordSource | None = None,
        channels: Mapping[str, ChannelSender] | None = None,
        on_report: Callable[[SendReport], None] | None = None,
        lease_seconds: float = 300.0,
    ) -> Sender:
        """A sender over this thread's connection, for the configured accounts and channels."""
        config = self._services.config
        if channels is None:
            channels = {
                channel.name: CHANNEL_FACTORIES[channel.platform](channel)
                for channel in config.channels
                if channel.platform in CHANNEL_FACTORIES
            }
        return Sender(
            self._services.db(),
            {account.name: account for account in config.accounts},
            password_for=password_for or default_password,
            channels=channels,
            sla=config.sla,
            lease_seconds=lease_seconds,
            timezone=config.display.timezone,
            on_report=on_report,
        )

    def drain(self, **options: object) -> list[SendReport]:
        """Send everything due now (``csconsole outbox flush``, the console's worker)."""
        return self.sender(**options).drain()  # type: ignore[arg-type]
