"""``display.bidi = "auto"``: settled per terminal, with BDSM sent where it is honoured."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from csconsole.config import Config, DisplayConfig
from csconsole.ui.app import CsConsoleApp
from csconsole.ui.rtl import EXPLICIT_MODE, IMPLICIT_MODE, BidiPlan, resolve_bidi
from tests.ui.pty_console import Terminal
from tests.ui.store_builder import build_store

VTE_NEW = {"TERM": "xterm-256color", "VTE_VERSION": "7600"}
PLAIN_APP = BidiPlan("app")
EXPLICIT_APP = BidiPlan("app", EXPLICIT_MODE, IMPLICIT_MODE)


@pytest.mark.parametrize(
    ("environ", "plan"),
    [
        (VTE_NEW, EXPLICIT_APP),  # GNOME Terminal of today
        ({"VTE_VERSION": "5703"}, EXPLICIT_APP),  # the first VTE that honours BDSM
        ({"VTE_VERSION": "5402"}, PLAIN_APP),  # older VTE does no bidi at all
        ({"TERM_PROGRAM": "mintty"}, EXPLICIT_APP),
        ({"MLTERM": "3.9.3"}, BidiPlan("terminal")),  # reorders, cannot be stopped
        ({"KONSOLE_VERSION": "230804"}, BidiPlan("terminal")),
        ({"TERM_PROGRAM": "Apple_Terminal"}, BidiPlan("terminal")),
        ({"TERM": "xterm-kitty"}, PLAIN_APP),
        ({"TERM": "alacritty"}, PLAIN_APP),
        ({}, PLAIN_APP),
        ({**VTE_NEW, "TMUX": "/tmp/tmux-0/default,1,0"}, PLAIN_APP),  # tmux does no bidi
        ({"MLTERM": "3.9.3", "TERM": "screen-256color"}, PLAIN_APP),
        ({"VTE_VERSION": "not a number"}, PLAIN_APP),
    ],
)
def test_auto_follows_the_terminal(environ: dict[str, str], plan: BidiPlan) -> None:
    assert resolve_bidi("auto", environ) == plan


@pytest.mark.parametrize("setting", ["terminal", "off"])
def test_explicit_settings_are_kept_and_send_nothing(setting: str) -> None:
    for environ in (VTE_NEW, {"MLTERM": "1"}, {}):
        assert resolve_bidi(setting, environ) == BidiPlan(setting)


def test_app_setting_still_switches_a_bdsm_terminal_to_explicit_mode() -> None:
    assert resolve_bidi("app", VTE_NEW) == EXPLICIT_APP
    assert resolve_bidi("app", {"MLTERM": "1"}) == PLAIN_APP


async def test_screens_read_the_settled_mode(app_factory: Callable[..., CsConsoleApp]) -> None:
    from csconsole.services import Services
    from csconsole.ui.app import make_app

    app = app_factory()
    config = Config(display=DisplayConfig(bidi="auto"))
    for environ, mode in (({"MLTERM": "1"}, "terminal"), (VTE_NEW, "app"), ({}, "app")):
        made = make_app(Services(app.services.store_path, config), config, environ=environ)
        assert made.config.display.bidi == mode
        made.services.close()


def run_in_pty(store: Path, environ: dict[str, str]) -> tuple[bytes, bytes]:
    """What the console writes at start and after ctrl+q, in a real pseudo-terminal."""
    terminal = Terminal(store, environ, rows=30, columns=100)
    started = terminal.read_until_quiet(1.5, 30.0)
    return started, terminal.close()


@pytest.mark.timeout(90)
def test_vte_gets_explicit_mode_at_start_and_implicit_back_at_exit(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    build_store(store)
    started, ended = run_in_pty(store, VTE_NEW)
    assert EXPLICIT_MODE.encode() in started
    assert started.index(EXPLICIT_MODE.encode()) < started.index(b"Alice")
    assert IMPLICIT_MODE.encode() in ended
    assert IMPLICIT_MODE.encode() not in started
    # The app reorders: Arabic arrives shaped (presentation forms), not in logical order.
    assert any(0xFE70 <= ord(c) <= 0xFEFF for c in started.decode("utf-8", "replace"))


@pytest.mark.timeout(90)
def test_other_terminals_get_no_mode_switch(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    build_store(store)
    for environ in ({"TERM": "xterm-256color"}, {"TERM": "xterm-256color", "MLTERM": "3.9"}):
        started, ended = run_in_pty(store, environ)
        assert b"Alice" in started
        assert EXPLICIT_MODE.encode() not in started + ended
        assert IMPLICIT_MODE.encode() not in started + ended
