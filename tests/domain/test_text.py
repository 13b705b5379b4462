"""Strings from the wire cannot drive the terminal, and matching ignores spelling variants."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from csconsole.domain.text import (
    normalize_email,
    normalize_for_index,
    normalize_for_search,
    normalize_phone,
    sanitize,
)

HOSTILE = [
    "\x1b[2J\x1b[HYour order",  # clear screen + home
    "\x1b]52;c;ZXZpbA==\x07Refund",  # OSC 52: write the clipboard
    "\x1b]8;;https://evil.test\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x9b31mred",  # 8-bit CSI
    "\x9d0;title\x9c",  # 8-bit OSC
    "invoice\u202efdp.exe",  # right-to-left override hides the real extension
    "a\u2066b\u2069c",  # isolates
    "bell\x07 and backspace\x08",
    "\x1bP+q544e\x1b\\",  # DCS request
]


def test_hostile_sequences_are_removed_whole() -> None:
    cleaned = [sanitize(text) for text in HOSTILE]
    assert cleaned[0] == "Your order"
    assert cleaned[1] == "Refund"
    assert cleaned[2] == "click"
    assert cleaned[5] == "invoicefdp.exe"
    for text in cleaned:
        assert not any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in text), text
        assert not set(text) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    for multiline in (False, True):
        cleaned = sanitize(text, multiline=multiline)
        allowed = {"\n"} if multiline else set()
        assert all(
            char in allowed or not (ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0)
            for char in cleaned
        )


def test_persian_joiners_and_line_breaks_are_kept_where_they_belong() -> None:
    assert sanitize("می\u200cخواهم") == "می\u200cخواهم"
    assert sanitize("line one\r\nline two\ttab", multiline=True) == "line one\nline two    tab"
    assert sanitize("line one\nline two") == "line one line two"


def test_search_folding() -> None:
    assert normalize_for_search("كيف") == normalize_for_search("کیف")
    assert normalize_for_search("مُحَمَّد") == normalize_for_search("محمد")
    assert normalize_for_search("سلامـــت") == normalize_for_search("سلامت")
    assert normalize_for_search("۱۲۳ ١٢٣") == "123 123"
    # Styled and presentation forms match what the customer would type.
    assert normalize_for_search("\U0001d54a\U0001d560\U0001d556") == "soe"
    assert normalize_for_search("\ufef3\ufee4\ufee8") == normalize_for_search("يمن")
    assert normalize_for_search("Crème BRÛLÉE") == "creme brulee"


def test_contact_normalisation() -> None:
    assert normalize_email(" <Sara@Example.TEST> ") == "sara@example.test"
    assert normalize_phone("+۹۸ (۹۱۲) ۱۲۳-۴۵۶۷") == "+989121234567"
    assert normalize_phone("00966 50 123 4567") == "+966501234567"
    assert normalize_phone("٠٥٠١٢٣٤٥٦٧") == "0501234567"


def test_indexing_a_huge_single_word_stays_fast() -> None:
    """A hostile 64 KB one-word body once froze a sync while it was indexed."""
    started = time.perf_counter()
    normalize_for_index("a" * 65_536 + " می\u200cخواهم " + "ب" * 65_536)
    assert time.perf_counter() - started < 1.0


def test_zwnj_compounds_are_indexed_split_and_joined() -> None:
    indexed = normalize_for_index("من کتاب را می\u200cخواهم.").split()
    assert {"می", "خواهم.", "میخواهم."} <= set(indexed)
