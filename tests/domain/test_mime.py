"""Whole messages from the corpus, parsed the way the console shows them."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest

from csconsole.domain.mime import ParsedMessage, parse_message
from csconsole.domain.text import sanitize
from tests.data.mail.make_corpus import build_corpus, charset_cases

CORPUS = Path(__file__).resolve().parents[1] / "data" / "mail"
ALL_FILES = sorted(CORPUS.glob("*/*.eml"))
HOSTILE = sorted((CORPUS / "hostile").glob("*.eml"))
CASES = {case.name: case for case in charset_cases()}
# ESC, BEL, NUL, DEL, all C1 controls, bidi embeddings/overrides/isolates
UNSAFE = frozenset(
    "\x1b\x07\x00\x7f" + "".join(map(chr, range(0x80, 0xA0))) + "\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069"
)


def _parse(name: str, body_cap: int = 4096) -> ParsedMessage:
    return parse_message((CORPUS / name).read_bytes(), body_cap=body_cap)


def _fields(parsed: ParsedMessage) -> list[str]:
    """Every string of a parsed message that can reach the screen."""
    values = [parsed.subject, parsed.from_name, parsed.from_addr, parsed.body_text, parsed.headers]
    values += [parsed.date or "", parsed.message_id or "", parsed.in_reply_to or ""]
    values += [parsed.thread_index or "", parsed.language or ""]
    values += [*parsed.references, *parsed.links, *parsed.warnings]
    values += [part for pair in (*parsed.to, *parsed.cc) for part in pair]
    values += [value for att in parsed.attachments for value in (att.filename, att.content_type)]
    return values


def test_corpus_is_reproducible_and_small() -> None:
    built = build_corpus()
    on_disk = {str(path.relative_to(CORPUS)): path.read_bytes() for path in ALL_FILES}
    assert on_disk == built, "run: python -m tests.data.mail.make_corpus"
    assert sum(len(raw) for raw in built.values()) < 3_000_000
    assert len(HOSTILE) == 20


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda path: path.name)
def test_every_corpus_message_parses_quickly_within_the_cap(path: Path) -> None:
    started = time.monotonic()
    parsed = parse_message(path.read_bytes(), body_cap=2000)
    assert time.monotonic() - started < 2
    assert len(parsed.body_text) <= 2000


@pytest.mark.parametrize("path", HOSTILE, ids=lambda path: path.name)
def test_hostile_message_fields_are_safe_to_show(path: Path) -> None:
    parsed = parse_message(path.read_bytes(), body_cap=4096)
    for value in _fields(parsed):
        assert not UNSAFE & set(value), (path.name, value[:200])
        again = sanitize(value, multiline=True)
        assert not UNSAFE & set(again)
    for one_line in (parsed.subject, parsed.from_name, *(a.filename for a in parsed.attachments)):
        assert "\n" not in one_line and "\r" not in one_line
    for attachment in parsed.attachments:
        name = attachment.filename
        assert name and "/" not in name and "\\" not in name and not name.startswith(".")
        assert len(name) <= 160


@pytest.mark.parametrize("name", sorted(CASES))
def test_charset_message_reads_as_the_customer_wrote_it(name: str) -> None:
    case = CASES[name]
    parsed = _parse(f"charsets/{name}")
    assert parsed.subject == case.subject
    assert case.body in parsed.body_text
    assert tuple(att.filename for att in parsed.attachments) == case.filenames
    if case.from_name:
        assert parsed.from_name == case.from_name
    assert parsed.language == case.language
    assert "\ufffd" not in parsed.subject + parsed.body_text


def test_persian_zwnj_survives_in_subject_body_and_filename() -> None:
    parsed = _parse("charsets/05-persian-utf8-zwnj.eml")
    assert "\u200c" in parsed.subject and "\u200c" in parsed.body_text
    assert "\u200c" in parsed.attachments[0].filename
    assert parsed.to == (
        ("پشتیبانی فروشگاه", "support@shop.example"),
        ("مدیر", "boss@shop.example"),
    )


def test_mislabelled_charsets_warn_the_agent() -> None:
    assert _parse("charsets/06-cp1256-labelled-latin1.eml").warnings
    assert _parse("charsets/10-unlabelled-cp1256-body.eml").warnings
    assert _parse("charsets/01-windows-1256.eml").warnings == ()


def test_html_body_gives_text_and_links() -> None:
    parsed = _parse("charsets/08-html-windows-1256.eml")
    assert parsed.body_from_html
    assert parsed.links == ("https://shop.example/o/1003",)
    assert "[1]" in parsed.body_text


NESTED = (
    b"Subject: ids\r\nFrom: a@x.example\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="o"\r\nContent-Language: !!garbage!!\r\n\r\n'
    b'--o\r\nContent-Type: multipart/alternative; boundary="a"\r\n\r\n'
    b"--a\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Language: fa\r\n\r\nplain body\r\n"
    b"--a\r\nContent-Type: text/html\r\n\r\n<p>html body</p>\r\n--a--\r\n"
    b'--o\r\nContent-Type: application/pdf; name="a.pdf"\r\nContent-Transfer-Encoding: base64'
    b"\r\n\r\nJVBERi0xLjQ=\r\n"
    b"--o\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\nFrom: Eve <e@x.example>\r\n"
    b'Content-Type: multipart/mixed; boundary="i"\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\n'
    b"inner text\r\n--i\r\nContent-Type: image/png\r\nContent-Disposition: attachment\r\n\r\n"
    b"PNG\r\n--i--\r\n"
    b'--o\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="notes.txt"'
    b"\r\n\r\nattached text\r\n--o--\r\n"
)


def test_attachment_part_ids_names_types_and_sizes() -> None:
    parsed = parse_message(NESTED, body_cap=1000)
    assert [(a.part_id, a.filename, a.content_type, a.size) for a in parsed.attachments] == [
        ("2", "a.pdf", "application/pdf", 8),
        ("3", "inner.eml", "message/rfc822", parsed.attachments[1].size),
        ("3.2", "attachment.png", "image/png", 3),
        ("4", "notes.txt", "text/plain", 13),
    ]
    assert parsed.body_text.startswith("plain body")  # plain preferred over HTML
    assert "html body" not in parsed.body_text and "attached text" not in parsed.body_text
    assert "From: Eve <e@x.example>" in parsed.body_text and "inner text" in parsed.body_text


def test_content_language_from_the_message_or_its_body_part() -> None:
    assert parse_message(NESTED, body_cap=100).language == "fa"  # garbage top-level ignored
    raw = b"Subject: x\r\nContent-Language: AR-EG, en\r\nContent-Type: text/plain\r\n\r\nhi"
    assert parse_message(raw, body_cap=100).language == "ar-eg"
    raw = b"Subject: x\r\nContent-Language: \x1b[2J\r\n\r\nhi"
    assert parse_message(raw, body_cap=100).language is None


LONG = "سلام دنیا " * 1000  # 10 000 characters


@pytest.mark.parametrize(
    ("cap", "length", "truncated"),
    [(0, 0, True), (1, 1, True), (99, 99, True), (9999, 9999, True), (10000, 10000, False)],
)
def test_truncation_flag_at_body_cap(cap: int, length: int, truncated: bool) -> None:
    raw = (
        b"Subject: long\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(LONG.encode())
    )
    parsed = parse_message(raw, body_cap=cap)
    assert len(parsed.body_text) == length
    assert parsed.body_truncated is truncated
    assert "\ufffd" not in parsed.body_text  # no character cut in half
    assert LONG.startswith(parsed.body_text)


def test_truncated_html_body_is_flagged() -> None:
    raw = b"Subject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + b"<p>word</p>" * 5000
    parsed = parse_message(raw, body_cap=50)
    assert len(parsed.body_text) == 50 and parsed.body_truncated and parsed.body_from_html


def test_hostile_specifics() -> None:
    subject = _parse("hostile/01-csi-bel-subject.eml").subject
    assert subject == "Refund NOW"
    assert _parse("hostile/02-osc52-from-name.eml").from_name == "Boss"
    assert _parse("hostile/03-osc8-body-link.eml").body_text == (
        "Track it https://shop.example/track now"
    )
    names = [a.filename for a in _parse("hostile/05-bidi-override-filenames.eml").attachments]
    assert names == ["invoicefdp.exe", "photogpj.scr", "report.pdf.js"]  # real extensions show
    names = [a.filename for a in _parse("hostile/06-path-traversal-filenames.eml").attachments]
    assert names == ["passwd", "evil.dll", "job", "attachment.bin"]
    names = [a.filename for a in _parse("hostile/07-escapes-in-filenames.eml").attachments]
    assert names[:4] == ["notes.txt", "click.pdf", "_CON.txt", "red.txt"]
    assert names[4].endswith(".pdf") and len(names[4]) == 150
    assert _parse("hostile/04-c1-controls.eml").from_name == "Eve"


def test_huge_header_and_deep_nesting_are_bounded() -> None:
    parsed = _parse("hostile/08-one-megabyte-header.eml")
    assert parsed.subject == "huge header" and parsed.body_text == "huge header"
    assert len(parsed.headers) < 100_000
    parsed = _parse("hostile/09-nesting-200-levels.eml")
    assert parsed.subject == "deep nesting"
    assert any("nesting" in warning for warning in parsed.warnings)


def test_compressed_part_is_listed_at_its_stored_size_not_inflated() -> None:
    raw = (CORPUS / "hostile/10-compressed-bomb.eml").read_bytes()
    parsed = parse_message(raw, body_cap=4096)
    assert parsed.body_text == "small text"
    [bomb] = parsed.attachments
    assert bomb.filename == "logs.gz" and bomb.content_type == "application/gzip"
    assert bomb.size < len(raw) < 100_000  # 20 MB of zeros inside, never inflated


def test_broken_structure_still_shows_text_with_a_warning() -> None:
    for name, text in [
        ("hostile/11-missing-boundary-line.eml", "there is no boundary line"),
        ("hostile/12-missing-boundary-parameter.eml", "parts without a declared boundary"),
    ]:
        parsed = _parse(name)
        assert text in parsed.body_text
        assert parsed.warnings
    assert _parse("hostile/13-nul-bytes.eml").body_text == "abc visible"
    assert _parse("hostile/13-nul-bytes.eml").subject == "nul bytes"
    assert any("base64" in w for w in _parse("hostile/14-invalid-base64.eml").warnings)


def test_header_injection_stays_inside_one_header() -> None:
    parsed = _parse("hostile/15-header-injection.eml")
    assert parsed.subject.startswith("hello") and "Bcc" in parsed.subject
    assert parsed.from_addr == "ali@evil.example"
    assert parsed.to == () and parsed.cc == ()
    assert not any(line.startswith(("Bcc:", "Reply-To:")) for line in parsed.headers.split("\n"))


def test_encoded_escapes_in_names_and_html() -> None:
    parsed = _parse("hostile/16-osc8-encoded-name-and-subject.eml")
    assert (parsed.subject, parsed.from_name) == ("Your invoice", "Support hidden")
    assert parsed.to == (("Agent", "agent@shop.example"),)
    parsed = _parse("hostile/17-hostile-html.eml")
    assert parsed.links == ("https://shop.example/ok",)
    assert "alert" not in parsed.body_text and "color:red" not in parsed.body_text
    assert "visible" in parsed.body_text and "[logo]" in parsed.body_text


def test_forwarded_hostile_message() -> None:
    parsed = _parse("hostile/19-forwarded-hostile.eml")
    assert "From: Eve <eve@evil.example>\n" in parsed.body_text
    assert "inner body  done" in parsed.body_text
    [forwarded] = parsed.attachments
    assert forwarded.part_id == "2" and forwarded.filename == "xtxt.exe.eml"


def test_garbage_ids_and_date() -> None:
    parsed = _parse("hostile/20-garbage-headers-and-ids.eml")
    assert parsed.in_reply_to == "parent@x"
    assert parsed.references[0] == "ok1@x" and parsed.references[-1] == "ok2@x"
    assert parsed.date is None and any("Date" in w for w in parsed.warnings)
    assert "This line has no colon" in parsed.body_text


@pytest.mark.parametrize(
    "raw", [b"", b"\x00" * 100, b"\xff\xfe\x1b[2J", b"From:\r\n\r\n", b"-" * 5000]
)
def test_degenerate_input_never_raises(raw: bytes) -> None:
    parsed = parse_message(raw, body_cap=100)
    assert all(not UNSAFE & set(value) for value in _fields(parsed))
