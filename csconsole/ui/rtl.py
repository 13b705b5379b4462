"""Arabic and Persian made readable in terminals that do no bidi (most of them).

With ``display.bidi`` = "app" each line is shaped (arabic-reshaper joins letters into
presentation forms) and reordered (python-bidi) before Textual sees it; "terminal"
and "off" leave text in logical order for terminals that reorder themselves.
Cropping and wrapping happen on the *logical* text, so a cut line keeps its
beginning, and every width is measured on the displayed string. ZWNJ stays.

"auto" is settled once at start by ``resolve_bidi`` (terminal-wg BiDi spec):
terminals that do implicit bidi but honour BDSM (VTE ≥ 0.57.3, mintty) get "app"
plus explicit mode, ``CSI 8 l`` at start and ``CSI 8 h`` (implicit, their default)
at exit, or they would reorder our visual rows a second time; terminals whose
implicit bidi cannot be switched off (Konsole, mlterm, Terminal.app) get
"terminal"; every other terminal does no bidi at all and gets "app".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import arabic_reshaper
from bidi import get_display
from rich.cells import cell_len

ELLIPSIS = "…"
APP_MODES = frozenset({"app", "auto"})
EXPLICIT_MODE = "\x1b[8l"  # BDSM reset: the app sends visual order
IMPLICIT_MODE = "\x1b[8h"  # BDSM set: the terminal reorders (its default)
VTE_WITH_BDSM = 5703  # VTE_VERSION of 0.57.3, the first VTE that shuffles and honours BDSM


BidiMode = Literal["app", "terminal", "off"]


@dataclass(frozen=True)
class BidiPlan:
    """What ``display.bidi`` means on this terminal, and what to send around the run."""

    mode: BidiMode
    start: str = ""
    end: str = ""


def honours_bdsm(environ: Mapping[str, str]) -> bool:
    """A terminal that reorders by itself but lets an app switch that off (CSI 8 l)."""
    vte = environ.get("VTE_VERSION", "")
    if vte.isdigit() and int(vte) >= VTE_WITH_BDSM:
        return True
    return environ.get("TERM_PROGRAM", "") == "mintty"


def implicit_only(environ: Mapping[str, str]) -> bool:
    """A terminal that always reorders and offers no way to stop it."""
    return (
        "MLTERM" in environ
        or "KONSOLE_VERSION" in environ
        or environ.get("TERM_PROGRAM", "") == "Apple_Terminal"
    )


def resolve_bidi(setting: str, environ: Mapping[str, str]) -> BidiPlan:
    """Settle ``display.bidi`` for the terminal described by ``environ``.

    Inside tmux or screen the outer terminal is unknown (tmux does no bidi), so
    "auto" reorders in the app there.
    """
    multiplexed = "TMUX" in environ or environ.get("TERM", "").startswith("screen")
    if setting == "auto":
        if not multiplexed and implicit_only(environ) and not honours_bdsm(environ):
            return BidiPlan("terminal")
        setting = "app"
    if setting in ("terminal", "off"):
        return BidiPlan("terminal" if setting == "terminal" else "off")
    if not multiplexed and honours_bdsm(environ):
        return BidiPlan("app", EXPLICIT_MODE, IMPLICIT_MODE)
    return BidiPlan("app")


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
