"""Reading BODYSTRUCTURE: which part holds the text, which parts are attachments.

We never download a whole message: the structure tells us the part number of the
text (text/plain preferred, else text/html) and the metadata of everything else, so
attachments stay on the server until the agent asks for them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from imapclient.response_types import BodyData

from csconsole.domain.headers import decode_header_value, safe_filename

MAX_DEPTH = 40  # deeper nesting than this is hostile; the rest is listed as one opaque part
MAX_PARTS = 500


@dataclass(frozen=True)
class Part:
    """One leaf of the MIME tree."""

    part: str  # IMAP part number: "1", "2.1", ...
    content_type: str  # "text/plain"
    charset: str | None
    encoding: str | None  # transfer encoding: base64, quoted-printable, 7bit...
    size: int  # encoded size in octets
    filename: str
    disposition: str | None  # attachment | inline | None
    content_id: str | None
    in_alternative: bool  # a sibling of another rendering of the same content


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _params(value: Any) -> dict[str, str]:
    """BODYSTRUCTURE parameter lists are flat (key, value, key, value...) tuples."""
    result: dict[str, str] = {}
    if isinstance(value, (tuple, list)):
        items = list(value)
        for index in range(0, len(items) - 1, 2):
            result[_text(items[index]).lower()] = _text(items[index + 1])
    return result


def _disposition(extension: Any) -> tuple[str | None, dict[str, str]]:
    if isinstance(extension, (tuple, list)) and extension:
        return _text(extension[0]).lower() or None, _params(
            extension[1] if len(extension) > 1 else None
        )
    return None, {}


def _is_multipart(node: Any) -> bool:
    return isinstance(node, (tuple, list)) and bool(node) and isinstance(node[0], list)


# The fetch walks each structure to pick the text part, and storing the message walks
# it again: remember the last few parsed structures (by identity, kept alive here).
_WALKED: dict[int, tuple[BodyData, list[Part]]] = {}
_WALKED_LIMIT = 2048


def walk(structure: Any) -> list[Part]:
    """The leaves of a BODYSTRUCTURE, in part-number order (never raises)."""
    cacheable = isinstance(structure, BodyData)  # parsed from the wire, never changed
    if cacheable:
        hit = _WALKED.get(id(structure))
        if hit is not None and hit[0] is structure:
            return list(hit[1])
    parts: list[Part] = []
    try:
        _walk(structure, "", parts, 0, False)
    except (IndexError, TypeError, ValueError):
        pass  # a malformed structure yields what we could read
    if cacheable:
        if len(_WALKED) >= _WALKED_LIMIT:
            _WALKED.clear()
        _WALKED[id(structure)] = (structure, list(parts))
    return parts


def _walk(node: Any, prefix: str, out: list[Part], depth: int, in_alt: bool) -> None:
    if len(out) >= MAX_PARTS:
        return
    if _is_multipart(node):
        subtype = _text(node[1]).lower() if len(node) > 1 else "mixed"
        if depth >= MAX_DEPTH:
            out.append(
                Part(prefix or "1", f"multipart/{subtype}", None, None, 0, "", None, None, False)
            )
            return
        for index, child in enumerate(node[0], start=1):
            number = f"{prefix}.{index}" if prefix else str(index)
            _walk(child, number, out, depth + 1, subtype == "alternative")
        return
    number = prefix or "1"
    main = _text(node[0]).lower()
    sub = _text(node[1]).lower()
    params = _params(node[2])
    size = node[6] if len(node) > 6 and isinstance(node[6], int) else 0
    # Extension data sits after the type-specific fields: text has 'lines',
    # message/rfc822 has envelope, body and lines.
    if main == "text":
        ext_start = 8
    elif main == "message" and sub in ("rfc822", "global"):
        ext_start = 10
    else:
        ext_start = 7
    disposition, disp_params = _disposition(
        node[ext_start + 1] if len(node) > ext_start + 1 else None
    )
    raw_name = disp_params.get("filename") or params.get("name") or ""
    out.append(
        Part(
            part=number,
            content_type=f"{main}/{sub}",
            charset=params.get("charset") or None,
            encoding=_text(node[5]).lower() or None,
            size=size,
            filename=safe_filename(decode_header_value(raw_name), default="") if raw_name else "",
            disposition=disposition,
            content_id=_text(node[3]).strip("<>") or None,
            in_alternative=in_alt,
        )
    )


def text_parts(parts: list[Part]) -> tuple[Part | None, Part | None]:
    """(text/plain part, text/html part) that make up the body, either may be None.

    The body is the first text part that is not an attachment; inside
    multipart/alternative the plain and HTML versions are siblings.
    """
    plain: Part | None = None
    html: Part | None = None
    for part in parts:
        if part.disposition == "attachment" or (part.filename and part.disposition != "inline"):
            continue
        if part.content_type == "text/plain" and plain is None:
            plain = part
        elif part.content_type == "text/html" and html is None:
            html = part
        if plain and html:
            break
    return plain, html


def attachments(parts: list[Part], body: tuple[Part | None, Part | None]) -> list[Part]:
    """Every leaf that is not a chosen body part."""
    chosen = {p.part for p in body if p is not None}
    return [
        p for p in parts if p.part not in chosen and not p.content_type.startswith("multipart/")
    ]


def to_json(parts: list[Part]) -> str:
    """The structure as stored in ``messages.bodystructure`` (for fetching parts later)."""
    # vars() of these flat frozen dataclasses is what asdict() gives, without its deep copy.
    return _JSON_UNICODE.encode([vars(p) for p in parts])


# json.dumps(..., ensure_ascii=False) builds a new encoder on every call.
_JSON_UNICODE = json.JSONEncoder(ensure_ascii=False)


def from_json(text: str | None) -> list[Part]:
    """Inverse of ``to_json``; an unreadable value yields no parts."""
    if not text:
        return []
    try:
        return [Part(**item) for item in json.loads(text)]
    except (TypeError, ValueError):
        return []
