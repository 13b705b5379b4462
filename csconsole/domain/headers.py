"""Header values from hostile mail turned into plain, safe text.

Python's ``email`` package raises or leaves encoded words undecoded on the things real
mail contains: unknown charsets (``iso-8859-6-i``), UTF-8 split across two encoded words,
broken base64, raw 8-bit windows-1256 bytes. Everything here goes through
``charsets.decode_bytes`` instead, and never raises.
"""

from __future__ import annotations

import binascii
import re
import unicodedata
from email.utils import getaddresses

from csconsole.domain.charsets import decode_bytes
from csconsole.domain.text import sanitize

MAX_HEADER_CHARS = 16_384  # one decoded header value; more is an attack, not a subject
MAX_ADDRESSES = 500
MAX_MESSAGE_IDS = 500
MAX_FILENAME_CHARS = 150

_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,80})\?([bBqQ])\?([^?]*)\?=")
_WHITESPACE_ONLY = re.compile(r"[ \t\r\n]*")
_Q_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")
_B64_JUNK = re.compile(r"[^A-Za-z0-9+/]")


def _to_text(raw: str | bytes) -> str:
    """Raw header bytes (8-bit ones are often undeclared windows-1256) as text."""
    if isinstance(raw, bytes):
        if raw.isascii():  # what decode_bytes gives for ASCII, without the charset lookup
            return raw.decode("ascii")
        return decode_bytes(raw, None)[0]
    if raw.isascii():
        return raw
    if any("\udc80" <= char <= "\udcff" for char in raw):
        # email's compat32 parser keeps 8-bit header bytes as surrogate escapes
        return decode_bytes(raw.encode("utf-8", "surrogateescape"), None)[0]
    return raw


def _unfold(text: str) -> str:
    if "\n" not in text and "\r" not in text:
        return text  # most header values are one line
    return re.sub(r"\r?\n(?=[ \t])", "", text).replace("\r", "").replace("\n", " ")


def decode_b(payload: str) -> bytes:
    """Base64 as found in the wild: junk characters dropped, padding repaired."""
    cleaned = _B64_JUNK.sub("", payload.split("=", 1)[0] if "=" in payload else payload)
    cleaned = cleaned[: len(cleaned) - len(cleaned) % 4 if len(cleaned) % 4 == 1 else None]
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return binascii.a2b_base64(cleaned)
    except (binascii.Error, ValueError):
        return b""


def decode_q(payload: str) -> bytes:
    """RFC 2047 Q encoding: underscores are spaces, =XX hex bytes, anything else literal."""
    data = payload.replace("_", " ").encode("utf-8", "surrogateescape")
    return _Q_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), data)


def decode_encoded_words(text: str) -> str:
    """Decode RFC 2047 encoded words in already-unfolded text.

    Whitespace between adjacent encoded words is dropped (RFC 2047 §6.2), and adjacent
    words in the same charset are joined as bytes before decoding, because many mailers
    split a multi-byte character across two words.
    """
    pieces: list[str] = []
    pending: bytes = b""
    pending_charset: str | None = None
    position = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending_charset is not None:
            pieces.append(decode_bytes(pending, pending_charset)[0])
        pending, pending_charset = b"", None

    for match in _ENCODED_WORD.finditer(text):
        between = text[position : match.start()]
        if between and not (pending_charset is not None and _WHITESPACE_ONLY.fullmatch(between)):
            flush()
            pieces.append(between)
        charset, encoding, payload = match.group(1), match.group(2), match.group(3)
        data = decode_b(payload) if encoding in "bB" else decode_q(payload)
        charset_key = charset.split("*", 1)[0].lower()
        if pending_charset is not None and pending_charset.lower() != charset_key:
            flush()
        pending += data
        pending_charset = charset_key
        position = match.end()
    flush()
    pieces.append(text[position:])
    return "".join(pieces)


def decode_header_value(raw: str | bytes) -> str:
    """A header value as one line of display-safe text (encoded words decoded)."""
    try:
        text = _unfold(_to_text(raw)[: MAX_HEADER_CHARS * 4])
        if "=?" in text:
            text = decode_encoded_words(text)
        return sanitize(text)[:MAX_HEADER_CHARS].strip()
    except Exception:  # never lose a message over one header
        return sanitize(str(raw)[:MAX_HEADER_CHARS]).strip()


def parse_address_list(raw: str | bytes | None) -> list[tuple[str, str]]:
    """(display name, address) pairs; names decoded, addresses kept as written."""
    if not raw:
        return []
    try:
        text = _unfold(_to_text(raw)[: MAX_HEADER_CHARS * 4])
        pairs = getaddresses([text])
    except Exception:
        return []
    result: list[tuple[str, str]] = []
    for name, address in pairs[:MAX_ADDRESSES]:
        shown = decode_header_value(name) if name else ""
        address = sanitize(address).strip().strip("<>").strip()
        if "=?" in address and "@" not in address:
            # an encoded word where an address belongs: a name without an address
            shown, address = decode_header_value(address), ""
        if shown or address:
            result.append((shown, address[:320]))
    return result


_ANGLE_ID = re.compile(r"<([^<>\s]{1,998})>")


def parse_message_ids(raw: str | bytes | None) -> list[str]:
    """Message-IDs from References/In-Reply-To/Message-ID, without angle brackets.

    Tolerates comments, missing brackets and garbage around them; duplicates dropped.
    """
    if not raw:
        return []
    try:
        text = sanitize(_unfold(_to_text(raw)[: MAX_HEADER_CHARS * 64]))
    except Exception:
        return []
    found = _ANGLE_ID.findall(text)
    if not found:
        found = [token.strip("<>,;\"'()") for token in text.split() if "@" in token]
    result: list[str] = []
    seen: set[str] = set()
    for message_id in found:
        if message_id and message_id not in seen:
            seen.add(message_id)
            result.append(message_id)
    return result[-MAX_MESSAGE_IDS:]


_PARAM = re.compile(
    r"""\s*([^\s=;"]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)""",
    re.VERBOSE | re.DOTALL,
)
_PERCENT = re.compile(rb"%([0-9A-Fa-f]{2})")


def _unquote(value: str) -> str:
    value = value.strip()
    if value.startswith('"'):
        value = value[1:-1] if value.endswith('"') and len(value) > 1 else value[1:]
        value = re.sub(r"\\(.)", r"\1", value)
    return value


def parse_params(raw: str | bytes | None) -> tuple[str, dict[str, str]]:
    """Split a Content-Type/Content-Disposition value into (value, decoded parameters).

    Handles RFC 2231 (``filename*=utf-8''%D9%81.pdf``, continuations ``name*0*=``),
    RFC 2047 words inside quotes (which Outlook and Gmail send), and bare 8-bit bytes.
    Parameter names are lower-cased.
    """
    if not raw:
        return "", {}
    text = _unfold(_to_text(raw)[: MAX_HEADER_CHARS * 4])
    head, _, rest = text.partition(";")
    plain: dict[str, str] = {}
    sections: dict[str, dict[int, tuple[str, bool]]] = {}
    for match in _PARAM.finditer(rest):
        key = match.group(1).lower()
        value = _unquote(match.group(2))
        section = re.fullmatch(r"([^*]+)\*(?:(\d{1,3})\*?|)", key)
        if section is None:
            plain.setdefault(key, value)
            continue
        name, number = section.group(1), section.group(2)
        encoded = key.endswith("*")
        sections.setdefault(name, {}).setdefault(int(number or 0), (value, encoded))
    params = {key: decode_header_value(value) for key, value in plain.items()}
    for name, parts in sections.items():
        params[name] = _join_rfc2231(parts)
    return head.strip().lower(), params


def _join_rfc2231(parts: dict[int, tuple[str, bool]]) -> str:
    charset: str | None = None
    data = b""
    for index in sorted(parts):
        value, encoded = parts[index]
        if index == sorted(parts)[0] and encoded and value.count("'") >= 2:
            charset, _language, value = value.split("'", 2)
        if encoded:
            raw = value.encode("utf-8", "surrogateescape")
            data += _PERCENT.sub(lambda match: bytes([int(match.group(1), 16)]), raw)
        else:
            data += value.encode("utf-8", "surrogateescape")
    return sanitize(decode_bytes(data, charset or None)[0])[:MAX_HEADER_CHARS]


_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)
_UNSAFE_FILENAME_CHARS = re.compile(r'[<>:"|?*\\/\x00-\x1f\x7f]')


def safe_filename(name: str | None, *, default: str = "attachment") -> str:
    """A name that is safe to show and to save under: never a path, never disguised.

    Drops controls and bidi overrides (so ``invoice\\u202efdp.exe`` shows its real
    extension), directory parts, leading dots, characters Windows refuses and reserved
    device names; caps the length but keeps the extension; never returns "".
    """
    text = unicodedata.normalize("NFC", sanitize(name or ""))
    for mark in "\u200e\u200f\u061c":  # direction marks can still reorder a name
        text = text.replace(mark, "")
    text = re.split(r"[/\\]", text)[-1]
    text = _UNSAFE_FILENAME_CHARS.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = text.lstrip(".-_ ") or ""
    stem, dot, extension = text.rpartition(".")
    if not dot:
        stem, extension = text, ""
    if stem.lower() in _RESERVED_NAMES or text.lower() in _RESERVED_NAMES:
        text = "_" + text
    if len(text) > MAX_FILENAME_CHARS:
        extension = extension[:16]
        keep = MAX_FILENAME_CHARS - len(extension) - 1
        text = f"{stem[:keep].rstrip(' .')}.{extension}" if extension else text[:MAX_FILENAME_CHARS]
    return text or default
