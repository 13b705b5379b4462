# ruff: noqa: E501 -- raw message literals read better unwrapped
"""Twenty messages built to break a mail client: escapes, bombs, nesting, broken MIME."""

from __future__ import annotations

import base64

ESC = "\x1b"
_ESCAPED_SUBJECT = base64.b64encode(b"Refund \x1b[2J\x1b[31mNOW").decode()


def _msg(headers: str, body: bytes | str, *, mid: int) -> bytes:
    head = (
        headers
        if "Message-ID:" in headers or "X-No-Id" in headers
        else (headers + f"\r\nMessage-ID: <hostile{mid}@evil.example>")
    )
    if "From:" not in head and "X-No-From" not in head:
        head += "\r\nFrom: Mallory <mallory@evil.example>"
    if "Date:" not in head and "X-No-Date" not in head:
        head += "\r\nDate: Sun, 01 Nov 2026 10:00:00 +0000"
    raw_body = body.encode("utf-8", "surrogateescape") if isinstance(body, str) else body
    return head.strip("\r\n").encode("utf-8", "surrogateescape") + b"\r\n\r\n" + raw_body


def _nested(depth: int) -> str:
    parts = []
    for level in range(depth):
        parts.append(f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n')
    inner = "Content-Type: text/plain\r\n\r\ndeep inside\r\n"
    closing = "".join(f"\r\n--b{level}--\r\n" for level in reversed(range(depth)))
    return "".join(parts) + inner + closing


def hostile_messages() -> list[bytes]:
    """The twenty messages, each a different attack."""
    bomb = base64.encodebytes(b"\0" * 3_000_000).decode()
    many_parts = "".join(
        f'--m\r\nContent-Type: application/octet-stream; name="f{i}.bin"\r\n'
        "Content-Disposition: attachment\r\n\r\nxx\r\n"
        for i in range(1000)
    )
    return [
        _msg(f"Subject: =?utf-8?b?{_ESCAPED_SUBJECT}?=", "body", mid=1),
        _msg(
            f'Subject: clipboard\r\nFrom: "Boss {ESC}]52;c;ZWNobyBwd25lZA=={ESC}\\\\" <b@evil.example>',
            "osc 52",
            mid=2,
        ),
        _msg(
            "Subject: c1 csi\r\nContent-Type: text/plain; charset=utf-8",
            "before \u009b31m after \x07 bell",
            mid=3,
        ),
        _msg(
            'Subject: rlo filename\r\nContent-Type: multipart/mixed; boundary="x"',
            "--x\r\nContent-Type: text/plain\r\n\r\nsee file\r\n--x\r\n"
            'Content-Type: application/octet-stream; name="invoice\u202efdp.exe"\r\n'
            'Content-Disposition: attachment; filename="invoice\u202efdp.exe"\r\n\r\nMZ\r\n--x--\r\n',
            mid=4,
        ),
        _msg(
            'Subject: escape filename\r\nContent-Type: multipart/mixed; boundary="x"',
            "--x\r\nContent-Type: text/plain\r\n\r\nsee file\r\n--x\r\n"
            "Content-Type: application/pdf\r\n"
            f'Content-Disposition: attachment; filename="../../{ESC}[2Jetc/passwd"\r\n\r\n%PDF\r\n--x--\r\n',
            mid=5,
        ),
        _msg("Subject: " + "A" * 200_000, "huge subject", mid=6),
        _msg(
            "Subject: many refs\r\nReferences: " + " ".join(f"<r{i}@x>" for i in range(5000)),
            "refs",
            mid=7,
        ),
        _msg(
            "Subject: deep nesting\r\n" + _nested(120).split("\r\n\r\n", 1)[0],
            _nested(120).split("\r\n\r\n", 1)[1],
            mid=8,
        ),
        _msg(
            'Subject: zip bomb sized part\r\nContent-Type: multipart/mixed; boundary="z"',
            f"--z\r\nContent-Type: text/plain\r\n\r\nsmall text\r\n--z\r\n"
            'Content-Type: application/zip; name="bomb.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
            f"{bomb}\r\n--z--\r\n",
            mid=9,
        ),
        _msg(
            'Subject: no boundary\r\nContent-Type: multipart/mixed; boundary="never"',
            "there is no boundary line in this body at all",
            mid=10,
        ),
        _msg(
            "Subject: broken base64\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: base64",
            "!!!!not base64 at all%%%\r\n====",
            mid=11,
        ),
        _msg(
            "Subject: unknown charset\r\nContent-Type: text/plain; charset=x-unknown-8bit",
            b"caf\xe9 \xff\xfe",
            mid=12,
        ),
        _msg("Subject: nul bytes\r\nContent-Type: text/plain", b"a\x00b\x00c", mid=13),
        _msg(
            "Subject: garbage headers\r\nThis line has no colon\r\n:empty name\r\nX-\x01: ctrl",
            "body after garbage",
            mid=14,
        ),
        _msg(
            "X-No-From: 1\r\nX-No-Date: 1\r\nX-No-Id: 1\r\nSubject: no from no date no id",
            "anonymous",
            mid=15,
        ),
        _msg("Subject: bad date\r\nDate: Tue, 99 Foo 99999 99:99:99 +9999", "when?", mid=16),
        _msg(f"Subject: long id\r\nMessage-ID: <{'x' * 2000}{ESC}[2J@evil>", "long id", mid=17),
        _msg(
            "Subject: nasty html\r\nContent-Type: text/html; charset=utf-8",
            "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
            "<p style='display:none'>hidden</p><a href='javascript:alert(2)'>click</a>"
            f"<img src='data:image/png;base64,AAAA'>visible {ESC}[5m text</body></html>",
            mid=18,
        ),
        _msg(
            'Subject: thousand parts\r\nContent-Type: multipart/mixed; boundary="m"',
            "--m\r\nContent-Type: text/plain\r\n\r\nlots of files\r\n" + many_parts + "--m--\r\n",
            mid=19,
        ),
        _msg("Subject: " + "=?utf-8?q?a?= " * 10_000, "encoded word flood", mid=20),
    ]


MIXED_CHARSETS = [
    # (raw, text the agent must see)
    (
        b"Subject: =?windows-1256?b?" + base64.b64encode("سلام".encode("cp1256")) + b"?=\r\n"
        b"From: a@example.com\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n"
        + "عيب مصنعي في الطاولة".encode("cp1256"),
        "عيب مصنعي في الطاولة",
    ),
    (
        b"Subject: arabic iso-8859-6-i\r\nFrom: b@example.com\r\n"
        b"Content-Type: text/plain; charset=iso-8859-6-i\r\n\r\n" + "مرحبا".encode("iso8859-6"),
        "مرحبا",
    ),
    (
        b"Subject: =?utf-8?q?=D9=BE=D8=A7=D8=B3=D8=AE?=\r\nFrom: c@example.com\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        + b"=D8=B3=D9=81=D8=A7=D8=B1=D8=B4",
        "سفارش",
    ),
    (
        b"Subject: latin\r\nFrom: d@example.com\r\nContent-Type: text/plain; charset=iso-8859-15\r\n\r\n"
        + "Grüße, ça coûte 5 €".encode("iso8859-15"),
        "Grüße, ça coûte 5 €",
    ),
]
