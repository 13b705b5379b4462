"""Arabic and Persian made readable in terminals that do no bidi (most of them).

With ``display.bidi`` = "app" or "auto" each line is shaped (arabic-reshaper joins
letters into presentation forms) and reordered (python-bidi) before Textual sees
it; "terminal" and "off" leave text in logical order for terminals that reorder
themselves. Cropping and wrapping happen on the *logical* text, so a cut line keeps
its beginning, and every width is measured on the displayed string. ZWNJ stays.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import arabic_reshaper
from bidi import get_display
from rich.cells import cell_len

ELLIPSIS = "…"
APP_MODES = frozenset({"app", "auto"})


def has_rtl(text: str) -> bool:
    """True when any character is written right to left."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text if ord(char) > 0x58F)


def is_rtl_paragraph(text: str) -> bool:
    """The paragraph direction: its first strong character decides (UAX #9, P2)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@lru_cache(maxsize=4096)
def _shaped(text: str) -> str:
    return str(arabic_reshaper.reshape(text))


@lru_cache(maxsize=4096)
def _visual(shaped: str, rtl_base: bool) -> str:
    return str(get_display(shaped, base_dir="R" if rtl_base else "L"))


def display(text: str, mode: str) -> str:
    """One line as the terminal should receive it under ``mode``."""
    if mode not in APP_MODES or not has_rtl(text):
        return text
    return _visual(_shaped(text), is_rtl_paragraph(text))


def crop(text: str, width: int) -> str:
    """Cut logical text to ``width`` cells, marking the cut with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    kept: list[str] = []
    used = 0
    for char in text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept) + ELLIPSIS


def fit(text: str, width: int, mode: str) -> str:
    """Shape, crop and reorder one field, padded to exactly ``width`` cells."""
    if mode in APP_MODES and has_rtl(text):
        rtl = is_rtl_paragraph(text)
        visual = _visual(crop(_shaped(text), width), rtl)
        pad = " " * max(0, width - cell_len(visual))
        return pad + visual if rtl else visual + pad
    cropped = crop(text, width)
    return cropped + " " * max(0, width - cell_len(cropped))


def wrap(text: str, width: int, mode: str) -> list[tuple[str, bool]]:
    """Word-wrap a paragraph to ``width`` cells: (displayed line, right-aligned) pairs."""
    width = max(width, 8)
    rtl = mode in APP_MODES and is_rtl_paragraph(text)
    shaped = _shaped(text) if mode in APP_MODES and has_rtl(text) else text
    lines: list[str] = []
    current = ""
    for word in shaped.split(" "):
        candidate = f"{current} {word}" if current else word
        if cell_len(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while cell_len(word) > width:
            head = crop(word, width + 1)[:-1] or word[:1]
            lines.append(head)
            word = word[len(head) :]
        current = word
    lines.append(current)
    if mode in APP_MODES and has_rtl(text):
        return [(_visual(line, rtl), rtl) for line in lines]
    return [(line, False) for line in lines]
