"""Writing to customers: plan a reply, fill canned responses, keep drafts, queue with undo.

A reply is planned from the conversation (From is the address the customer wrote
to, threading headers from the parent, one ``Re:``, the customer's language),
edited as a draft saved continuously, and sent by writing the final message with
its final Message-ID to the outbox in one transaction (``send``); the sender
takes it after the undo window. Internal notes are stored at once and never sent.
A new message to the customer is a fresh thread (no threading headers, a subject
the agent types) kept in the same conversation. ``switch_kind`` moves the typed
text and its draft between reply, reply-all and note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from csconsole.domain.canned import pick_variant
from csconsole.domain.localize import Locale
from csconsole.domain.mail_compose import (
    quote_original,
    references_for,
    reply_subject,
    with_signature,
)
from csconsole.domain.outgoing import (
    KIND_CYCLE,
    KIND_LABELS,
    Draft,
    QueuedReply,
    RenderedCanned,
    ReplyError,
    ReplyKind,
    ReplyPlan,
)
from csconsole.domain.reply_variables import build_context
from csconsole.domain.templates import MissingVariable, render
from csconsole.domain.text import normalize_email
from csconsole.services.canned import CannedService
from csconsole.services.outbox import OutboxService
from csconsole.store import drafts, reply_context
from csconsole.store.disk import disk_full_as

if TYPE_CHECKING:
    from csconsole.config import AccountConfig
    from csconsole.services import Services

__all__ = ["QueuedReply", "RenderedCanned", "RepliesService", "ReplyError", "ReplyPlan"]

DRAFT_NOT_SAVED = (
    "draft not saved: the disk holding the store is full. The text stays here and is"
    " saved at the next pause once there is space"
)
NOT_QUEUED = (
    "not queued: the disk holding the store is full. Nothing was sent and the text stays"
    " here; free some space and send again"
)


def _lower_set(addresses: list[str]) -> set[str]:
    return {normalize_email(a) for a in addresses if a}


class RepliesService:
    """Replies for the console and the CLI (``services.replies`` style, built on Services)."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self.canned = CannedService(services)
        self.outbox = OutboxService(services, self.canned)

    # ---- planning ----------------------------------------------------------------------
    def _account_config(self, name: str | None) -> AccountConfig | None:
        for account in self._services.config.accounts:
            if account.name == name:
                return account
        return None

    def plan(self, conversation_id: int, kind: ReplyKind = ReplyKind.REPLY) -> ReplyPlan:
        """How a reply to this conversation will look; reopens a saved draft."""
        db = self._services.db()
        facts = reply_context.conversation_facts(db, conversation_id)
        if facts is None:
            raise ReplyError(f"no conversation {conversation_id}")
        conversation = facts["conversation"]
        account = facts["account"] or {}
        customer = facts["customer"] or {}
        last_in = facts["last_in"] or {}
        language = conversation["language"] or customer.get("language") or last_in.get("language")
        channel = "telegram" if conversation["channel"] == "telegram" else "email"
        plan = ReplyPlan(
            conversation_id=conversation_id,
            kind=kind,
            channel=channel,
            account_name=account.get("name"),
            language=language,
            order_number=(facts["order"] or {}).get("number"),
        )
        if kind is not ReplyKind.NOTE:
            plan = self._address(plan, facts, account.get("name"))
        draft = drafts.get_draft(db, conversation_id, kind)
        if draft is not None:
            plan = replace(
                plan,
                body=draft.body,
                draft_id=draft.id,
                canned_id=draft.canned_id,
                subject=draft.subject or plan.subject,
                to=draft.to_addrs or plan.to,
                cc=draft.cc_addrs or plan.cc,
            )
        return plan

    def _address(self, plan: ReplyPlan, facts: Mapping[str, Any], name: str | None) -> ReplyPlan:
        conversation = facts["conversation"]
        if plan.channel == "telegram":
            chat = conversation["external_id"] or ""
            return replace(plan, to=(str(chat),), from_name=self._agent_name())
        config = self._account_config(name)
        parent = facts["parent"] or {}
        last_in = facts["last_in"] or {}
        own = config.email if config else ""
        written_to = [*last_in.get("to_addrs", []), *last_in.get("cc_addrs", [])]
        from_addr = own
        domain = own.rpartition("@")[2].lower()
        for address in written_to:
            clean = normalize_email(address)
            if clean == normalize_email(own):
                from_addr = own
                break
            if domain and clean.endswith("@" + domain):
                from_addr = clean  # an alias of the account: answer from where they wrote
        if not from_addr:
            raise ReplyError(f"no mail account configured for {name or 'this conversation'}")
        to = [last_in.get("from_addr") or ""] if last_in else []
        to = [a for a in to if a] or list(facts["contacts"].get("email", [])[:1])
        if plan.kind is ReplyKind.NEW:
            # A fresh thread: no threading headers, no quote, a subject the agent types.
            return replace(
                plan,
                from_addr=from_addr,
                from_name=(config.display_name if config else "") or "",
                to=tuple(to),
                signature=self._signature(config, plan.language),
            )
        cc: list[str] = []
        if plan.kind is ReplyKind.REPLY_ALL and last_in:
            ours = [account.email for account in self._services.config.accounts]
            mine = _lower_set([own, from_addr, *ours, *to])
            for address in written_to:
                if normalize_email(address) not in mine:
                    cc.append(address)
                    mine.add(normalize_email(address))
        parent_id = parent.get("message_id")
        subject = reply_subject(parent.get("subject") or conversation["subject"] or "")
        quoted = ""
        if self._services.config.replies.quote_original and parent:
            locale = Locale.parse(plan.language, timezone=self._services.config.display.timezone)
            sent_at = parent.get("sent_at")
            quoted = quote_original(
                parent.get("body_text") or parent.get("body_html_text") or "",
                parent.get("from_name") or parent.get("from_addr") or "",
                datetime.fromisoformat(sent_at.replace("Z", "+00:00")) if sent_at else None,
                locale,
            )
        return replace(
            plan,
            from_addr=from_addr,
            from_name=(config.display_name if config else "") or "",
            to=tuple(to),
            cc=tuple(cc),
            subject=subject,
            in_reply_to=parent_id,
            references=tuple(references_for(parent_id, parent.get("refs") or [])),
            quoted=quoted,
            signature=self._signature(config, plan.language),
        )

    @staticmethod
    def _signature(config: AccountConfig | None, language: str | None) -> str:
        """The account's signature in the customer's language, else its default one."""
        if config is None:
            return ""
        base = (language or "").split("-")[0]
        return config.signatures.get(language or "", "") or config.signatures.get(
            base, config.signature
        )

    def plan_new(
        self, account_name: str, to: str, subject: str, language: str | None = None
    ) -> ReplyPlan:
        """A new message to a customer from one of the mail accounts."""
        config = self._account_config(account_name)
        if config is None:
            raise ReplyError(f"no mail account named {account_name}")
        signature = config.signatures.get(language or "", config.signature)
        return ReplyPlan(
            conversation_id=None,
            kind=ReplyKind.NEW,
            channel="email",
            account_name=account_name,
            from_addr=config.email,
            from_name=config.display_name,
            to=(to,),
            subject=subject,
            language=language,
            signature=signature,
        )

    def _agent_name(self) -> str:
        return self._services.config.replies.agent_name

    # ---- drafts ------------------------------------------------------------------------
    def save_draft(self, plan: ReplyPlan, body: str, *, canned_id: str | None = None) -> ReplyPlan:
        """Called on every pause in typing; returns the plan with its draft id."""
        db = self._services.db()
        with disk_full_as(ReplyError, DRAFT_NOT_SAVED), db.atomic():
            draft_id = drafts.save_draft(db, self._draft(plan, body, canned_id))
        return replace(plan, body=body, draft_id=draft_id, canned_id=canned_id or plan.canned_id)

    @staticmethod
    def _draft(plan: ReplyPlan, body: str, canned_id: str | None) -> Draft:
        return Draft(
            conversation_id=plan.conversation_id,
            kind=plan.kind,
            body=body,
            subject=plan.subject,
            to_addrs=plan.to,
            cc_addrs=plan.cc,
            language=plan.language,
            canned_id=canned_id or plan.canned_id,
            id=plan.draft_id,
        )

    def switch_kind(self, plan: ReplyPlan, body: str, kind: ReplyKind) -> ReplyPlan:
        """Re-plan as ``kind`` keeping the typed text; the draft moves with it.

        The old kind's draft is deleted in the same transaction that writes the new
        one, so it can never reappear the next time that kind is opened.
        """
        if plan.conversation_id is None:
            raise ReplyError("only a reply to a conversation can change its kind")
        target = self.plan(plan.conversation_id, kind)
        if target.draft_id is not None and target.body.strip() not in ("", body.strip()):
            # Never overwrite other words the agent saved: they decide which text stays.
            raise ReplyError(
                f"a {KIND_LABELS[kind].lower()} draft is already saved for this conversation; "
                "send or clear it first"
            )
        target = replace(target, body=body, canned_id=plan.canned_id)
        db = self._services.db()
        with disk_full_as(ReplyError, DRAFT_NOT_SAVED), db.atomic():
            if plan.draft_id is not None and plan.draft_id != target.draft_id:
                drafts.delete_draft(db, plan.draft_id)
            if not body.strip() and target.draft_id is None:
                return target  # nothing typed yet: no draft to keep
            draft_id = drafts.save_draft(db, self._draft(target, body, plan.canned_id))
        return replace(target, draft_id=draft_id)

    def reopened_kind(self, conversation_id: int, kind: ReplyKind) -> ReplyKind:
        """The kind to open: ``kind``, unless only another reply kind has a draft waiting.

        After Ctrl+R moved a draft to reply-all (or note), ``r`` brings that text back
        instead of an empty reply beside it.
        """
        if kind not in KIND_CYCLE:
            return kind
        waiting = [
            draft.kind
            for draft in drafts.drafts_for(self._services.db(), conversation_id)
            if draft.kind in KIND_CYCLE and draft.body.strip()
        ]
        return kind if not waiting or kind in waiting else waiting[0]

    def discard_draft(self, plan: ReplyPlan) -> None:
        if plan.draft_id is not None:
            db = self._services.db()
            with db.atomic():
                drafts.delete_draft(db, plan.draft_id)

    # ---- canned responses --------------------------------------------------------------
    def template_context(self, conversation_id: int | None) -> dict[str, Any]:
        facts: Mapping[str, Any] = {}
        if conversation_id is not None:
            facts = reply_context.conversation_facts(self._services.db(), conversation_id) or {}
        return build_context(facts, agent_name=self._agent_name(), shop=self.canned.shop())

    def render_canned(
        self,
        plan: ReplyPlan,
        key: str,
        *,
        language: str | None = None,
        fallbacks: Mapping[str, str] | None = None,
    ) -> RenderedCanned:
        """Fill a canned response for this conversation in the customer's language."""
        response = self.canned.get(key)
        if response is None:
            raise ReplyError(f"no canned response {key!r}; see `csconsole canned list`")
        variant = pick_variant(response.bodies, response.subjects, language or plan.language)
        display = self._services.config.display
        locale = Locale.parse(variant.language, timezone=display.timezone)
        context = self.template_context(plan.conversation_id)
        try:
            body = render(variant.body, context, locale=locale, fallbacks=fallbacks)
            subject = (
                render(variant.subject, context, locale=locale, fallbacks=fallbacks)
                if variant.subject
                else None
            )
        except MissingVariable as missing:
            return RenderedCanned(
                response.id, variant.language, None, None, variant.fallback_note, missing.names
            )
        return RenderedCanned(
            response.id, variant.language, body.strip("\n"), subject, variant.fallback_note
        )

    # ---- sending (the outbox service does the work) ------------------------------------
    def final_body(self, plan: ReplyPlan, body: str) -> str:
        """What the customer receives: the text, the signature, the quoted original."""
        if plan.kind is ReplyKind.NOTE or plan.channel != "email":
            return body.strip()
        text = with_signature(body.strip(), plan.signature)
        if plan.quoted:
            text = f"{text}\n\n{plan.quoted}"
        return text

    def send(
        self,
        plan: ReplyPlan,
        body: str,
        *,
        canned_id: str | None = None,
        undo_seconds: float | None = None,
    ) -> QueuedReply:
        """Queue the reply (or store the note) in one transaction; undo with ``undo``."""
        if plan.kind is ReplyKind.NEW and plan.channel == "email" and not plan.subject.strip():
            raise ReplyError("a new message needs a subject; type one in the Subject field")
        final = self.final_body(plan, body)
        with disk_full_as(ReplyError, NOT_QUEUED):
            return self.outbox.send(
                plan, final, body, canned_id=canned_id, undo_seconds=undo_seconds
            )

    def undo(self, outbox_id: int) -> bool:
        """Cancel a queued reply before the sender takes it; the text comes back as a draft."""
        return self.outbox.undo(outbox_id)
