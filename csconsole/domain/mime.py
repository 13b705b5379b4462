"""Whole RFC 5322 messages parsed into what the console shows, never raising.

Used for whole messages we hold as bytes (Sent copies, the demo, tests, a message
re-fetched in full). Everything shown is decoded and sanitised here; the raw bytes are
never needed for display. A hostile message costs bounded work: nesting deeper than
``MAX_DEPTH`` is not walked, at most ``MAX_PARTS`` parts are looked at, text is decoded
only up to ``body_cap`` characters, and attachment sizes are computed without holding the
decoded bytes. Broken MIME still shows: the raw text, with a warning.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from email import errors as email_errors
from email.message import Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from csconsole.domain.charsets import decode_bytes
from csconsole.domain.clock import to_iso
from csconsole.domain.headers import (
    decode_header_value,
    parse_address_list,
    parse_message_ids,
    parse_params,
    safe_filename,
)
from csconsole.domain.html_text import html_to_text
from csconsole.domain.mime_decode import decode_transfer, payload_bytes, trim_partial_utf8
from csconsole.domain.text import sanitize

MAX_RAW_BYTES = 40 * 1024 * 1024
MAX_DEPTH = 20
MAX_PARTS = 1000
MAX_HEADERS = 500
MAX_HEADER_BLOCK = 65_536
MAX_WARNINGS = 20
_HTML_BYTES = 4 * 1024 * 1024
_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")
_LANGUAGE = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8}){0,3}")
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "message/rfc822": ".eml",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/calendar": ".ics",
}


@dataclass(frozen=True)
class Attachment:
    """One attachment as listed to the agent: IMAP-style part id, safe name, type, size."""

    part_id: str
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class ParsedMessage:
    """The display fields of one message, all decoded and sanitised."""

    subject: str = ""
    from_name: str = ""
    from_addr: str = ""
    to: tuple[tuple[str, str], ...] = ()
    cc: tuple[tuple[str, str], ...] = ()
    date: str | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    thread_index: str | None = None
    body_text: str = ""
    body_truncated: bool = False
    body_from_html: bool = False
    links: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    headers: str = ""
    language: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass
class _Walk:
    """What the walk over the MIME tree has collected so far."""

    budget: int
    texts: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    truncated: bool = False
    from_html: bool = False
    language: str | None = None
    parts: int = 0

    def warn(self, text: str) -> None:
        text = sanitize(text)[:200]
        if text not in self.warnings and len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(text)


def _header_map(message: Message) -> dict[str, str]:
    """First value of each header, by lower-case name, as raw (undecoded) text."""
    found: dict[str, str] = {}
    for name, value in message.raw_items():
        found.setdefault(name.strip().lower(), value if isinstance(value, str) else str(value))
    return found


def _content_type(message: Message, walk: _Walk) -> tuple[str, dict[str, str]]:
    raw = _header_map(message).get("content-type")
    if raw is None:
        return message.get_default_type(), {}
    value, params = parse_params(raw)
    if not _CONTENT_TYPE.fullmatch(value):
        walk.warn("unreadable Content-Type; treated as text/plain")
        return "text/plain", params
    return value, params


def _language(raw: str | None) -> str | None:
    if not raw:
        return None
    first = decode_header_value(raw).split(",")[0].strip().lower()
    return first if _LANGUAGE.fullmatch(first) else None


def _note_defects(message: Message, walk: _Walk) -> None:
    for defect in message.defects[:5]:
        name = re.sub(r"(?<!^)(?=[A-Z])", " ", type(defect).__name__).lower()
        walk.warn(f"broken MIME: {name.removesuffix(' defect')}")


def _child_id(prefix: str, index: int) -> str:
    return f"{prefix}.{index}" if prefix else str(index)


def _visit(part: Message, part_id: str, depth: int, walk: _Walk) -> None:
    walk.parts += 1
    if walk.parts > MAX_PARTS:
        walk.warn(f"more than {MAX_PARTS} MIME parts; the rest is not shown")
        return
    if depth > MAX_DEPTH:
        walk.warn(f"MIME nesting deeper than {MAX_DEPTH} levels is not shown")
        return
    _note_defects(part, walk)
    content_type, params = _content_type(part, walk)
    payload = part.get_payload()
    if isinstance(payload, list):
        children = [child for child in payload if isinstance(child, Message)]
        if content_type == "message/rfc822" or (
            not content_type.startswith("multipart/") and len(children) == 1
        ):
            _visit_attached_message(part, children, part_id or "1", depth, walk)
        elif content_type == "multipart/alternative":
            _visit_alternative(children, part_id, depth, walk)
        else:
            for index, child in enumerate(children, start=1):
                _visit(child, _child_id(part_id, index), depth + 1, walk)
        return
    _visit_leaf(part, part_id or "1", content_type, params, walk)


def _preference(part: Message, walk: _Walk) -> int:
    content_type, _params = _content_type(part, walk)
    if content_type == "text/plain":
        return 0
    if content_type == "text/html":
        return 2
    return 1 if content_type.startswith("multipart/") else 3


def _visit_alternative(children: list[Message], prefix: str, depth: int, walk: _Walk) -> None:
    """Show one alternative: plain text preferred, then a nested multipart, then HTML."""
    if not children:
        return
    ranked = sorted(enumerate(children, start=1), key=lambda item: _preference(item[1], walk))
    index, best = ranked[0]
    _visit(best, _child_id(prefix, index), depth + 1, walk)


def _visit_attached_message(
    part: Message, children: list[Message], part_id: str, depth: int, walk: _Walk
) -> None:
    """A forwarded message: listed as an attachment, its text shown after a divider."""
    inner = children[0] if children else None
    subject = decode_header_value(_header_map(inner).get("subject", "")) if inner else ""
    size = len(inner.as_bytes()) if inner is not None and depth < MAX_DEPTH else 0
    name = safe_filename(subject, default="message") + ".eml"
    walk.attachments.append(Attachment(part_id, name, "message/rfc822", size))
    if inner is None:
        return
    headers = _header_map(inner)
    sender = parse_address_list(headers.get("from"))
    name, address = sender[0] if sender else ("", "")
    shown = f"{name} <{address}>" if name and address else name or address
    walk.texts.append(f"---------- Forwarded message ----------\nFrom: {shown}\nSubject: {subject}")
    prefix = part_id if inner.is_multipart() else f"{part_id}.1"
    _visit(inner, prefix, depth + 1, walk)


def _visit_leaf(
    part: Message, part_id: str, content_type: str, params: dict[str, str], walk: _Walk
) -> None:
    headers = _header_map(part)
    disposition, disposition_params = parse_params(headers.get("content-disposition"))
    filename = disposition_params.get("filename") or params.get("name") or ""
    encoding = headers.get("content-transfer-encoding")
    # get_payload() would re-decode 8-bit bytes under the declared charset; we decode ourselves
    raw = payload_bytes(getattr(part, "_payload", None))
    walk.language = walk.language or _language(headers.get("content-language"))
    broken_multipart = content_type.startswith("multipart/")
    if broken_multipart:
        walk.warn("broken MIME structure; shown as raw text")
    is_body = (
        content_type in {"text/plain", "text/html"} or broken_multipart
    ) and disposition != "attachment"
    if is_body and walk.budget > 0:
        _add_text(raw, encoding, content_type, params.get("charset"), walk)
        return
    if is_body and walk.budget <= 0:
        walk.truncated = True
        return
    decoded = decode_transfer(raw, encoding, 0)
    name = safe_filename(filename, default="") or (
        "attachment" + _EXTENSIONS.get(content_type, ".bin")
    )
    walk.attachments.append(Attachment(part_id, name, content_type, decoded.size))


def _add_text(
    raw: bytes, encoding: str | None, content_type: str, charset: str | None, walk: _Walk
) -> None:
    html = content_type == "text/html"
    limit = min(max(walk.budget * 8, 1_000_000), _HTML_BYTES) if html else walk.budget * 4
    decoded = decode_transfer(raw, encoding, limit)
    if decoded.warning:
        walk.warn(decoded.warning)
    data = trim_partial_utf8(decoded.data) if decoded.truncated else decoded.data
    text, warning = decode_bytes(data, charset)
    if warning:
        walk.warn(warning)
    links: list[str] = []
    if html:
        text, links = html_to_text(text)
        walk.from_html = walk.from_html or not walk.texts
    else:
        text = sanitize(text, multiline=True).strip("\n")
    if decoded.truncated or len(text) > walk.budget:
        walk.truncated = True
    text = text[: walk.budget]
    walk.budget -= len(text)
    if text:
        walk.texts.append(text)
    walk.links.extend(link for link in links if link not in walk.links)


def _date(raw: str | None, walk: _Walk) -> str | None:
    if not raw:
        return None
    try:
        return to_iso(parsedate_to_datetime(decode_header_value(raw)))
    except (TypeError, ValueError, IndexError, OverflowError):
        walk.warn("unreadable Date header")
        return None


def _header_block(message: Message) -> str:
    lines: list[str] = []
    size = 0
    for index, (name, value) in enumerate(message.raw_items()):
        if index >= MAX_HEADERS or size > MAX_HEADER_BLOCK:
            lines.append("…")
            break
        line = f"{sanitize(name)[:100]}: {decode_header_value(value)[:4000]}"
        lines.append(line)
        size += len(line)
    return "\n".join(lines)


def _first_id(raw: str | None) -> str | None:
    found = parse_message_ids(raw)
    return found[0] if found else None


def _build(message: Message, walk: _Walk) -> ParsedMessage:
    headers = _header_map(message)
    sender = parse_address_list(headers.get("from")) or parse_address_list(headers.get("sender"))
    from_name, from_addr = sender[0] if sender else ("", "")
    date = _date(headers.get("date"), walk)
    index = sanitize(headers.get("thread-index", "")).strip()[:400] or None
    language = _language(headers.get("content-language")) or walk.language
    return ParsedMessage(
        subject=decode_header_value(headers.get("subject", "")),
        from_name=from_name,
        from_addr=from_addr,
        to=tuple(parse_address_list(headers.get("to"))),
        cc=tuple(parse_address_list(headers.get("cc"))),
        date=date,
        message_id=_first_id(headers.get("message-id")),
        in_reply_to=_first_id(headers.get("in-reply-to")),
        references=tuple(parse_message_ids(headers.get("references"))),
        thread_index=index,
        body_text="\n\n".join(walk.texts),
        body_truncated=walk.truncated,
        body_from_html=walk.from_html,
        links=tuple(walk.links),
        attachments=tuple(walk.attachments),
        headers=_header_block(message),
        language=language,
        warnings=tuple(walk.warnings),
    )


def _raw_fallback(raw: bytes, body_cap: int, reason: str) -> ParsedMessage:
    """Headers if they parse, and the raw body as text, for a message we could not walk."""
    walk = _Walk(budget=max(body_cap, 0))
    walk.warn(reason)
    try:
        message = BytesParser().parsebytes(raw[:MAX_RAW_BYTES], headersonly=True)
        body = payload_bytes(getattr(message, "_payload", None))
    except Exception:
        message, body = Message(), raw
    _add_text(body, None, "text/plain", None, walk)
    try:
        return _build(message, walk)
    except Exception:
        return ParsedMessage(body_text="\n\n".join(walk.texts), body_truncated=walk.truncated,
                             warnings=tuple(walk.warnings))  # fmt: skip


def parse_message(raw: bytes, *, body_cap: int) -> ParsedMessage:
    """Parse a whole message into display fields; never raises.

    ``body_cap`` bounds the characters of body text kept (``body_truncated`` says when
    more existed). Broken or hostile MIME gives the raw text and a warning instead.
    """
    raw = bytes(raw)
    try:
        walk = _Walk(budget=max(body_cap, 0))
        if len(raw) > MAX_RAW_BYTES:
            walk.warn("message larger than 40 MB; only the start was read")
        message = email.message_from_bytes(raw[:MAX_RAW_BYTES])
        _visit(message, "", 0, walk)
        return _build(message, walk)
    except RecursionError:
        return _raw_fallback(raw, body_cap, "MIME nesting too deep to parse; shown as raw text")
    except (email_errors.MessageError, Exception) as error:
        return _raw_fallback(
            raw, body_cap, f"unreadable message ({type(error).__name__}); shown as raw text"
        )
