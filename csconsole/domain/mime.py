"""Whole RFC 5322 messages parsed into what the console shows, never raising."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    """One attachment as listed to the agent; the bytes stay on the server."""

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
    body_text: str = ""
    body_truncated: bool = False
    body_from_html: bool = False
    links: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    headers: str = ""
    language: str | None = None
    warnings: tuple[str, ...] = ()


def parse_message(raw: bytes, *, body_cap: int) -> ParsedMessage:
    """Parse a whole message (first version: body as text only)."""
    text = raw.decode("utf-8", errors="replace")[:body_cap]
    return ParsedMessage(body_text=text, warnings=("not parsed yet",))
