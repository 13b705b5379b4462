"""Properties that must hold for any input a sender can mail us."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from csconsole.domain.charsets import decode_bytes
from csconsole.domain.mime import parse_message
from csconsole.domain.text import sanitize
from csconsole.domain.threading import find_order_numbers, normalize_subject

LABELS = st.sampled_from(
    [
        None,
        "utf-8",
        "iso-8859-1",
        "windows-1256",
        "iso-8859-6-i",
        "x-mac-arabic",
        "x-user-defined",
        "unicode_escape",
        "zlib",
        "bogus",
    ]
)


@given(st.binary(max_size=300), LABELS)
def test_decode_bytes_never_raises(data: bytes, label: str | None) -> None:
    text, _warning = decode_bytes(data, label)
    assert isinstance(text, str)


@settings(max_examples=50)
@given(st.binary(max_size=600))
def test_parse_message_never_raises_and_is_safe(raw: bytes) -> None:
    parsed = parse_message(raw, body_cap=200)
    assert len(parsed.body_text) <= 200
    assert "\x1b" not in sanitize(parsed.body_text, multiline=True)


@given(st.text(max_size=80))
@example("\U0001d54a")  # a styled capital S: decomposes to an upper-case letter
@example("\ufef7")  # an Arabic presentation-form ligature
def test_normalize_subject_is_idempotent(subject: str) -> None:
    once = normalize_subject(subject)
    assert normalize_subject(once) == once


@given(
    st.sampled_from(["order #{}", "سفارش {}", "طلب رقم {}", "رقم الطلب {}", "Order no. {}"]),
    st.integers(min_value=100, max_value=99_999_999),
    st.text(alphabet="abc سلام مرحبا ", max_size=20),
)
def test_order_number_found_in_context(template: str, number: int, noise: str) -> None:
    text = f"{noise} {template.format(number)} {noise}"
    assert str(number) in find_order_numbers(text)
