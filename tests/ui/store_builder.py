"""A small store with English, Arabic and Persian conversations, built through store.inbox.

Times are fixed around ``NOW`` so SLA badges and snapshots never change by the minute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from csconsole.domain.clock import to_iso
from csconsole.domain.models import Contact, Direction, NewAttachment, NewMessage
from csconsole.domain.sla import SlaPolicies, SlaPolicy
from csconsole.store.db import open_store
from csconsole.store.inbox import add_message, create_conversation, ensure_account, upsert_customer

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SLA = SlaPolicies(by_channel={"telegram": SlaPolicy(1, 1)}, default=SlaPolicy(24, 24))

HOSTILE = "Invoice \x1b[2J\x1b]52;c;ZWNobyBwd25lZA==\x1b\\ \x9b31m done\x07\rX \u202egpj.exe"


def ago(**kwargs: float) -> str:
    return to_iso(NOW - timedelta(**kwargs))


@dataclass
class Built:
    """Ids of what the builder made, by a short name."""

    conversations: dict[str, int] = field(default_factory=dict)
    orders: dict[str, int] = field(default_factory=dict)


def _order(db: Database, account_id: int, customer_id: int, number: str, total: str) -> int:
    cursor = db.execute(
        "INSERT INTO orders(account_id, external_id, number, customer_id, customer_name, "
        "financial_status, fulfillment_status, currency, total, items, placed_at, fetched_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            account_id,
            f"ext-{number}",
            number,
            customer_id,
            "",
            "paid",
            "fulfilled",
            "EUR",
            total,
            '[{"name": "Blue mug", "quantity": 2, "price": "12.50"}]',
            ago(days=5),
            to_iso(NOW),
        ],
    )
    order_id = int(cursor.lastrowid or 0)
    db.execute(
        "INSERT INTO shipments(order_id, external_id, carrier, tracking_number, tracking_url, "
        "status, shipped_at) VALUES (?,?,?,?,?,?,?)",
        [
            order_id,
            "s1",
            "DHL",
            f"JD{number}",
            f"https://track.example/JD{number}",
            "in_transit",
            ago(days=4),
        ],
    )
    return order_id


def _conversation(
    db: Database,
    *,
    channel: str,
    account_id: int,
    customer: tuple[str, str, str],
    subject: str,
    messages: list[tuple[Direction, str, str]],
    language: str,
) -> int:
    name, contact_kind, contact = customer
    customer_id = upsert_customer(
        db, [Contact(contact_kind, contact)], display_name=name, language=language
    )
    conv_id = create_conversation(
        db,
        channel=channel,
        account_id=account_id,
        customer_id=customer_id,
        subject=subject,
        language=language,
        created_at=messages[0][1],
    )
    for index, (direction, sent_at, body) in enumerate(messages):
        add_message(
            db,
            conv_id,
            NewMessage(
                direction=direction,
                sent_at=sent_at,
                body_text=body,
                subject=subject,
                from_name=name if direction is Direction.IN else "Shop",
                from_addr=contact if direction is Direction.IN else "support@shop.example",
                message_id=f"{conv_id}.{index}@test",
                language=language,
            ),
            account_id=account_id,
            sla=SLA,
        )
    return conv_id


def build_store(path: Path, *, extra: int = 0) -> Built:
    """Write the test store at ``path``; ``extra`` adds that many plain English threads."""
    db = open_store(path)
    built = Built()
    with db.atomic():
        mail = ensure_account(db, "support", "imap", address="support@shop.example")
        chat = ensure_account(db, "bot", "telegram")
        shop = ensure_account(db, "shop", "woocommerce", address="https://shop.example")
        built.conversations["en"] = _conversation(
            db,
            channel="email",
            account_id=mail,
            customer=("Alice Brown", "email", "alice@example.com"),
            subject="Where is my order #1001?",
            messages=[
                (
                    Direction.IN,
                    ago(hours=30),
                    "Hello,\nmy order #1001 has not arrived yet.\nCan you check?\n\nThanks,\nAlice",
                ),
                (Direction.OUT, ago(hours=29), "Hi Alice, it is on its way with DHL."),
                (
                    Direction.IN,
                    ago(hours=2),
                    "It still has not arrived. Tracking says nothing.\n\n"
                    "On Sunday, Shop wrote:\n> Hi Alice, it is on its way\n> with DHL.",
                ),
            ],
            language="en",
        )
        built.conversations["ar"] = _conversation(
            db,
            channel="email",
            account_id=mail,
            customer=("محمد العلي", "email", "mohammed@example.com"),
            subject="طلب رقم 1002 لم يصل",
            messages=[
                (
                    Direction.IN,
                    ago(hours=26),
                    "السلام عليكم، طلبي رقم 1002 لم يصل بعد. بريدي mohammed@example.com",
                )
            ],
            language="ar",
        )
        built.conversations["fa"] = _conversation(
            db,
            channel="telegram",
            account_id=chat,
            customer=("سارا محمدی", "telegram", "5550001"),
            subject="سفارش ۱۰۰۳",
            messages=[(Direction.IN, ago(minutes=30), "سلام، می‌خواستم وضعیت سفارش ۱۰۰۳ را بدانم.")],
            language="fa",
        )
        built.conversations["hostile"] = _conversation(
            db,
            channel="email",
            account_id=mail,
            customer=("Mallory \x1b]52;c;aGk=\x07Evil", "email", "mallory@example.com"),
            subject=HOSTILE,
            messages=[(Direction.IN, ago(hours=10), "Body " + HOSTILE + "\n\x1b[31mred\x1b[0m")],
            language="en",
        )
        add_message(
            db,
            built.conversations["hostile"],
            NewMessage(
                direction=Direction.IN,
                sent_at=ago(hours=9),
                body_text="see file",
                message_id="att@test",
                attachments=(
                    NewAttachment("2", "../../etc/\x1b[2Jpasswd\u202etxt.exe", size=2048),
                ),
            ),
            account_id=mail,
            sla=SLA,
        )
        for number in range(extra):
            built.conversations[f"x{number}"] = _conversation(
                db,
                channel="email",
                account_id=mail,
                customer=(f"Customer {number}", "email", f"c{number}@example.com"),
                subject=f"Question {number}",
                messages=[
                    (Direction.IN, ago(hours=1 + number % 40, minutes=number), f"Body {number}")
                ],
                language="en",
            )
        alice = db.execute(
            "SELECT customer_id FROM conversations WHERE id = ?", [built.conversations["en"]]
        ).fetchone()[0]
        built.orders["1001"] = _order(db, shop, alice, "1001", "25.00")
        built.orders["0999"] = _order(db, shop, alice, "0999", "40.00")
        db.execute(
            "INSERT INTO conversation_orders(conversation_id, order_id, linked_by, linked_at) "
            "VALUES (?, ?, 'auto', ?)",
            [built.conversations["en"], built.orders["1001"], to_iso(NOW)],
        )
        db.execute(
            "INSERT INTO conversation_tags VALUES (?, 'shipping')", [built.conversations["en"]]
        )
    db.close()
    return built


def append_message(path: Path, conversation_id: int, message: NewMessage) -> int:
    """Add one message from the support mailbox to a conversation of a built store."""
    db = open_store(path)
    account = db.execute("SELECT id FROM accounts WHERE name = 'support'").fetchone()[0]
    with db.atomic():
        add_message(db, conversation_id, message, account_id=account, sla=SLA)
    db.close()
    return conversation_id
