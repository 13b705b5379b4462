"""A shop with one Persian-speaking customer, an order, and real mail servers to answer through."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from imapclient.exceptions import LoginError
from sqlite_utils import Database

from csconsole.config import AccountConfig, Config, RepliesConfig, ServerConfig
from csconsole.domain.clock import now_iso, to_iso
from csconsole.domain.models import Contact, Direction, NewMessage
from csconsole.services import Services
from csconsole.services.replies import RepliesService
from csconsole.store.db import open_store
from csconsole.store.inbox import add_message, create_conversation, ensure_account, upsert_customer
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer, smtp_server, smtp_session_server

__all__ = ["smtp_server", "smtp_session_server"]  # fixtures used by the tests here

ORIGINAL = (
    "From: =?utf-8?b?2LPYp9ix2Kcg2LHYttin24zbjA==?= <sara@example.org>\r\n"
    "To: support@shop.example\r\n"
    "Subject: =?utf-8?b?2LPZgdin2LHYtCDbsduw27DbsQ==?=\r\n"
    "Message-ID: <q1@example.org>\r\n"
    "References: <root@example.org>\r\n"
    "Date: Mon, 23 Nov 2026 08:00:00 +0000\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    "سلام، سفارش من کجاست؟\r\n"
).encode()


@dataclass
class Shop:
    """The arranged world: store, config, ids."""

    services: Services
    replies: RepliesService
    db: Database
    conversation_id: int
    account: AccountConfig
    mail_user: tuple[str, str] | None


def plain_server(host: str, port: int, username: str, password: str = "") -> ServerConfig:
    command = f"echo {password}" if password else None
    return ServerConfig(
        host=host,
        port=port,
        security="plain",
        username=username,
        password_command=command,
        timeout=10.0,
    )


def seed_conversation(
    db: Database, account_name: str, *, uid: int | None = None, uidvalidity: int | None = None
) -> int:
    """A Persian customer asked about order 1001 (optionally stored as INBOX uid)."""
    with db.atomic():
        account_id = ensure_account(db, account_name, "imap", address="support@shop.example")
        shop_id = ensure_account(
            db, "shop", "woocommerce", address="https://shop.example", display_name="فروشگاه نمونه"
        )
        customer_id = upsert_customer(
            db, [Contact("email", "sara@example.org")], display_name="سارا رضایی", language="fa"
        )
        conversation_id = create_conversation(
            db,
            channel="email",
            account_id=account_id,
            customer_id=customer_id,
            subject="سفارش ۱۰۰۱",
            language="fa",
        )
        folder_id = None
        if uid is not None:
            cursor = db.execute(
                "INSERT INTO folders(account_id, name, role, uidvalidity) VALUES (?, 'INBOX', "
                "'inbox', ?)",
                [account_id, uidvalidity],
            )
            folder_id = int(cursor.lastrowid or 0)
        add_message(
            db,
            conversation_id,
            NewMessage(
                direction=Direction.IN,
                sent_at="2026-11-23T08:00:00Z",
                body_text="سلام، سفارش من کجاست؟",
                subject="سفارش ۱۰۰۱",
                from_name="سارا رضایی",
                from_addr="sara@example.org",
                to_addrs=("support@shop.example",),
                message_id="q1@example.org",
                refs=("root@example.org",),
                language="fa",
                folder_id=folder_id,
                uidvalidity=uidvalidity,
                uid=uid,
            ),
            account_id=account_id,
        )
        placed = to_iso(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
        cursor = db.execute(
            "INSERT INTO orders(account_id, external_id, number, customer_id, customer_name, "
            "email, status, financial_status, fulfillment_status, currency, total, items, "
            "placed_at, fetched_at) VALUES (?, '1001', '1001', ?, 'سارا رضایی', "
            "'sara@example.org', 'processing', 'paid', 'fulfilled', 'IRT', '1250000', ?, ?, ?)",
            [
                shop_id,
                customer_id,
                '[{"name": "تی‌شرت", "quantity": 2, "price": "500000"}, '
                '{"name": "ماگ", "quantity": 1, "price": "250000"}]',
                placed,
                now_iso(),
            ],
        )
        order_id = int(cursor.lastrowid or 0)
        db.execute(
            "INSERT INTO shipments(order_id, external_id, carrier, tracking_number, tracking_url, "
            "status, shipped_at, estimated_delivery) VALUES (?, 's1', 'Post', 'IR123456789', "
            "'https://track.example/IR123456789', 'in_transit', ?, '2026-11-26')",
            [order_id, placed],
        )
        db.execute(
            "INSERT INTO conversation_orders(conversation_id, order_id, linked_by, linked_at) "
            "VALUES (?, ?, 'auto', ?)",
            [conversation_id, order_id, now_iso()],
        )
    return conversation_id


def _append_when_ready(dovecot: DovecotServer, user: tuple[str, str]) -> int:
    """Dovecot may take a moment to notice a user added to its passwd-file."""
    deadline = time.monotonic() + 5
    while True:
        try:
            return dovecot.append(user, ORIGINAL)
        except LoginError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def make_shop(
    store_path: Path,
    smtp: SmtpServer,
    dovecot: DovecotServer | None = None,
    *,
    save_sent: str = "always",
    undo: float = 0.0,
    smtp_config: ServerConfig | None = None,
) -> Shop:
    user = dovecot.new_user() if dovecot else None
    imap = plain_server(
        "127.0.0.1",
        dovecot.port if dovecot else 1,
        user[0] if user else "x",
        user[1] if user else "",
    )
    account = AccountConfig(
        name="support",
        email="support@shop.example",
        display_name="Shop Support",
        imap=imap,
        smtp=smtp_config or plain_server(smtp.host, smtp.port, "shop"),
        signature="Shop Support",
        signatures={"fa": "پشتیبانی فروشگاه"},
        save_sent=save_sent,  # type: ignore[arg-type]
    )
    config = Config(
        accounts=(account,),
        replies=RepliesConfig(undo_seconds=undo, quote_original=True, agent_name="Mina Karimi"),
    )
    uid = uidvalidity = None
    if dovecot and user:
        uid = _append_when_ready(dovecot, user)
        with dovecot.client(*user) as client:
            uidvalidity = int(client.select_folder("INBOX")[b"UIDVALIDITY"])
    db = open_store(store_path)
    conversation_id = seed_conversation(db, "support", uid=uid, uidvalidity=uidvalidity)
    services = Services(store_path, config)
    return Shop(services, RepliesService(services), db, conversation_id, account, user)


@pytest.fixture
def shop(store_path: Path, smtp_server: SmtpServer) -> Iterator[Shop]:
    """No IMAP: replies go out by SMTP; Sent handling is off (the server 'saves' itself)."""
    arranged = make_shop(store_path, smtp_server, save_sent="never")
    yield arranged
    arranged.services.close()
    arranged.db.close()


def past(seconds: float = 1.0) -> str:
    return to_iso(datetime.now(UTC) - timedelta(seconds=seconds))


def seed_telegram_conversation(store_path: Path, api_url: str) -> int:
    """A Telegram chat with one Arabic question from customer 555 on the bot channel."""
    db = open_store(store_path)
    with db.atomic():
        account_id = ensure_account(db, "bot", "telegram", address=api_url)
        customer_id = upsert_customer(
            db, [Contact("telegram", "555")], display_name="علی", language="ar"
        )
        conversation_id = create_conversation(
            db,
            channel="telegram",
            account_id=account_id,
            customer_id=customer_id,
            external_id="555",
            language="ar",
        )
        add_message(
            db,
            conversation_id,
            NewMessage(
                direction=Direction.IN,
                sent_at="2026-11-23T08:00:00Z",
                body_text="وين طلبي؟",
                external_id="555:1",
                from_name="علی",
            ),
            account_id=account_id,
        )
    db.close()
    return conversation_id
