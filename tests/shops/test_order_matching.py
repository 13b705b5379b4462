"""Which orders appear beside a conversation: by contact, by number, never by guess."""

from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from csconsole.domain.models import Contact, Direction, NewMessage
from csconsole.domain.orders import OrderRecord
from csconsole.store.inbox import (
    add_message,
    create_conversation,
    ensure_account,
    upsert_customer,
)
from csconsole.store.order_matching import match_orders_for_conversation
from csconsole.store.orders import link_order, linked_orders, unlink_order, upsert_order


def order(number: str, *, email: str = "", phone: str = "", ext: str | None = None) -> OrderRecord:
    return OrderRecord(
        external_id=ext or f"gid://shopify/Order/{number}",
        number=number,
        updated_at="2026-11-20T09:00:00Z",
        customer_name="فاطمة",
        email=email,
        phone=phone,
        currency="SAR",
        total="450.00",
    )


@pytest.fixture
def shop(fresh_store: Database) -> int:
    with fresh_store.atomic():
        account = ensure_account(fresh_store, "souq", "shopify")
        upsert_order(fresh_store, account, order("1001", email="fatima@example.sa"))
        upsert_order(fresh_store, account, order("1002", phone="+989123456789"))
        upsert_order(fresh_store, account, order("1003", email="two@example.sa"))
        upsert_order(fresh_store, account, order("1004", email="two@example.sa"))
    return account


def conversation(
    db: Database, *, contact: Contact | None = None, subject: str = "", body: str = ""
) -> int:
    with db.atomic():
        customer = upsert_customer(db, [contact]) if contact else None
        conv = create_conversation(
            db, channel="email", account_id=None, customer_id=customer, subject=subject
        )
        add_message(
            db,
            conv,
            NewMessage(
                direction=Direction.IN,
                sent_at="2026-11-21T08:00:00Z",
                subject=subject,
                body_text=body,
            ),
        )
    return conv


def match(db: Database, conv: int) -> tuple[list[str], list[str]]:
    with db.atomic():
        result = match_orders_for_conversation(db, conv)
    number = {r[0]: r[1] for r in db.execute("SELECT id, number FROM orders")}
    return [number[i] for i in result.linked], [number[i] for i in result.candidates]


def test_one_order_by_email_links_itself_and_is_logged_and_searchable(
    fresh_store: Database, shop: int
) -> None:
    conv = conversation(
        fresh_store, contact=Contact("email", "Fatima@Example.SA"), subject="Where is my abaya?"
    )
    assert match(fresh_store, conv) == (["1001"], [])
    (linked_by,) = fresh_store.execute("SELECT linked_by FROM conversation_orders").fetchone()
    assert linked_by == "auto"
    (data,) = fresh_store.execute("SELECT data FROM events WHERE kind = 'order.linked'").fetchone()
    assert json.loads(data) == {"linked_by": "auto", "number": "1001"}
    hits = fresh_store.execute(
        "SELECT rowid FROM search_index WHERE search_index MATCH 'orders:1001'"
    ).fetchall()
    assert hits == [(conv,)]


def test_phone_written_with_persian_digits_finds_the_order(
    fresh_store: Database, shop: int
) -> None:
    conv = conversation(fresh_store, contact=Contact("phone", "+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹"))
    assert match(fresh_store, conv) == (["1002"], [])


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Re: #1001", "hello"),
        ("", "سلام، سفارش ۱۰۰۱ من کجاست؟"),
        ("استفسار", "طلب رقم ١٠٠١ لم يصل"),
    ],
)
def test_order_number_in_subject_or_body_links_it(
    fresh_store: Database, shop: int, subject: str, body: str
) -> None:
    conv = conversation(fresh_store, subject=subject, body=body)
    assert match(fresh_store, conv) == (["1001"], [])


def test_several_orders_are_left_for_the_user(fresh_store: Database, shop: int) -> None:
    conv = conversation(fresh_store, contact=Contact("email", "two@example.sa"))
    linked, candidates = match(fresh_store, conv)
    assert linked == [] and sorted(candidates) == ["1003", "1004"]
    assert fresh_store.execute("SELECT count(*) FROM conversation_orders").fetchone() == (0,)


def test_number_narrows_the_customers_orders(fresh_store: Database, shop: int) -> None:
    conv = conversation(
        fresh_store, contact=Contact("email", "two@example.sa"), subject="About order #1004"
    )
    assert match(fresh_store, conv) == (["1004"], [])


def test_same_number_in_two_shops_asks_the_user(fresh_store: Database, shop: int) -> None:
    with fresh_store.atomic():
        other = ensure_account(fresh_store, "bazaar", "woocommerce")
        upsert_order(fresh_store, other, order("1001", ext="1001"))
    conv = conversation(fresh_store, subject="#1001")
    linked, candidates = match(fresh_store, conv)
    assert linked == [] and candidates == ["1001", "1001"]


def test_user_unlink_is_logged_and_not_undone_by_matching(fresh_store: Database, shop: int) -> None:
    conv = conversation(fresh_store, contact=Contact("email", "two@example.sa"))
    with fresh_store.atomic():
        assert link_order(fresh_store, conv, 3, "user", actor="agent:sara")
        assert not link_order(fresh_store, conv, 3, "user", actor="agent:sara")
    assert [o["number"] for o in linked_orders(fresh_store, conv)] == ["1003"]
    # already linked by the user: matching adds nothing on its own
    assert match(fresh_store, conv) == ([], ["1004"])
    with fresh_store.atomic():
        assert unlink_order(fresh_store, conv, 3, actor="agent:sara")
    assert fresh_store.execute(
        "SELECT actor FROM events WHERE kind = 'order.unlinked'"
    ).fetchone() == ("agent:sara",)
