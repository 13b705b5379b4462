"""Which conversation a fetched mail joins: reference chain, order number, then subject.

Within one customer: a reply whose References/In-Reply-To name a stored message joins
that message's conversation, and a message that a stored reply names joins the reply's
(the parent arrived second); otherwise a mail naming the same order number, or with
the same normalised subject, joins the customer's most recent such conversation.
The shop's own replies (Sent folder) match the same way, keyed on their recipient.
"""

from __future__ import annotations

import re

from sqlite_utils import Database

from csconsole.domain.models import Direction, NewMessage
from csconsole.domain.threading import find_order_numbers, normalize_subject, thread_candidates
from csconsole.store import mail_state
from csconsole.store.inbox import create_conversation
from csconsole.store.mail_batch import MailBatch

_ANGLE = re.compile(r"<([^<>]+)>\s*$")


def _address_of(formatted: str) -> tuple[str, str]:
    match = _ANGLE.search(formatted)
    if match:
        return formatted[: match.start()].strip(), match.group(1).strip()
    return "", formatted.strip()


def counterpart(message: NewMessage) -> tuple[str, str]:
    """(name, address) of the customer: the sender of inbound mail, the recipient of ours."""
    if message.direction is Direction.OUT:
        return _address_of(message.to_addrs[0]) if message.to_addrs else ("", "")
    return message.from_name, message.from_addr


def choose_conversation(
    db: Database, account_id: int, message: NewMessage, batch: MailBatch
) -> int:
    """The conversation id for ``message``, creating the customer and conversation if new.

    ``batch`` answers the Message-ID, reply and customer lookups from the queries it
    made up front for the batch ``message`` arrived in.
    """
    candidates = thread_candidates(message.message_id, message.in_reply_to, list(message.refs))
    found = batch.conversation_of_message_ids(candidates)
    if found is None and message.message_id:
        # Its reply may be here already (Sent synced first, newest-first batches).
        replying = batch.conversations_replying_to(message.message_id)
        found = replying[0] if replying else None
    if found is not None:
        return found
    name, address = counterpart(message)
    customer_id = batch.upsert_email_customer(
        address, display_name=name or address, language=message.language
    )
    subject_key = normalize_subject(message.subject)
    orders = set(find_order_numbers(message.subject))
    if not batch.has_no_conversations(customer_id):
        for conversation_id, subject, key in mail_state.customer_conversations(
            db, account_id, customer_id
        ):
            if orders and orders & set(find_order_numbers(subject)):
                return conversation_id
            if subject_key and key == subject_key and not orders - set(find_order_numbers(subject)):
                return conversation_id
    conversation_id = create_conversation(
        db,
        channel="email",
        account_id=account_id,
        customer_id=customer_id,
        subject=message.subject,
        subject_key=subject_key,
        language=message.language,
        created_at=message.sent_at,
    )
    batch.conversation_created(conversation_id, customer_id)
    return conversation_id
