"""Compacted terminal output shows exactly what Textual's output shows, in fewer bytes.

Every frame is fed to a terminal emulator (pyte) twice, as Textual wrote it and as
the compactor rewrote it, and the two screens must match cell by cell: character,
colours and attributes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pyte
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csconsole.ui.app import CsConsoleApp
from csconsole.ui.output import FrameCompactor
from csconsole.ui.screens.conversation import ConversationScreen
from tests.ui.pilot_helpers import settle
from tests.ui.store_builder import Built
from tests.ui.test_console import SIZE

WIDTH, HEIGHT = SIZE


def screen_after(data: str) -> list[list[pyte.screens.Char]]:
    screen = pyte.Screen(WIDTH, HEIGHT)
    # pyte stops drawing a run at a zero-width format character (the Persian ZWNJ),
    # which real terminals do not; the compactor never touches them, so drop them.
    pyte.Stream(screen).feed("".join(c for c in data if unicodedata.category(c) != "Cf"))
    return [[screen.buffer[y][x] for x in range(WIDTH)] for y in range(HEIGHT)]


def same_screen(frame: str, compacted: str) -> str | None:
    """None when both look alike, else the first cell that differs."""
    before, after = screen_after(frame), screen_after(compacted)
    for y, (old_row, new_row) in enumerate(zip(before, after, strict=True)):
        for x, (old, new) in enumerate(zip(old_row, new_row, strict=True)):
            if old != new:
                return f"row {y} column {x}: {old} became {new}"
    return None


async def full_frame(app: CsConsoleApp) -> str:
    return app.screen._compositor.render_full_update().render_segments(app.console)


@pytest.mark.parametrize("erase_blanks", [False, True], ids=["spaces", "erase"])
@pytest.mark.parametrize("language", ["inbox", "en", "ar", "fa"])
async def test_real_frames_look_the_same_and_cost_less(
    app_factory: Callable[..., CsConsoleApp], built: Built, language: str, erase_blanks: bool
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        if language != "inbox":
            app.push_screen(ConversationScreen(built.conversations[language]))
            await settle(app, pilot)
        frame = await full_frame(app)
    compacted = FrameCompactor(erase_blanks=erase_blanks).compact(frame)
    assert same_screen(frame, compacted) is None
    saved = 1 - len(compacted.encode()) / len(frame.encode())
    assert saved > (0.35 if erase_blanks else 0.1), f"saved only {saved:.0%}"


STYLES = [
    "",
    "1",
    "38;5;253;48;5;233",
    "48;5;233",
    "1;38;5;253;48;5;17",
    "7",  # reverse: blanks show the foreground colour
    "4;38;5;32",  # underline: blanks show a line
    "3;38;2;10;20;30;48;2;200;100;0",
    "97;100",
    "2;9",
]
segment = st.tuples(
    st.sampled_from(STYLES),
    st.text(alphabet=st.sampled_from(" ab│سلام"), max_size=40),
)
line = st.lists(segment, max_size=6)


@given(st.lists(line, min_size=1, max_size=HEIGHT - 1), st.booleans())
def test_any_frame_looks_the_same(lines: list[list[tuple[str, str]]], erase: bool) -> None:
    parts = []
    for row, segments in enumerate(lines, 1):
        parts.append(f"\x1b[{row};1H")
        parts.extend(f"\x1b[{style}m{text}\x1b[0m" if style else text for style, text in segments)
        parts.append("\r\n")
    frame = "".join(parts)
    compacted = FrameCompactor(erase_blanks=erase).compact(frame)
    assert same_screen(frame, compacted) is None
    assert len(compacted) <= len(frame)


def test_blank_runs_in_reverse_video_stay_spaces() -> None:
    frame = "\x1b[1;1H\x1b[7m" + " " * 40 + "\x1b[0m\x1b[48;5;17m" + " " * 40 + "\x1b[0m"
    compacted = FrameCompactor(erase_blanks=True).compact(frame)
    assert "\x1b[7m" + " " * 40 in compacted
    assert "\x1b[40X\x1b[40C" in compacted


def test_unknown_attributes_leave_the_frame_untouched() -> None:
    frame = "\x1b[1;1H\x1b[4:3mwavy\x1b[0m" + " " * 30
    assert FrameCompactor(erase_blanks=True).compact(frame) == frame
