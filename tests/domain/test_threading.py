"""Threading as the agent sees it: replies join their conversation, orders get linked."""

from __future__ import annotations

import base64

import pytest

from csconsole.domain.threading import (
    find_order_numbers,
    normalize_subject,
    subject_thread_key,
    thread_candidates,
    thread_index_key,
    thread_root,
)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("RE: Fwd: AW: رد: Order damaged", "order damaged"),
        ("Re[2]: Re(3): RE^4: table arrived broken", "table arrived broken"),
        ("Re : spaced colon", "spaced colon"),
        ("Re：fullwidth colon", "fullwidth colon"),
        ("RE: ＲＥ: fullwidth letters", "fullwidth letters"),
        ("AW: WG: Bestellung kaputt", "bestellung kaputt"),
        ("SV: VS: VL: Vb: tilaus", "tilaus"),
        ("Antw: Doorst: bestelling", "bestelling"),
        ("Odp: PD: zamówienie", "zamowienie"),
        ("TR: RE: Enc: RES: Rv: pedido", "pedido"),
        ("Ynt: İlt: sipariş", "siparis"),
        ("ΑΠ: ΣΧΕΤ: παραγγελία", "παραγγελια"),
        ("תשובה: הועבר: הזמנה", "הזמנה"),
        ("回复: 转发: 订单问题", "订单问题"),
        ("پاسخ: فوروارد: سفارش ۱۰۰۱", "سفارش 1001"),
        ("ارسال مجدد: بازارسال: کالا", "کالا"),
        ("ج: رد: تحويل: إعادة توجيه: طلب متأخر", "طلب متاخر"),
        ("\u200fرد: \u200fRE: الطاولة مكسورة", "الطاوله مکسوره"),
        ("[support] Re: [shop-list] Re: table broken", "table broken"),
        ("[support] Re: [#1001] Re: table broken", "[#1001] table broken"),
        ("Re: \x1b[31mred\x1b[0m subject", "red subject"),
    ],
)
def test_prefix_stacks_in_many_languages(subject: str, expected: str) -> None:
    assert normalize_subject(subject) == expected


@pytest.mark.parametrize(
    "subject", ["Remote control", "Reorder 1001", "رد فعل العميل", "Fwd fwd: x", "Trouble"]
)
def test_words_that_only_start_like_a_prefix_stay(subject: str) -> None:
    assert normalize_subject(subject).split()[0] == subject.split()[0].casefold().replace("ي", "ی")


def test_reply_and_original_share_a_key() -> None:
    original = "میز ناهارخوری شکسته رسید"
    for reply in (
        f"RE: {original}",
        f"پاسخ: Fwd:  {original} ",
        f"رد: {original}".replace("ی", "ي"),
    ):
        assert subject_thread_key(reply) == subject_thread_key(original) is not None


@pytest.mark.parametrize(
    "subject",
    ["", "Re:", "Re: Re: hi", "Question", "RE: سلام", "پاسخ: سفارش", "(no subject)", "abc"],
)
def test_generic_subjects_do_not_thread(subject: str) -> None:
    assert subject_thread_key(subject) is None


@pytest.mark.parametrize(
    "subject",
    [
        "RE: Fwd: AW: رد: Order damaged",
        "[list] Re: [#12] x",
        "Re:Re:Re:",
        "  ",
        "ج: ج: ج",
        "Re: Re",
    ],
)
def test_normalize_subject_is_idempotent(subject: str) -> None:
    once = normalize_subject(subject)
    assert normalize_subject(once) == once


@pytest.mark.parametrize(
    "text",
    [
        "Order #1001",
        "order 1001",
        "Order no. 1001",
        "Order Nr. 1001",
        "order number: 1001",
        "ORDER #  1001",
        "order: 1001",
        "order-1001",
        "#1001",
        "(#1001)",
        "where is my order?#1001",
        "سفارش ۱۰۰۱",
        "سفارش شماره ۱۰۰۱",
        "سفارش ش. ۱۰۰۱",
        "شماره سفارش: ۱۰۰۱",
        "کد سفارش 1001",
        "طلب رقم ١٠٠١",
        "طلبي رقم ١٠٠١",
        "رقم الطلب ١٠٠١",
        "الطلب رقم 1001",
        "الطلب #1001",
    ],
)
def test_order_numbers_in_every_documented_form(text: str) -> None:
    assert find_order_numbers(f"سلام، {text} کجاست؟") == ["1001"]


@pytest.mark.parametrize(
    "text",
    [
        "price 1001 USD",
        "$1001",
        "1001 تومان",
        "Total: 1500000 ریال",
        "I paid 250.000 تومان for order",
        "in 2024",
        "year 2025 order",
        "order 2024-05-01",
        "order 1,001",
        "order 10.50",
        "call 09121234567",
        "+98 912 123 4567",
        "تلفن ۰۹۱۲۱۲۳۴۵۶۷",
        "order 12",
        "#12",
        "سفارش ۱۲",
        "&#1001;",
        "https://shop.example/page#1001",
        "abc#1001",
        "reorder 1001",
        "borders 1001",
        "order 12345678901",
    ],
)
def test_numbers_that_are_not_order_numbers(text: str) -> None:
    assert find_order_numbers(text) == []


def test_several_orders_in_order_of_appearance_without_duplicates() -> None:
    text = "#1003 then سفارش ۱۰۰۱ and طلب رقم ١٠٠٢, again Order #1003"
    assert find_order_numbers(text) == ["1003", "1001", "1002"]


def test_thread_candidates_most_specific_first() -> None:
    assert thread_candidates("me@x", "parent@x", ["root@x", "mid@x", "parent@x"]) == [
        "parent@x",
        "mid@x",
        "root@x",
    ]
    assert thread_candidates("me@x", None, ["me@x", "root@x"]) == ["root@x"]
    assert thread_candidates(None, None, []) == []


def test_thread_root() -> None:
    assert thread_root("me@x", "parent@x", ["root@x", "parent@x"]) == "root@x"
    assert thread_root("me@x", "parent@x", []) == "parent@x"
    assert thread_root("me@x", None, ["me@x"]) == "me@x"
    assert thread_root(None, None, []) is None


def test_outlook_thread_index_key() -> None:
    header = bytes(range(22)) + b"\x01\x02\x03\x04\x05"
    reply = bytes(range(22)) + b"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"
    key = thread_index_key(base64.b64encode(header).decode())
    assert key == bytes(range(22)).hex()
    assert thread_index_key(base64.b64encode(reply).decode()) == key
    assert thread_index_key(base64.b64encode(b"short").decode()) is None
    assert thread_index_key("not base64 !!!") is None
    assert thread_index_key(None) is None and thread_index_key("") is None
