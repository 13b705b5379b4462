"""Search finds conversations the way a user types, in English, Arabic and Persian."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from csconsole.domain.search_query import parse_query
from csconsole.store.inbox import record_event
from csconsole.store.search import search_conversations
from tests.store.builders import add_conversation


def ids(db: Database, text: str) -> set[int]:
    return {hit.id for hit in search_conversations(db, parse_query(text))}


@pytest.fixture
def populated(fresh_store: Database) -> dict[str, int]:
    db = fresh_store
    return {
        "en": add_conversation(
            db,
            subject="Damaged parcel, order #1001",
            body="The box arrived crushed and the mug inside is broken.",
            name="Emily Clarke",
            email="emily@example.test",
            sent_at="2026-10-05T09:00:00Z",
        ),
        # Arabic, written with harakat and tatweel, Arabic-Indic digits.
        "ar": add_conversation(
            db,
            subject="أين طلبي؟",
            body="مرحباً، طلب رقم ١٠٠٢ لم يصـــل بَعْدُ. شكراً",
            name="محمد العتيبي",
            email="mohammed@example.test",
            sent_at="2026-11-10T09:00:00Z",
        ),
        # Persian with Arabic yeh/kaf in the old cp1256 style, Persian digits, ZWNJ.
        "fa": add_conversation(
            db,
            subject="مرجوعي كالا",
            body="سلام، سفارش ۱۰۰۳ را می‌خواهم پس بدهم. سایز کوچک است.",
            name="سارا رضایی",
            email="sara@example.test",
            sent_at="2026-11-15T09:00:00Z",
            channel="telegram",
        ),
    }


def test_english_words_and_prefixes(fresh_store: Database, populated: dict[str, int]) -> None:
    assert ids(fresh_store, "crushed") == {populated["en"]}
    assert ids(fresh_store, "crush") == {populated["en"]}, "a word prefix should match"
    assert ids(fresh_store, '"mug inside"') == {populated["en"]}
    assert ids(fresh_store, "crushed telegram") == set(), "all words must match"


def test_arabic_ignores_harakat_tatweel_and_digit_script(
    fresh_store: Database, populated: dict[str, int]
) -> None:
    assert ids(fresh_store, "يصل") == {populated["ar"]}, "tatweel in the text must not hide it"
    assert ids(fresh_store, "بعد") == {populated["ar"]}, "harakat in the text must not hide it"
    assert ids(fresh_store, "1002") == {populated["ar"]}, "ASCII digits find Arabic-Indic ones"
    assert ids(fresh_store, "۱۰۰۲") == {populated["ar"]}, "Persian digits find Arabic-Indic ones"


def test_persian_folds_yeh_and_kaf(fresh_store: Database, populated: dict[str, int]) -> None:
    # The subject was written with Arabic ي and ك; the agent types Persian ی and ک.
    assert ids(fresh_store, "مرجوعی کالا") == {populated["fa"]}
    assert ids(fresh_store, "١٠٠٣") == {populated["fa"]}
    # However the agent types the ZWNJ compound, it is found.
    for spelling in ["می‌خواهم", "میخواهم", "می خواهم", "خواهم"]:
        assert ids(fresh_store, spelling) == {populated["fa"]}, spelling


def test_filters(fresh_store: Database, populated: dict[str, int]) -> None:
    assert ids(fresh_store, "from:emily") == {populated["en"]}
    assert ids(fresh_store, "from:محمد") == {populated["ar"]}
    assert ids(fresh_store, "from:sara@example.test") == {populated["fa"]}
    assert ids(fresh_store, "order:1001") == {populated["en"]}
    assert ids(fresh_store, "order:#۱۰۰۳") == {populated["fa"]}
    assert ids(fresh_store, "channel:telegram") == {populated["fa"]}
    assert ids(fresh_store, "status:open") == set(populated.values())
    assert ids(fresh_store, "status:closed") == set()
    assert ids(fresh_store, "before:2026-11-01") == {populated["en"]}
    assert ids(fresh_store, "after:2026-11-12") == {populated["fa"]}
    assert ids(fresh_store, "after:2026-11-01 before:2026-11-12") == {populated["ar"]}


def test_tags_and_status_changes_are_searchable(
    fresh_store: Database, populated: dict[str, int]
) -> None:
    db = fresh_store
    with db.atomic():
        db.execute(
            "INSERT INTO conversation_tags(conversation_id, tag) VALUES (?, 'refund')",
            [populated["fa"]],
        )
        db.execute("UPDATE conversations SET status = 'closed' WHERE id = ?", [populated["en"]])
        record_event(db, "conversation.status", actor="agent:test", data={"to": "closed"})
    assert ids(db, "tag:refund") == {populated["fa"]}
    assert ids(db, "status:closed crushed") == {populated["en"]}
    assert ids(db, "status:open,pending") == {populated["ar"], populated["fa"]}


def test_results_are_newest_first_and_carry_what_a_list_shows(
    fresh_store: Database, populated: dict[str, int]
) -> None:
    hits = search_conversations(fresh_store, parse_query(""))
    assert [hit.id for hit in hits] == [populated["fa"], populated["ar"], populated["en"]]
    first = hits[0].as_json()
    assert first["customer"] == "سارا رضایی"
    assert first["channel"] == "telegram"
    assert "سفارش" in first["preview"]


def test_hostile_query_text_cannot_break_the_statement(
    fresh_store: Database, populated: dict[str, int]
) -> None:
    for text in ['"', "NEAR(", "a OR", "*", "') DROP TABLE conversations; --", "^crushed"]:
        search_conversations(fresh_store, parse_query(text))  # must not raise
    assert ids(fresh_store, "^crushed") == {populated["en"]}
    assert fresh_store["conversations"].count == 3
