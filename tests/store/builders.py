"""Small helpers that put believable conversations into a test store."""

from __future__ import annotations

from sqlite_utils import Database

from csconsole.domain.models import Contact, Direction, NewMessage
from csconsole.store.inbox import add_message as store_message
from csconsole.store.inbox import create_conversation, ensure_account, upsert_customer


def add_conversation(
    db: Database,
    *,
    subject: str,
    body: str,
    name: str = "",
    email: str = "customer@example.test",
    channel: str = "email",
    sent_at: str = "2026-11-20T10:00:00Z",
    language: str | None = None,
) -> int:
    """One customer message in a new conversation; returns the conversation id."""
    with db.atomic():
        account_id = ensure_account(db, "shop", "imap", address="shop@example.test")
        customer_id = upsert_customer(
            db, [Contact("email", email)], display_name=name, language=language
        )
        conversation_id = create_conversation(
            db,
            channel=channel,
            account_id=account_id,
            customer_id=customer_id,
            subject=subject,
            created_at=sent_at,
        )
        store_message(
            db,
            conversation_id,
            NewMessage(
                direction=Direction.IN,
                sent_at=sent_at,
                subject=subject,
                body_text=body,
                from_name=name,
                from_addr=email,
            ),
            account_id=account_id,
        )
    return conversation_id
