"""IMAP sequence sets (``1:5,7,9:12``): building compact ones and reading the server's.

imapclient 4.x sends UID lists element by element (10k UIDs make a 60 KB command)
and rejects range strings in ``fetch()``; the raw commands here take these strings.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_SET_ITEMS = 1_000_000  # a hostile "1:4294967295" must not become a giant list


def compact(uids: Iterable[int]) -> str:
    """The shortest range form of a set of UIDs: ``[1,2,3,5]`` -> ``"1:3,5"``."""
    ordered = sorted(set(uids))
    if not ordered:
        raise ValueError("an IMAP sequence set cannot be empty")
    pieces: list[str] = []
    start = previous = ordered[0]
    for uid in ordered[1:]:
        if uid == previous + 1:
            previous = uid
            continue
        pieces.append(f"{start}:{previous}" if previous != start else str(start))
        start = previous = uid
    pieces.append(f"{start}:{previous}" if previous != start else str(start))
    return ",".join(pieces)


def parse(text: str | bytes, *, largest: int | None = None) -> list[int]:
    """The UIDs in a sequence set, ascending; ``*`` stands for ``largest``.

    Raises ValueError on malformed input or a set larger than ``MAX_SET_ITEMS``.
    """
    if isinstance(text, bytes):
        text = text.decode("ascii")
    result: set[int] = set()
    for piece in text.strip().split(","):
        if not piece:
            continue
        low_text, _, high_text = piece.partition(":")
        low = _number(low_text, largest)
        high = _number(high_text, largest) if high_text else low
        if low > high:
            low, high = high, low
        if high - low + len(result) > MAX_SET_ITEMS:
            raise ValueError("sequence set too large")
        result.update(range(low, high + 1))
    return sorted(result)


def _number(text: str, largest: int | None) -> int:
    if text == "*":
        if largest is None:
            raise ValueError("'*' in a sequence set without a known largest value")
        return largest
    value = int(text)
    if value <= 0:
        raise ValueError("sequence numbers start at 1")
    return value
