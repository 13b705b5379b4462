"""Attachments from an open conversation: `a` saves them safely, `A` also opens one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from csconsole import paths
from csconsole.domain.models import Direction, NewAttachment, NewMessage
from csconsole.services import Services
from csconsole.services import inbox as inbox_service
from csconsole.ui.app import CsConsoleApp
from csconsole.ui.screens.conversation import ConversationScreen
from tests.ui.pilot_helpers import screen_text, settle
from tests.ui.store_builder import Built, ago, append_message

Factory = Callable[..., CsConsoleApp]
SIZE = (120, 34)


class Fetcher:
    """Stands in for the mail sync's part download: records what it was asked for."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def __call__(self, services: Services, attachment_id: int) -> bytes:
        self.asked.append(attachment_id)
        return f"content of {attachment_id}".encode()


@pytest.fixture
def downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home" / "Downloads"
    monkeypatch.setattr(paths, "download_dir", lambda: folder)
    return folder


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    fetch = Fetcher()
    inbox_service.set_attachment_fetcher(fetch)
    yield fetch
    inbox_service.set_attachment_fetcher(None)


@pytest.fixture
def opened() -> Iterator[list[Path]]:
    calls: list[Path] = []
    inbox_service.set_attachment_opener(calls.append)
    yield calls
    inbox_service.set_attachment_opener(None)


@pytest.fixture
def traversal(store_path: Path, built: Built) -> int:
    """A second hostile file name on the hostile conversation: plain path traversal."""
    return append_message(
        store_path,
        built.conversations["hostile"],
        NewMessage(
            direction=Direction.IN,
            sent_at=ago(hours=8),
            body_text="and another",
            message_id="att2@test",
            attachments=(NewAttachment("2", "../../etc/passwd", size=12),),
        ),
    )


async def open_conversation(app: CsConsoleApp, pilot: Pilot[str | None], cid: int) -> None:
    await settle(app, pilot)
    app.push_screen(ConversationScreen(cid))
    await settle(app, pilot)


def inside(folder: Path) -> list[Path]:
    """Every file under the folder, anywhere (a traversal would show up outside it)."""
    return sorted(p for p in folder.rglob("*") if p.is_file())


async def test_save_fetches_on_demand_into_safe_names_and_never_overwrites(
    app_factory: Factory,
    traversal: int,
    downloads: Path,
    fetcher: Fetcher,
    opened: list[Path],
    tmp_path: Path,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_conversation(app, pilot, traversal)
        assert fetcher.asked == [], "nothing is fetched until the user asks"
        await pilot.press("a")
        await settle(app, pilot)
        first = inside(downloads)
        assert [p.name for p in first] == ["[2Jpasswdtxt.exe", "passwd"]
        assert all(p.parent == downloads for p in first)
        assert len(fetcher.asked) == 2
        assert (downloads / "passwd").read_bytes() == f"content of {fetcher.asked[1]}".encode()
        assert "saved [2Jpasswdtxt.exe, passwd" in screen_text(app)

        await pilot.press("a")  # the same files again: new names, old ones untouched
        await settle(app, pilot)
        names = [p.name for p in inside(downloads)]
        assert names == ["[2Jpasswdtxt (2).exe", "[2Jpasswdtxt.exe", "passwd", "passwd (2)"]
        assert opened == [], "saving never opens anything"
    # Nothing landed outside the download folder (no ../../etc/passwd beside it).
    assert not (tmp_path / "etc").exists() and not (downloads.parent / "etc").exists()


async def test_open_only_on_the_explicit_key_with_the_saved_path(
    app_factory: Factory, built: Built, downloads: Path, fetcher: Fetcher, opened: list[Path]
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_conversation(app, pilot, built.conversations["hostile"])
        await pilot.press("j", "k", "backslash", "H", "H")  # other keys open nothing
        await settle(app, pilot)
        assert opened == []
        await pilot.press("A")
        await settle(app, pilot)
        assert opened == [downloads / "[2Jpasswdtxt.exe"]
        assert opened[0].read_bytes().startswith(b"content of ")
        assert "opened [2Jpasswdtxt.exe" in screen_text(app)


async def test_unfetchable_attachment_says_why_and_writes_nothing(
    app_factory: Factory, built: Built, downloads: Path, opened: list[Path]
) -> None:
    inbox_service.set_attachment_fetcher(None)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_conversation(app, pilot, built.conversations["hostile"])
        await pilot.press("A")
        await settle(app, pilot)
        assert "was not downloaded yet" in screen_text(app).replace("\n", " ")
        assert app.is_running
    assert not downloads.exists() or inside(downloads) == []
    assert opened == []


async def test_conversation_without_attachments_says_so(
    app_factory: Factory, built: Built, downloads: Path, fetcher: Fetcher, opened: list[Path]
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_conversation(app, pilot, built.conversations["en"])
        await pilot.press("A")
        await settle(app, pilot)
        assert "no attachments in this conversation" in screen_text(app)
    assert opened == [] and fetcher.asked == []
