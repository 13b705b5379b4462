"""Decoding a customer would notice: Arabic text readable, hostile input harmless."""

from __future__ import annotations

import time

from csconsole.domain.charsets import decode_bytes
from csconsole.domain.headers import decode_header_value, safe_filename
from csconsole.domain.html_text import html_to_text
from csconsole.domain.mime import parse_message
from csconsole.domain.threading import find_order_numbers, normalize_subject

COMPLAINT = "عيب مصنعي في الطاولة"


def test_cp1256_mislabelled_as_latin1_is_read_as_arabic() -> None:
    text, warning = decode_bytes(COMPLAINT.encode("cp1256"), "iso-8859-1")
    assert text == COMPLAINT
    assert warning is not None


def test_labels_python_lacks() -> None:
    assert decode_bytes(COMPLAINT.encode("iso8859-6"), "iso-8859-6-i") == (COMPLAINT, None)
    assert decode_bytes(COMPLAINT.encode("mac-arabic"), "x-mac-arabic") == (COMPLAINT, None)


def test_encoded_word_subject_and_bidi_filename() -> None:
    assert decode_header_value("=?utf-8?B?2LPZhNin2YU=?=") == "سلام"
    assert safe_filename("../../invoice\u202efdp.exe") == "invoicefdp.exe"


def test_html_links_shown_and_scripts_dropped() -> None:
    text, links = html_to_text('<script>x()</script><p>See <a href="https://s.example/1">it</a>')
    assert text == "See it [1]"
    assert links == ["https://s.example/1"]


def test_html_hostile_input_is_fast() -> None:
    started = time.monotonic()
    html_to_text("<a" * 500_000)
    assert time.monotonic() - started < 5


def test_subject_and_orders() -> None:
    assert normalize_subject("RE: Fwd: \u200fرد: Order damaged") == "order damaged"
    assert find_order_numbers("سفارش ۱۰۰۱ و طلب رقم ١٠٠٢ #1003, call 09121234567") == [
        "1001",
        "1002",
        "1003",
    ]


def test_parse_message_never_raises_and_output_is_safe() -> None:
    nested = b"Subject: \x1b]52;c;eA==\x07hi\r\n" + b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
        for i in range(1200)
    )
    for raw in (nested, b"\x00\xff\x1b[2J", b""):
        parsed = parse_message(raw, body_cap=1000)
        for value in (parsed.subject, parsed.body_text, parsed.headers):
            assert "\x1b" not in value and "\x07" not in value
