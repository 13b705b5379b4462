"""Make each frame the console writes cost fewer bytes, without changing what it shows.

Textual writes every segment as ``SGR text RESET`` and every blank cell as a space.
Over SSH on a 64 kbit/s link a conversation screen cost three seconds, more than
half of it spaces and style codes that set again what was already set. Two rewrites:

* styles: each change of colour or attribute is written as the shortest SGR from
  the terminal's current state, styles no text uses are dropped, and the CR LF before
  an absolute cursor move is left out; each write still ends with attributes reset;
* blank runs: twelve or more spaces become ECH (erase characters) plus CUF (cursor
  forward), but only where terminfo says the terminal erases with the current
  background (``bce``) and the style has no attribute that shows on a blank cell
  (reverse, underline, strike-through, overline, blink).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

_TOKEN = re.compile(
    r"""
    \x1b\[([0-9;:]*)m                           # 1: SGR parameters
    | (\x1b(?:
        \[[0-9;:?<=>]*[\x20-\x2f]*[\x40-\x7e]    # any other CSI sequence
        | \][^\x07\x1b]*(?:\x07|\x1b\\)          # OSC, ended by BEL or ST
        | [\x40-\x5a\x5c-\x5f]                     # a two-byte escape
    ))                                          # 2: passed through untouched
    | ([^\x1b]+)                                # 3: text and C0 controls
    | (\x1b)                                    # 4: an escape that starts nothing known
    """,
    re.VERBOSE,
)
_BLANKS = re.compile(r" {12,}")
# Textual ends each line with CR LF and then moves to the next line absolutely anyway.
_NEWLINE_BEFORE_MOVE = re.compile(r"\r\n(?=\x1b\[\d+;\d+H)")
# Attributes that draw something on a blank cell, so a blank run must stay spaces.
_VISIBLE_ON_BLANK = frozenset({"4", "5", "6", "7", "9", "21", "53"})
_FLAGS = frozenset({"1", "2", "3", "4", "5", "6", "7", "8", "9", "21", "53"})
_FLAG_OFF = {
    "22": {"1", "2"}, "23": {"3"}, "24": {"4", "21"}, "25": {"5", "6"},
    "27": {"7"}, "28": {"8"}, "29": {"9"}, "55": {"53"},
}  # fmt: skip


@dataclass(frozen=True)
class Pen:
    """The SGR state that matters: colours and the set of attributes."""

    fg: str = ""
    bg: str = ""
    flags: frozenset[str] = frozenset()

    def shows_on_blank(self) -> bool:
        return bool(self.flags & _VISIBLE_ON_BLANK)

    def params(self) -> list[str]:
        return [*sorted(self.flags), *(p for p in (self.fg, self.bg) if p)]


RESET = Pen()


def apply_sgr(pen: Pen, parameters: str) -> Pen | None:
    """The pen after one SGR sequence, or None for parameters this model does not know."""
    parts = parameters.split(";") if parameters else ["0"]
    fg, bg, flags = pen.fg, pen.bg, set(pen.flags)
    index = 0
    while index < len(parts):
        part = parts[index]
        if part in ("", "0"):
            fg, bg, flags = "", "", set()
        elif part in ("38", "48"):
            width = 3 if parts[index + 1 : index + 2] == ["5"] else 5
            colour = ";".join(parts[index : index + width])
            if len(colour.split(";")) != width:
                return None
            fg, bg = (colour, bg) if part == "38" else (fg, colour)
            index += width
            continue
        elif part.isdigit() and (30 <= int(part) <= 37 or 90 <= int(part) <= 97):
            fg = part
        elif part.isdigit() and (40 <= int(part) <= 47 or 100 <= int(part) <= 107):
            bg = part
        elif part == "39":
            fg = ""
        elif part == "49":
            bg = ""
        elif part in _FLAGS:
            flags.add(part)
        elif part in _FLAG_OFF:
            flags -= _FLAG_OFF[part]
        else:
            return None
        index += 1
    return Pen(fg, bg, frozenset(flags))


def transition(written: Pen, wanted: Pen) -> str:
    """The shortest SGR sequence that takes the terminal from ``written`` to ``wanted``."""
    if wanted == written:
        return ""
    if wanted == RESET:
        return "\x1b[0m"
    from_reset = "\x1b[" + ";".join(["0", *wanted.params()]) + "m"
    if not written.flags <= wanted.flags:
        return from_reset
    changes = sorted(wanted.flags - written.flags)
    if wanted.fg != written.fg:
        changes.append(wanted.fg or "39")
    if wanted.bg != written.bg:
        changes.append(wanted.bg or "49")
    step = "\x1b[" + ";".join(changes) + "m"
    return step if len(step) <= len(from_reset) else from_reset


class FrameCompactor:
    """Rewrites terminal output chunk by chunk; one instance per terminal.

    Each chunk is assumed to start with the terminal's attributes reset, and leaves
    them reset, which is how Textual writes.
    """

    def __init__(self, *, erase_blanks: bool) -> None:
        self.erase_blanks = erase_blanks

    def compact(self, data: str) -> str:
        pieces: list[str] = []
        wanted = written = RESET
        for match in _TOKEN.finditer(_NEWLINE_BEFORE_MOVE.sub("", data)):
            sgr, control, text, lone_escape = match.groups()
            if sgr is not None:
                after = apply_sgr(wanted, sgr)
                if after is None:  # something this model does not know: leave it all alone
                    return data
                wanted = after
            elif control is not None or lone_escape is not None:
                pieces.append(control or lone_escape)
            else:
                if "\n" in text and written != RESET:  # a scroll would paint with this pen
                    pieces.append("\x1b[0m")
                    written = RESET
                pieces.append(transition(written, wanted))
                written = wanted
                if self.erase_blanks and not written.shows_on_blank():
                    text = _BLANKS.sub(_erase_and_skip, text)
                pieces.append(text)
        pieces.append(transition(written, RESET))
        return "".join(pieces)


def _erase_and_skip(blanks: re.Match[str]) -> str:
    count = len(blanks.group())
    return f"\x1b[{count}X\x1b[{count}C"


def install(app: App[Any]) -> None:
    """Compact everything the app writes to its terminal (not in headless tests)."""
    driver = app._driver
    if driver is None or app.is_headless or not hasattr(driver, "write"):
        return
    compactor = FrameCompactor(erase_blanks=terminal_erases_with_background())
    write = driver.write

    def compacted_write(data: str) -> None:
        write(compactor.compact(data))

    setattr(driver, "write", compacted_write)  # noqa: B010 - replacing a bound method


def terminal_erases_with_background() -> bool:
    """Whether the terminal's terminfo entry has ``bce`` (background colour erase)."""
    try:
        import curses

        # Textual swaps sys.stdout for a capture object without a file descriptor.
        stream = sys.__stdout__ or sys.__stderr__
        curses.setupterm(None, stream.fileno() if stream else -1)
        return bool(curses.tigetflag("bce") > 0)
    except Exception:  # no terminfo, no curses, not a terminal: keep plain spaces
        return False
