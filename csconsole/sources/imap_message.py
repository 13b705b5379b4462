"""Turning one message's FETCH data into a ``NewMessage``: headers, text body, attachments.

Never raises: a message we cannot understand is still stored, with what we could read
and a ``decode_warning``, so one bad message never blocks its folder.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from csconsole.domain.charsets import decode_bytes
from csconsole.domain.clock import now_iso, to_iso
from csconsole.domain.headers import (
    MAX_HEADER_CHARS,
    MAX_MESSAGE_IDS,
    decode_header_value,
    parse_message_ids,
)
from csconsole.domain.html_text import html_to_text
from csconsole.domain.models import Direction, NewAttachment, NewMessage
from csconsole.domain.text import sanitize
from csconsole.sources import imap_bodystructure as bs

HEADER_FIELDS = "REFERENCES IN-REPLY-TO CONTENT-LANGUAGE"
HEADER_KEY = f"BODY[HEADER.FIELDS ({HEADER_FIELDS})]".encode()
META_ITEMS = (
    f"(UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE "
    f"BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})])"
)


def body_key(part: str) -> bytes:
    """The key imapclient gives a partial ``BODY.PEEK[part]<0.cap>`` answer."""
    return f"BODY[{part}]<0>".encode()


def body_item(part: str, cap: int) -> str:
    """The FETCH item for the first ``cap`` octets of a part, without setting \\Seen."""
    return f"BODY.PEEK[{part}]<0.{cap}>"


def wanted_parts(structure: Any) -> list[str]:
    """Part numbers whose text we fetch for this message: plain if any, else HTML."""
    plain, html = bs.text_parts(bs.walk(structure))
    chosen = plain or html
    return [chosen.part] if chosen else []


def _b(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "replace")


def decode_transfer(
    data: bytes, encoding: str | None, *, truncated: bool
) -> tuple[bytes, str | None]:
    """Undo base64/quoted-printable on possibly truncated data; (bytes, warning)."""
    encoding = (encoding or "").lower()
    try:
        if encoding == "base64":
            compact = re.sub(rb"[^A-Za-z0-9+/=]", b"", data)
            if truncated:
                compact = compact[: len(compact) - len(compact) % 4]
            return base64.b64decode(compact + b"=" * (-len(compact) % 4)), None
        if encoding == "quoted-printable":
            if truncated:
                data = re.sub(rb"=[0-9A-Fa-f]?$", b"", data)
            return quopri.decodestring(data), None
    except (binascii.Error, ValueError) as error:
        return data, f"broken {encoding} encoding ({error}); shown raw"
    return data, None


def header_text(raw: bytes) -> str:
    """``decode_header_value``, which plain printable ASCII without encoded words (most
    names and subjects) passes through unchanged but for the outer spaces."""
    if raw.isascii() and b"=?" not in raw and len(raw) <= MAX_HEADER_CHARS:
        text = raw.decode("ascii")
        if text.isprintable():
            return text.strip()
    if len(raw) > _REMEMBERED_LENGTH:
        return decode_header_value(raw)
    decoded = _DECODED.get(raw)
    if decoded is None:
        # A customer's encoded name comes back with every message they write.
        if len(_DECODED) >= 4096:
            _DECODED.clear()
        decoded = _DECODED[raw] = decode_header_value(raw)
    return decoded


# Names and subjects are short; a hostile megabyte-long header is decoded, not kept.
_REMEMBERED_LENGTH = 512
_DECODED: dict[bytes, str] = {}


_ANGLE_ID = re.compile(r"<([^<>\s]{1,998})>")  # as ``parse_message_ids`` reads them


def message_ids(raw: str | bytes | None) -> list[str]:
    """``parse_message_ids``, without its decoding and cleaning for the usual header:
    printable ASCII with the ids in angle brackets."""
    if raw and len(raw) <= MAX_HEADER_CHARS * 64 and raw.isascii():
        text = raw.decode("ascii") if isinstance(raw, bytes) else raw
        if text.isprintable():
            found = _ANGLE_ID.findall(text)
            if found:
                return list(dict.fromkeys(found))[-MAX_MESSAGE_IDS:]
    return parse_message_ids(raw)


def _one_line(text: str) -> str:
    """``sanitize``, which leaves printable ASCII as it is."""
    return text if text.isascii() and text.isprintable() else sanitize(text)


def _address(address: Any) -> tuple[str, str]:
    name = header_text(_b(getattr(address, "name", None))) if address else ""
    mailbox = _b(getattr(address, "mailbox", None)).decode("utf-8", "replace")
    host = _b(getattr(address, "host", None)).decode("utf-8", "replace")
    addr = _one_line(f"{mailbox}@{host}" if mailbox and host else mailbox).strip()[:320]
    return name, addr


def _addresses(values: Any) -> list[tuple[str, str]]:
    if not values:
        return []
    return [_address(a) for a in list(values)[:100] if getattr(a, "mailbox", None)]


def _format(pairs: list[tuple[str, str]]) -> tuple[str, ...]:
    return tuple(f"{name} <{addr}>" if name else addr for name, addr in pairs if addr)


def _header_map(block: bytes) -> dict[str, str]:
    text = block.decode("utf-8", "replace").replace("\r\n", "\n")
    text = re.sub(r"\n[ \t]+", " ", text)
    result: dict[str, str] = {}
    for line in text.split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            result.setdefault(name.strip().lower(), value.strip())
    return result


def _sent_at(envelope: Any, internal: Any) -> str:
    for moment in (getattr(envelope, "date", None), internal):
        if isinstance(moment, datetime):
            try:
                return to_iso(moment)
            except (OverflowError, ValueError):
                continue
    return now_iso()


DirectionRule = Callable[[str], Direction]  # the sender's address -> in or out


def build_message(
    uid: int,
    data: dict[bytes, Any],
    *,
    direction: Direction | DirectionRule,
    body_cap: int,
    uidvalidity: int,
    folder_id: int | None = None,
) -> NewMessage:
    """A storable message from META_ITEMS plus the fetched text part (never raises).

    ``direction`` may be a rule applied to the sender's address, so the caller does not
    copy the message afterwards to set it.
    """
    try:
        return _build(
            uid,
            data,
            direction=direction,
            body_cap=body_cap,
            uidvalidity=uidvalidity,
            folder_id=folder_id,
        )
    except Exception as error:  # one bad message must not block the folder
        return _fallback(uid, data, direction, uidvalidity, error, folder_id)


def _direction(direction: Direction | DirectionRule, from_addr: str) -> Direction:
    return direction if isinstance(direction, Direction) else direction(from_addr)


def _build(
    uid: int,
    data: dict[bytes, Any],
    *,
    direction: Direction | DirectionRule,
    body_cap: int,
    uidvalidity: int,
    folder_id: int | None,
) -> NewMessage:
    envelope = data.get(b"ENVELOPE")
    headers = _header_map(_b(data.get(HEADER_KEY)))
    parts = bs.walk(data.get(b"BODYSTRUCTURE"))
    plain, html = bs.text_parts(parts)
    chosen = plain or html
    warnings: list[str] = []
    body_text = body_html_text = ""
    truncated = False
    if chosen is not None:
        raw = _b(data.get(body_key(chosen.part)))
        truncated = chosen.size > body_cap or len(raw) >= body_cap
        decoded, warning = decode_transfer(raw, chosen.encoding, truncated=truncated)
        text, charset_warning = decode_bytes(decoded, chosen.charset)
        warnings += [w for w in (warning, charset_warning) if w]
        if chosen is plain:
            body_text = sanitize(text, multiline=True)
        else:
            body_html_text = html_to_text(text)[0]
    sender = _addresses(getattr(envelope, "from_", None))
    from_name, from_addr = sender[0] if sender else ("", "")
    own_ids = message_ids(_b(getattr(envelope, "message_id", None)))
    in_reply_to = message_ids(
        _b(getattr(envelope, "in_reply_to", None)) or headers.get("in-reply-to")
    )
    refs = tuple(message_ids(headers.get("references")))
    flags = tuple(
        f
        for f in (_b(f).decode("utf-8", "replace") for f in data.get(b"FLAGS", ()) or ())
        if f.lower() != "\\recent"
    )
    modseq = data.get(b"MODSEQ")
    language = (headers.get("content-language") or "").split(",")[0].strip()[:35] or None
    body_parts = (plain, html) if chosen is plain else (None, html)
    return NewMessage(
        direction=_direction(direction, from_addr),
        sent_at=_sent_at(envelope, data.get(b"INTERNALDATE")),
        subject=header_text(_b(getattr(envelope, "subject", None))),
        from_name=from_name,
        from_addr=from_addr,
        to_addrs=_format(_addresses(getattr(envelope, "to", None))),
        cc_addrs=_format(_addresses(getattr(envelope, "cc", None))),
        message_id=own_ids[0] if own_ids else None,
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        refs=refs,
        body_text=body_text,
        body_html_text=body_html_text,
        body_truncated=truncated,
        headers=sanitize(_b(data.get(HEADER_KEY)).decode("utf-8", "replace"), multiline=True)[
            :8000
        ],
        language=sanitize(language) if language else None,
        size=int(data.get(b"RFC822.SIZE") or 0),
        seen="\\Seen" in flags,
        flags=flags,
        decode_warning="; ".join(warnings)[:500] or None,
        bodystructure=bs.to_json(parts),
        folder_id=folder_id,
        uidvalidity=uidvalidity,
        uid=uid,
        modseq=int(modseq[0]) if isinstance(modseq, tuple) and modseq else None,
        attachments=tuple(
            NewAttachment(
                part=p.part,
                filename=p.filename,
                content_type=sanitize(p.content_type)[:100],
                size=p.size,
                encoding=p.encoding,
                content_id=sanitize(p.content_id)[:200] if p.content_id else None,
                inline=p.disposition == "inline",
            )
            for p in bs.attachments(parts, body_parts)
        ),
    )


def _fallback(
    uid: int,
    data: dict[bytes, Any],
    direction: Direction | DirectionRule,
    uidvalidity: int,
    error: Exception,
    folder_id: int | None,
) -> NewMessage:
    raw_bodies = [v for k, v in data.items() if isinstance(k, bytes) and k.startswith(b"BODY[")]
    text = b"\n".join(_b(v) for v in raw_bodies).decode("utf-8", "replace")
    flags = tuple(_b(f).decode("utf-8", "replace") for f in data.get(b"FLAGS", ()) or ())
    return NewMessage(
        direction=_direction(direction, ""),
        sent_at=now_iso(),
        subject=sanitize(
            _b(getattr(data.get(b"ENVELOPE"), "subject", b"")).decode("utf-8", "replace")
        )[:500],
        body_text=sanitize(text, multiline=True),
        size=int(data.get(b"RFC822.SIZE") or 0) if isinstance(data.get(b"RFC822.SIZE"), int) else 0,
        seen="\\Seen" in flags,
        flags=flags,
        decode_warning=f"could not read this message ({type(error).__name__}); shown raw",
        folder_id=folder_id,
        uidvalidity=uidvalidity,
        uid=uid,
    )
