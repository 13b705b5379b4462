"""Charset decoding as the agent sees it: Arabic and Persian readable under any label."""

from __future__ import annotations

import pytest

from csconsole.domain.charsets import codec_for, decode_bytes, looks_arabic

COMPLAINT = "عيب مصنعي في الطاولة"
PERSIAN = "سلام، می\u200cخواهم سفارش را لغو کنم"
GERMAN = "Grüße aus München, schöne Größe für Übergrößen"
FRENCH = "Très bien, merci beaucoup à vous, élève"
RUSSIAN = "Здравствуйте, где мой заказ? Спасибо большое"


def test_cp1256_labelled_latin1_reads_as_arabic_with_a_warning() -> None:
    text, warning = decode_bytes(COMPLAINT.encode("cp1256"), "iso-8859-1")
    assert text == COMPLAINT
    assert warning is not None and "cp1256" in warning


@pytest.mark.parametrize("label", ["us-ascii", "latin1", "windows-1252", None, "unknown-8bit"])
def test_cp1256_under_other_weak_or_missing_labels_reads_as_arabic(label: str | None) -> None:
    text, warning = decode_bytes(COMPLAINT.encode("cp1256"), label)
    assert text == COMPLAINT
    assert warning is not None


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("windows-1256", "cp1256"),
        ("Windows-1256", "cp1256"),
        (' "windows-1256" ', "cp1256"),
        ("x-cp1256", "cp1256"),
        ("cp-1256", "cp1256"),
        ("windows1256", "cp1256"),
        ("win-1256", "cp1256"),
        ("ms-arab", "cp1256"),
        ("iso-8859-6", "iso8859-6"),
        ("ISO-8859-6-I", "iso8859-6"),
        ("iso-8859-6-e", "iso8859-6"),
        ("csiso88596i", "iso8859-6"),
        ("csiso88596e", "iso8859-6"),
        ("csisolatinarabic", "iso8859-6"),
        ("iso88596", "iso8859-6"),
        ("iso_8859-6:1987", "iso8859-6"),
        ("arabic", "iso8859-6"),
        ("x-mac-arabic", "mac-arabic"),
        ("macarabic", "mac-arabic"),
        ("dos-720", "cp720"),
    ],
)
def test_every_arabic_alias_label_decodes_without_warning(label: str, codec: str) -> None:
    assert decode_bytes(COMPLAINT.encode(codec), label) == (COMPLAINT, None)


@pytest.mark.parametrize("label", ["x-mac-farsi", "macfarsi"])
def test_mac_farsi_labels(label: str) -> None:
    text = "سفارش شماره ۱۲۳"
    assert decode_bytes(text.encode("mac-farsi"), label) == (text, None)


@pytest.mark.parametrize(
    "label", ["utf-8", "UTF8", "unicode-1-1-utf-8", "x-unicode20utf8", "utf-8*fa", '"utf-8"']
)
def test_utf8_labels_keep_persian_zwnj(label: str) -> None:
    text, warning = decode_bytes(PERSIAN.encode(), label)
    assert text == PERSIAN and "\u200c" in text
    assert warning is None


def test_utf16_labels_are_not_taken_for_ascii() -> None:
    assert decode_bytes("سلام".encode("utf-16-le"), "unicode") == ("سلام", None)
    # ASCII letters in UTF-16 are not ASCII bytes: no shortcut may skip the codec
    assert decode_bytes("hi".encode("utf-16-le"), "utf-16le") == ("hi", None)


@pytest.mark.parametrize("label", ["windows-1256", "iso-8859-6-i", "x-mac-arabic"])
def test_utf8_arabic_under_a_legacy_arabic_label_is_read_as_utf8(label: str) -> None:
    text, warning = decode_bytes(COMPLAINT.encode(), label)
    assert text == COMPLAINT
    assert warning is not None and "UTF-8" in warning


@pytest.mark.parametrize("label", [None, "iso-8859-1"])
def test_persian_letters_in_cp1256_are_recognised(label: str | None) -> None:
    """پ چ ژ گ ک, tatweel and «» quotes all belong to Persian text in windows-1256."""
    text = "گزارش پيگيري سفارش: چند ژاکت و کفش، لطفاً «فوري» ـ ممنون"
    decoded, warning = decode_bytes(text.encode("cp1256"), label)
    assert decoded == text
    assert warning is not None and "cp1256" in warning


def test_cp1256_labelled_utf8_is_read_as_arabic() -> None:
    text, warning = decode_bytes(COMPLAINT.encode("cp1256"), "utf-8")
    assert text == COMPLAINT
    assert warning is not None


def test_unknown_label_falls_back_with_a_warning_naming_it() -> None:
    text, warning = decode_bytes("café".encode("cp1252"), "x-bogus-charset")
    assert text == "café"
    assert warning is not None and "x-bogus-charset" in warning
    text, warning = decode_bytes(COMPLAINT.encode("cp1256"), "klingon-8")
    assert text == COMPLAINT
    assert warning is not None and "klingon-8" in warning
    text, warning = decode_bytes(PERSIAN.encode(), "no-such-label")
    assert text == PERSIAN and warning is not None


@pytest.mark.parametrize("label", ["unicode_escape", "raw-unicode-escape", "idna", "rot13"])
def test_codecs_that_are_not_charsets_are_refused(label: str) -> None:
    """A sender must not be able to turn '\\x1b' text into a real escape via the label."""
    assert codec_for(label) is None
    text, _warning = decode_bytes(b"\\x1b[2J uryyb", label)
    assert text == "\\x1b[2J uryyb"
    assert "\x1b" not in text


def test_overlong_or_empty_labels_mean_no_label() -> None:
    assert codec_for("") is None and codec_for("   ") is None
    assert codec_for("a" * 100) is None
    assert codec_for("unknown-8bit") is None


def test_ascii_needs_no_warning_under_any_label() -> None:
    assert decode_bytes(b"Order #1001 shipped", "x-bogus") == ("Order #1001 shipped", None)
    assert decode_bytes(b"", "windows-1256") == ("", None)


@pytest.mark.parametrize("label", [None, "iso-8859-1", "us-ascii", "windows-1252"])
@pytest.mark.parametrize("text", [GERMAN, FRENCH])
def test_western_text_is_not_misread_as_arabic(text: str, label: str | None) -> None:
    decoded, _warning = decode_bytes(text.encode("cp1252"), label)
    assert decoded == text


@pytest.mark.parametrize(("codec", "label"), [("cp1251", "windows-1251"), ("koi8-r", "koi8-r")])
def test_russian_under_its_own_label(codec: str, label: str) -> None:
    assert decode_bytes(RUSSIAN.encode(codec), label) == (RUSSIAN, None)


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r", "iso8859-5"])
@pytest.mark.parametrize("label", [None, "iso-8859-1", "utf-8"])
def test_mislabelled_russian_is_never_shown_as_arabic(codec: str, label: str | None) -> None:
    decoded, _warning = decode_bytes(RUSSIAN.encode(codec), label)
    assert not any("\u0600" <= char <= "\u06ff" for char in decoded), decoded


def test_invalid_bytes_are_replaced_and_reported() -> None:
    text, warning = decode_bytes(b"ok \xff\xfe\xfd end", "utf-8")
    assert text.startswith("ok ") and text.endswith(" end")
    assert warning is not None
    text, warning = decode_bytes(b"abc\x81", "shift_jis")
    assert text.startswith("abc") and warning is not None


def test_cp1252_undefined_bytes_become_controls_not_errors() -> None:
    text, warning = decode_bytes(b"a\x81b\x9dc", "windows-1252")
    assert text == "a\x81b\x9dc"  # C1 controls, removed later by sanitize()
    assert warning is None


def test_x_user_defined_maps_high_bytes_to_private_use() -> None:
    assert decode_bytes(b"a\x80\xff", "x-user-defined") == ("a\uf780\uf7ff", None)


def test_looks_arabic() -> None:
    assert looks_arabic(COMPLAINT)
    assert looks_arabic(PERSIAN)
    assert not looks_arabic(GERMAN)
    assert not looks_arabic("ي")  # a single letter is not enough
    assert not looks_arabic(RUSSIAN.encode("iso8859-5").decode("cp1256"))
