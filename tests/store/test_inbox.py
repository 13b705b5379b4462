"""Storing messages keeps each conversation's counters, status and SLA clock right."""

from __future__ import annotations

from sqlite_utils import Database

from csconsole.domain.models import Contact, Direction, NewMessage
from csconsole.domain.sla import SlaPolicies, SlaPolicy
from csconsole.store.inbox import (
    add_message,
    create_conversation,
    ensure_account,
    upsert_customer,
)

SLA = SlaPolicies(by_channel={"email": SlaPolicy(first_response_hours=24, next_response_hours=8)})


def conversation(db: Database) -> tuple[int, int]:
    account = ensure_account(db, "shop", "imap")
    customer = upsert_customer(db, [Contact("email", "Ali@Example.test")], display_name="Ali")
    conv = create_conversation(db, channel="email", account_id=account, customer_id=customer)
    return account, conv


def row(db: Database, conv: int) -> dict[str, object]:
    return dict(db["conversations"].get(conv))


def test_customer_found_again_by_any_contact(fresh_store: Database) -> None:
    db = fresh_store
    first = upsert_customer(db, [Contact("email", "Ali@Example.test")], display_name="Ali")
    again = upsert_customer(
        db, [Contact("email", " ali@example.test "), Contact("phone", "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷")]
    )
    by_phone = upsert_customer(db, [Contact("phone", "0098-912-123-4567")])
    assert first == again == by_phone
    assert db["customers"].count == 1
    assert db["customer_contacts"].count == 2


def test_customer_message_then_reply_moves_the_sla_clock(fresh_store: Database) -> None:
    db = fresh_store
    account, conv = conversation(db)
    asked = NewMessage(Direction.IN, "2026-11-20T10:00:00Z", body_text="Where is my order?")
    add_message(db, conv, asked, account_id=account, sla=SLA)
    state = row(db, conv)
    assert state["unread"] == 1
    assert state["awaiting_since"] == "2026-11-20T10:00:00Z"
    assert state["sla_due_at"] == "2026-11-21T10:00:00Z", "first response: 24 h"
    assert state["preview"] == "Where is my order?"

    reply = NewMessage(Direction.OUT, "2026-11-20T12:00:00Z", body_text="It ships today.")
    add_message(db, conv, reply, account_id=account, sla=SLA)
    state = row(db, conv)
    assert state["first_response_at"] == "2026-11-20T12:00:00Z"
    assert state["awaiting_since"] is None
    assert state["sla_due_at"] is None

    again = NewMessage(Direction.IN, "2026-11-21T09:00:00Z", body_text="Thanks! Tracking?")
    add_message(db, conv, again, account_id=account, sla=SLA)
    assert row(db, conv)["sla_due_at"] == "2026-11-21T17:00:00Z", "next response: 8 h"
    assert row(db, conv)["message_count"] == 3


def test_customer_message_wakes_snoozed_and_reopens_closed(fresh_store: Database) -> None:
    db = fresh_store
    account, conv = conversation(db)
    for day, status in enumerate(("snoozed", "closed", "pending"), start=21):
        db.execute(
            "UPDATE conversations SET status = ?, snooze_until = '2026-12-01T09:00:00Z' "
            "WHERE id = ?",
            [status, conv],
        )
        add_message(
            db,
            conv,
            NewMessage(Direction.IN, f"2026-11-{day}T10:00:00Z", body_text=status),
            account_id=account,
        )
        state = row(db, conv)
        assert state["status"] == "open"
        assert state["snooze_until"] is None
    events = db.execute("SELECT data FROM events WHERE conversation_id = ?", [conv]).fetchall()
    assert len(events) == 3


def test_backfilled_older_mail_does_not_reopen(fresh_store: Database) -> None:
    """History arriving during a first sync must not reopen what the agent closed."""
    db = fresh_store
    _account, conv = conversation(db)
    add_message(db, conv, NewMessage(Direction.IN, "2026-11-20T10:00:00Z", body_text="new"))
    db.execute("UPDATE conversations SET status = 'closed' WHERE id = ?", [conv])
    add_message(db, conv, NewMessage(Direction.IN, "2026-10-01T10:00:00Z", body_text="old"))
    assert row(db, conv)["status"] == "closed"
    assert row(db, conv)["preview"] == "new"


def test_internal_note_does_not_count_as_a_reply(fresh_store: Database) -> None:
    db = fresh_store
    _account, conv = conversation(db)
    add_message(db, conv, NewMessage(Direction.IN, "2026-11-20T10:00:00Z", body_text="Hi"))
    add_message(
        db, conv, NewMessage(Direction.NOTE, "2026-11-20T11:00:00Z", body_text="VIP customer")
    )
    state = row(db, conv)
    assert state["awaiting_since"] == "2026-11-20T10:00:00Z"
    assert state["first_response_at"] is None
    assert state["preview"] == "Hi", "notes never show as the customer-facing preview"


def test_the_same_imap_message_is_stored_once(fresh_store: Database) -> None:
    db = fresh_store
    account, conv = conversation(db)
    folder = db.execute(
        "INSERT INTO folders(account_id, name) VALUES (?, 'INBOX')", [account]
    ).lastrowid
    message = NewMessage(
        Direction.IN, "2026-11-20T10:00:00Z", folder_id=folder, uidvalidity=9, uid=42
    )
    assert add_message(db, conv, message, account_id=account) is not None
    assert add_message(db, conv, message, account_id=account) is None
    assert row(db, conv)["message_count"] == 1
