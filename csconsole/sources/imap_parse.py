"""FETCH responses parsed by one regular expression and one loop, not a byte-by-byte lexer.

imapclient's lexer walks every byte through Python generators, so parsing the FETCH
answers of a first sync cost more than everything else the sync does. This module
gives exactly what ``imapclient.response_parser.parse_fetch_response`` gives (the same
tokens, atoms, tuples, ``Envelope``/``BodyData`` and datetimes; ``ProtocolError`` for
what it rejects), so callers cannot tell the two apart except by speed;
``tests/sync/test_fetch_parser.py`` compares them on real and generated answers.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from datetime import datetime
from typing import Any

from imapclient.datetime_util import datetime_to_native, parse_to_datetime
from imapclient.exceptions import ProtocolError
from imapclient.fixed_offset import FixedOffset
from imapclient.response_types import Address, BodyData, Envelope

# One token after optional whitespace (imapclient's set: space, tab, CR, LF):
#  1. a word: bytes other than specials and controls, with [...] sections taken whole
#     (``BODY[HEADER.FIELDS (A B)]<0>``); never directly followed by a quote;
#  2. a quoted string with backslash escapes;
#  3. a single punctuation byte: parentheses, '%' and the other control bytes;
#  4. anything else: a byte no token can start with here (an unclosed quote or section,
#     a quote glued to a word), which imapclient refuses too.
_TOKEN = re.compile(
    rb"""[ \t\r\n]*+(?:
        ((?:[^ ()%"\[\x00-\x1f]|\[[^\]]*\])++)(?!")
      | ("(?:[^"\\]|\\.)*+")
      | ([()%\x00-\x08\x0b\x0c\x0e-\x1f])
      | (.)
    )""",
    re.VERBOSE | re.DOTALL,
)
_ESCAPED = re.compile(rb'\\([\\"])')
_OPEN_BRACE = ord("{")
_ZERO = ord("0")

_FetchData = dict[bytes, Any]


def parse_atoms(chunks: list[Any]) -> list[Any]:
    """The top-level atoms of imaplib's untagged response records (lines and
    ``(line, literal)`` pairs), with parenthesised lists as nested tuples."""
    stack: list[list[Any]] = [[]]
    out = stack[0]
    findall = _TOKEN.findall
    for chunk in chunks:
        if isinstance(chunk, tuple):
            text, literal = chunk[0], chunk[1]
            if not text.endswith(b"}"):
                raise ProtocolError("a literal record without a {size} marker")
        else:
            text, literal = chunk, None
        if text is None:
            continue
        # findall runs the whole line in C; one tuple per token, in order.
        for word, quoted, mark, bad in findall(text):
            if word:
                if word[0] == _OPEN_BRACE:
                    out.append(_literal(word, literal))
                elif word == b"NIL":
                    out.append(None)
                elif word.isdigit() and (word[0] != _ZERO or len(word) == 1):
                    out.append(int(word))  # "0123" stays bytes, as imapclient has it
                else:
                    out.append(word)
            elif quoted:
                body = quoted[1:-1]
                out.append(_ESCAPED.sub(rb"\1", body) if b"\\" in body else body)
            elif mark == b"(":
                out = []
                stack.append(out)
            elif mark == b")" and len(stack) > 1:
                done = tuple(stack.pop())
                out = stack[-1]
                out.append(done)
            elif mark:
                out.append(mark)  # a stray ')' or '%' is an atom of its own, as in imapclient
            else:
                raise ProtocolError(f"unreadable response at {bad!r} in {text[:80]!r}")
    if len(stack) > 1:
        raise ProtocolError("Tuple incomplete at the end of the response")
    return stack[0]


def _literal(marker: bytes, literal: bytes | None) -> bytes:
    try:
        size = int(marker[1:-1])
    except ValueError as error:
        raise ProtocolError(f"bad literal marker {marker!r}") from error
    if literal is None:
        raise ProtocolError(f"No literal corresponds to {marker!r}")
    if len(literal) != size:
        raise ProtocolError(f"Expecting literal of size {size}, got {len(literal)}")
    return literal


def parse_fetch(
    chunks: list[Any], normalise_times: bool = True, uid_is_key: bool = True
) -> defaultdict[int, _FetchData]:
    """Drop-in for imapclient's ``parse_fetch_response`` (same result, same errors)."""
    # A batch's answers become a few hundred thousand small tuples and not one reference
    # cycle: the cyclic collector, run meanwhile, would only walk them again and again
    # (about a sixth of the parse). It runs as usual once the parse is done.
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    try:
        return _parse_fetch(chunks, normalise_times, uid_is_key)
    finally:
        if collecting:
            gc.enable()


def _parse_fetch(
    chunks: list[Any], normalise_times: bool, uid_is_key: bool
) -> defaultdict[int, _FetchData]:
    parsed: defaultdict[int, _FetchData] = defaultdict(dict)
    if chunks == [None]:
        return parsed
    atoms = parse_atoms(chunks)
    for index in range(0, len(atoms), 2):
        seq = _int_or_error(atoms[index], "invalid message ID")
        if index + 1 >= len(atoms):
            raise ProtocolError("unexpected EOF")
        items = atoms[index + 1]
        if not isinstance(items, tuple):
            raise ProtocolError(f"bad response type: {items!r}")
        if len(items) % 2:
            raise ProtocolError(f"uneven number of response items: {items!r}")
        key = seq
        data: _FetchData = {b"SEQ": seq}
        for position in range(0, len(items), 2):
            word = items[position].upper()
            value = items[position + 1]
            if word == b"UID":
                uid = _int_or_error(value, "invalid UID")
                if uid_is_key:
                    key = uid
                else:
                    data[word] = uid
            elif word == b"INTERNALDATE":
                data[word] = _convert_internaldate(value, normalise_times)
            elif word == b"ENVELOPE":
                data[word] = _convert_envelope(value, normalise_times)
            elif word in (b"BODY", b"BODYSTRUCTURE"):
                data[word] = BodyData.create(value)
            else:
                data[word] = value
        parsed[key].update(data)
    return parsed


def _int_or_error(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ProtocolError(f"{what}: {value!r}") from error


# The two date forms servers send (RFC 5322 in ENVELOPE, RFC 3501 INTERNALDATE) in
# their strict shape; anything else goes through imapclient's email.utils parsing.
_MONTHS = {
    m.encode(): n
    for n, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)
}
_MONTH = rb"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_CLOCK = rb"([0-2][0-9]):([0-5][0-9]):([0-5][0-9]) ([+-])([0-9]{2})([0-9]{2})"
_RFC5322_DATE = re.compile(
    rb"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{1,2}) "
    + _MONTH
    + rb" ([1-9][0-9]{3}) "
    + _CLOCK
)
_INTERNALDATE = re.compile(rb" ?([0-9]{1,2})-" + _MONTH + rb"-([1-9][0-9]{3}) " + _CLOCK)
_ZONES: dict[int, FixedOffset] = {}


def _datetime(value: Any, normalise: bool, form: re.Pattern[bytes]) -> datetime:
    """``parse_to_datetime``'s result, without its email.utils round trip for the
    strict forms (raises ValueError as it does)."""
    match = form.fullmatch(value) if isinstance(value, bytes) else None
    if match is not None:
        day, month, year, hour, minute, second, sign, zone_h, zone_m = match.groups()
        minutes = int(zone_h) * 60 + int(zone_m)
        if minutes or sign == b"+":  # "-0000" means "zone unknown": a naive time
            offset = float(-minutes if sign == b"-" else minutes)  # as imapclient builds it
            zone = _ZONES.get(int(offset))
            if zone is None:
                zone = _ZONES.setdefault(int(offset), FixedOffset(offset))
            try:
                moment = datetime(
                    int(year),
                    _MONTHS[month],
                    int(day),
                    int(hour),
                    int(minute),
                    int(second),
                    tzinfo=zone,
                )
            except ValueError:
                pass  # imapclient's own parsing decides (and refuses it the same way)
            else:
                return datetime_to_native(moment) if normalise else moment
    parsed: datetime = parse_to_datetime(value, normalise=normalise)
    return parsed


def _convert_internaldate(value: Any, normalise: bool) -> datetime | None:
    """imapclient's ``_convert_INTERNALDATE``."""
    if value is None:
        return None
    try:
        return _datetime(value, normalise, _INTERNALDATE)
    except ValueError:
        return None


def _convert_envelope(value: Any, normalise: bool) -> Envelope:
    """imapclient's ``_convert_ENVELOPE`` (same result, same errors)."""
    moment = None
    if value[0]:
        try:
            moment = _datetime(value[0], normalise, _RFC5322_DATE)
        except ValueError:
            pass
    subject = value[1]
    in_reply_to = value[8]
    message_id = value[9]
    addresses: list[tuple[Address, ...] | None] = []
    for address_list in value[2:8]:
        if address_list:
            addresses.append(tuple(Address(*item) for item in address_list if item))
        else:
            addresses.append(None)
    return Envelope(
        date=moment,
        subject=subject,
        from_=addresses[0],
        sender=addresses[1],
        reply_to=addresses[2],
        to=addresses[3],
        cc=addresses[4],
        bcc=addresses[5],
        in_reply_to=in_reply_to,
        message_id=message_id,
    )
