"""Content-Transfer-Encoding undone within a byte budget.

A hostile part can claim any size; these functions look at no more of the encoded
payload than the budget needs (base64 and quoted-printable never expand), report the
full decoded size without holding it, and never raise.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass

_B64_ALPHABET_JUNK = re.compile(rb"[^A-Za-z0-9+/]")
_B64_INVALID = re.compile(rb"[^A-Za-z0-9+/=\s]")


@dataclass(frozen=True)
class Decoded:
    """The first ``limit`` decoded bytes of a part and what we know about the rest."""

    data: bytes
    size: int  # decoded size of the whole part (estimated for base64 junk)
    truncated: bool
    warning: str | None = None


def payload_bytes(payload: object) -> bytes:
    """The raw payload of a leaf part as bytes (email keeps 8-bit bytes as surrogates)."""
    if isinstance(payload, bytes):
        return payload
    if not isinstance(payload, str):
        return b""
    try:
        return payload.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return payload.encode("utf-8", "surrogateescape")


def _base64(raw: bytes, limit: int) -> Decoded:
    warning = "invalid base64 characters skipped" if _B64_INVALID.search(raw) else None
    cleaned = _B64_ALPHABET_JUNK.sub(b"", raw)
    size = len(cleaned) * 3 // 4
    need = (limit // 3 + 1) * 4
    chunk = cleaned[:need]
    if len(chunk) % 4 == 1:
        chunk = chunk[:-1]
        warning = warning or "truncated base64 data"
    chunk += b"=" * (-len(chunk) % 4)
    try:
        data = binascii.a2b_base64(chunk)
    except (binascii.Error, ValueError):
        return Decoded(b"", size, True, "undecodable base64 data")
    return Decoded(data[:limit], size, size > limit, warning)


def _quoted_printable(raw: bytes, limit: int) -> Decoded:
    # QP never expands, so decoding the first 3*limit bytes yields at least limit bytes
    # whenever the whole part is that large.
    try:
        data = binascii.a2b_qp(raw[: limit * 3 + 4])
        size = len(data) if len(raw) <= limit * 3 + 4 else len(binascii.a2b_qp(raw))
    except (binascii.Error, ValueError):
        return Decoded(raw[:limit], len(raw), len(raw) > limit, "undecodable quoted-printable")
    return Decoded(data[:limit], size, size > limit)


def decode_transfer(raw: bytes, encoding: str | None, limit: int) -> Decoded:
    """Undo a Content-Transfer-Encoding, keeping at most ``limit`` decoded bytes."""
    limit = max(limit, 0)
    name = (encoding or "").strip().strip("\"'").lower()
    try:
        if name == "base64":
            return _base64(raw, limit)
        if name == "quoted-printable":
            return _quoted_printable(raw, limit)
    except Exception:  # binascii is C code; be safe anyway
        return Decoded(raw[:limit], len(raw), len(raw) > limit, "undecodable transfer encoding")
    warning = None
    if name not in {"", "7bit", "8bit", "binary"}:
        shown = re.sub(r"[^\w.-]", "", name)[:30]
        warning = f"unknown transfer encoding {shown!r}; shown undecoded"
    return Decoded(raw[:limit], len(raw), len(raw) > limit, warning)


def trim_partial_utf8(data: bytes) -> bytes:
    """Drop a multi-byte UTF-8 sequence cut in half at the end of a truncated chunk."""
    end = len(data)
    back = 0
    while back < 3 and end - back > 0 and 0x80 <= data[end - back - 1] <= 0xBF:
        back += 1
    if end - back > 0 and data[end - back - 1] >= 0xC0:
        lead = data[end - back - 1]
        expected = 1 if lead < 0xE0 else 2 if lead < 0xF0 else 3
        if back < expected:
            return data[: end - back - 1]
    return data
