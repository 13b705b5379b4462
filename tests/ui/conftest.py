"""The console built through the real factory on a small trilingual store, fixed clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import Input

from csconsole.config import Config
from csconsole.services import Services
from csconsole.ui.app import CsConsoleApp, make_app
from tests.ui.store_builder import NOW, Built, build_store


class Clock:
    """A clock tests move by hand."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots and byte counts must not depend on when the cursor blinked."""
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture
def built(store_path: Path) -> Built:
    return build_store(store_path, extra=12)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app_factory(
    store_path: Path, built: Built, clock: Clock
) -> Iterator[Callable[..., CsConsoleApp]]:
    made: list[Services] = []

    def factory(config: Config | None = None) -> CsConsoleApp:
        config = config or Config()
        services = Services(store_path, config, clock=clock)
        made.append(services)
        # A terminal that does no bidi, whatever terminal runs the tests: "auto" is "app".
        return make_app(services, config, environ={"TERM": "xterm-256color"})

    yield factory
    for services in made:
        services.close()
