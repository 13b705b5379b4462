"""Search on the demo finds what an agent types in English, Arabic and Persian."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from csconsole.domain.search_query import parse_query
from csconsole.store.search import search_conversations

_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _found(db: Database, text: str) -> list[int]:
    return [hit.id for hit in search_conversations(db, parse_query(text), limit=1000)]


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("refund", "en"),
        ("tracking", "en"),
        ("سفارش", "fa"),
        ("پیگیری", "fa"),
        ("پيگيري", "fa"),  # typed with Arabic yeh on an Arabic keyboard
        ("الشحن", "ar"),
        ("طلب", "ar"),
    ],
)
def test_words_find_conversations_in_their_language(
    demo_db: Database, query: str, language: str
) -> None:
    found = _found(demo_db, query)
    assert found, query
    marks = ",".join("?" * len(found))
    languages = {
        row[0]
        for row in demo_db.execute(
            f"SELECT language FROM conversations WHERE id IN ({marks})", found
        )
    }
    assert language in languages


def test_order_numbers_match_in_ascii_persian_and_arabic_digits(demo_db: Database) -> None:
    rows = demo_db.execute(
        "SELECT co.conversation_id, o.number FROM conversation_orders co "
        "JOIN orders o ON o.id = co.order_id ORDER BY co.conversation_id LIMIT 5"
    ).fetchall()
    assert rows
    for conversation_id, number in rows:
        assert number.isascii() and number.isdigit()
        for typed in (number, number.translate(_PERSIAN), number.translate(_ARABIC)):
            assert conversation_id in _found(demo_db, typed), typed
            assert conversation_id in _found(demo_db, f"order:{typed}"), typed


def test_customers_are_found_by_name(demo_db: Database) -> None:
    rows = demo_db.execute(
        "SELECT c.id, cu.display_name, cu.language FROM conversations c "
        "JOIN customers cu ON cu.id = c.customer_id ORDER BY c.id"
    ).fetchall()
    for language in ("en", "ar", "fa"):
        conv_id, name, _ = next(row for row in rows if row[2] == language)
        assert conv_id in _found(demo_db, f"from:{name.split()[0]}"), name
