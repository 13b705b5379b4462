"""Header decoding as the agent sees it: readable names and subjects, safe file names."""

from __future__ import annotations

import base64

import pytest

from csconsole.domain.headers import (
    MAX_ADDRESSES,
    MAX_FILENAME_CHARS,
    MAX_HEADER_CHARS,
    decode_header_value,
    parse_address_list,
    parse_message_ids,
    parse_params,
    safe_filename,
)

SALAM_B64 = base64.b64encode("سلام".encode()).decode()


def _word(text: str, charset: str = "utf-8", codec: str = "utf-8") -> str:
    return f"=?{charset}?b?{base64.b64encode(text.encode(codec)).decode()}?="


def test_adjacent_encoded_words_join_without_the_space_between() -> None:
    assert decode_header_value(f"{_word('سفارش')} {_word(' شما')}") == "سفارش شما"
    assert decode_header_value("=?utf-8?q?a?=\r\n =?utf-8?q?b?=") == "ab"
    assert decode_header_value("=?utf-8?q?a?==?utf-8?q?b?=") == "ab"


def test_text_between_encoded_words_is_kept() -> None:
    assert decode_header_value("=?utf-8?q?a?= b =?utf-8?q?c?=") == "a b c"
    assert decode_header_value(f"Re: {_word('سلام')} #1001") == "Re: سلام #1001"


def test_a_character_split_across_two_words_is_rejoined() -> None:
    data = "سلام".encode()
    first, second = (base64.b64encode(half).decode() for half in (data[:3], data[3:]))
    split = f"=?utf-8?b?{first}?= =?UTF-8?b?{second}?="
    assert decode_header_value(split) == "سلام"


def test_adjacent_words_in_different_charsets() -> None:
    value = f"{_word('عيب', 'windows-1256', 'cp1256')} {_word(' سلام')}"
    assert decode_header_value(value) == "عيب سلام"


@pytest.mark.parametrize(
    "payload",
    [SALAM_B64.rstrip("="), SALAM_B64[:4] + "*!" + SALAM_B64[4:], SALAM_B64 + "A"],
)
def test_broken_base64_still_decodes(payload: str) -> None:
    assert decode_header_value(f"=?utf-8?b?{payload}?=").startswith("سلام")


def test_q_encoding_underscores_and_labels_python_lacks() -> None:
    assert (
        decode_header_value("=?utf-8?q?=D8=B3=D9=84=D8=A7=D9=85_=D8=B9=D9=84=DB=8C?=") == "سلام علی"
    )
    assert decode_header_value("=?iso-8859-6-i?q?=E5=D1=CD=C8=C7?=") == "مرحبا"
    assert decode_header_value(_word("مرحبا", "x-mac-arabic", "mac-arabic")) == "مرحبا"
    assert decode_header_value("=?utf-8*ar?q?=D8=B3?=") == "س"


def test_unknown_charset_in_encoded_word_is_guessed() -> None:
    assert decode_header_value(_word("سلام", "x-unknown", "cp1256")) == "سلام"


def test_raw_8bit_cp1256_header_reads_as_arabic() -> None:
    assert decode_header_value("عيب مصنعي".encode("cp1256")) == "عيب مصنعي"
    surrogates = "عيب مصنعي".encode("cp1256").decode("ascii", "surrogateescape")
    assert decode_header_value(surrogates) == "عيب مصنعي"


def test_crlf_in_encoded_words_cannot_inject_lines() -> None:
    value = decode_header_value("=?utf-8?q?hello=0D=0ABcc:_x@evil.example=0D=0A=0D=0Abody?=")
    assert "\r" not in value and "\n" not in value
    assert value.startswith("hello") and "Bcc" in value


def test_escapes_inside_encoded_words_are_removed() -> None:
    value = decode_header_value(_word("Refund \x1b[2J\x1b]52;c;eA==\x07NOW \u202eexe \x9b31m"))
    assert value == "Refund NOW exe"  # whole sequences go, no parameter bytes leak


def test_folded_header_unfolds_to_one_line() -> None:
    assert decode_header_value("Order\r\n  damaged\n\tagain") == "Order  damaged    again"


def test_huge_header_is_capped() -> None:
    assert len(decode_header_value("A" * 1_000_000)) == MAX_HEADER_CHARS
    assert len(decode_header_value("=?utf-8?q?a?= " * 10_000)) <= MAX_HEADER_CHARS


def test_address_list_with_encoded_arabic_and_persian_names() -> None:
    raw = (
        f"{_word('أحمد علي', 'windows-1256', 'cp1256')} <ahmad@customer.example>,\r\n"
        f' "Doe, John" <john@x.example>, =?utf-8?q?=D9=85=D8=AF=DB=8C=D8=B1?= <boss@shop.example>,'
        " plain@x.example"
    )
    assert parse_address_list(raw) == [
        ("أحمد علي", "ahmad@customer.example"),
        ("Doe, John", "john@x.example"),
        ("مدیر", "boss@shop.example"),
        ("", "plain@x.example"),
    ]


def test_address_list_edge_cases() -> None:
    assert parse_address_list(None) == [] and parse_address_list("") == []
    assert parse_address_list(_word("سلام")) == [("سلام", "")]  # a name without an address
    name = parse_address_list('"Boss \x1b]52;c;eA==\x07" <b@evil.example>')
    assert name == [("Boss", "b@evil.example")]
    many = ", ".join(f"user{i}@x.example" for i in range(2000))
    assert len(parse_address_list(many)) == MAX_ADDRESSES
    for garbage in ('<<<>>> ,,, "unterminated', "\x00\x01", "@@@", "a@" * 5000):
        for shown, address in parse_address_list(garbage):
            assert "\x00" not in shown + address and len(address) <= 320


def test_message_ids_from_garbage() -> None:
    assert parse_message_ids("<a@x> (comment) <b@x> <a@x>") == ["a@x", "b@x"]
    assert parse_message_ids("a@x.example b@y.example") == ["a@x.example", "b@y.example"]
    assert parse_message_ids("garbage \x1b[2J no id here") == []
    assert parse_message_ids(None) == [] and parse_message_ids("") == []
    ids = parse_message_ids("<ok1@x> junk <\x1b]52;c;AA\x07@evil> <ok2@x>")
    assert "ok1@x" in ids and "ok2@x" in ids
    assert all("\x1b" not in i and "\x07" not in i for i in ids)
    refs = parse_message_ids(" ".join(f"<r{i}@x>" for i in range(5000)))
    assert len(refs) == 500 and refs[-1] == "r4999@x"  # the newest references are kept


def test_rfc2231_encoded_continuations_in_any_order() -> None:
    value, params = parse_params(
        "attachment; FILENAME*1*=%D9%84.pdf; filename*0*=utf-8''%D9%81%D8%A7%DB%8C"
    )
    assert value == "attachment"
    assert params["filename"] == "فایل.pdf"


def test_rfc2231_continuation_split_inside_a_character_and_with_language() -> None:
    encoded = "%D8%B1%D8%B3%DB%8C%D8%AF"  # رسید
    _, params = parse_params(
        f"attachment;\r\n filename*0*=utf-8'fa'{encoded[:9]};\r\n filename*1*={encoded[9:]}.pdf"
    )
    assert params["filename"] == "رسید.pdf"


def test_rfc2231_plain_and_legacy_charset_continuations() -> None:
    _, params = parse_params('attachment; filename*0="invoice-"; filename*1="1004.pdf"')
    assert params["filename"] == "invoice-1004.pdf"
    _, params = parse_params("attachment; filename*=windows-1256''%DA%ED%C8.pdf")
    assert params["filename"] == "عيب.pdf"
    _, params = parse_params("attachment; filename*=utf-8''%1B%5B2Jx.txt")
    assert params["filename"] == "x.txt"


def test_params_with_encoded_words_quotes_and_case() -> None:
    _, params = parse_params(f'application/pdf; name="{_word("فاکتور.pdf")}"')
    assert params["name"] == "فاکتور.pdf"
    assert parse_params('Text/Plain; CHARSET="windows-1256"; format=flowed') == (
        "text/plain",
        {"charset": "windows-1256", "format": "flowed"},
    )
    assert parse_params('attachment; filename="a\\"b.pdf"')[1]["filename"] == 'a"b.pdf'
    assert parse_params(None) == ("", {})


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\System32\\evil.dll", "evil.dll"),
        ("/etc/cron.d/job", "job"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("report\u2066\u2067.pdf\u2069.js", "report.pdf.js"),
        ("\u200fabc\u200e.pdf", "abc.pdf"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("LPT1.log", "_LPT1.log"),
        ("nul", "_nul"),
        ("a\x00b\x1b[2Jc\x07.txt", "abc.txt"),
        ("\x1b]8;;https://evil.example\x1b\\click.pdf", "click.pdf"),
        ("a<b>c:d|e?f*.txt", "a_b_c_d_e_f_.txt"),
        (".bashrc", "bashrc"),
        ("  spaced  out  .pdf  ", "spaced out .pdf"),
        ("رسید\u200cها.pdf", "رسید\u200cها.pdf"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_safe_filename_caps_length_and_keeps_the_extension() -> None:
    for stem in ("x" * 300, "ب" * 400):
        shown = safe_filename(stem + ".pdf")
        assert len(shown) == MAX_FILENAME_CHARS
        assert shown.endswith(".pdf")
    assert len(safe_filename("y" * 500)) == MAX_FILENAME_CHARS


@pytest.mark.parametrize("name", ["", None, "....", "..", "/", "\x1b[2J", "\u202e", "  "])
def test_safe_filename_is_never_empty(name: str | None) -> None:
    assert safe_filename(name) == "attachment"
    assert safe_filename(name, default="message") == "message"
