"""The compose flow in the console: typing, drafts, the canned picker, $EDITOR, send and undo."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from csconsole.config import Config
from csconsole.domain.models import OutboxState
from csconsole.services import Services
from csconsole.ui.app import CsConsoleApp, make_app
from csconsole.ui.screens.compose import ComposeScreen, FallbackDialog
from csconsole.ui.widgets.canned_picker import CannedPicker
from tests.replies.conftest import Shop, make_shop
from tests.servers.smtp import SmtpServer


@pytest.fixture
def ui_shop(store_path: Path, smtp_server: SmtpServer) -> Iterator[Shop]:
    arranged = make_shop(store_path, smtp_server, save_sent="never", undo=10.0)
    yield arranged
    arranged.services.close()
    arranged.db.close()


def _app(shop: Shop) -> CsConsoleApp:
    """The console without sources (no background sync); the editor gets the real config."""
    bare = Config(replies=shop.services.config.replies)
    return make_app(Services(shop.services.store_path, bare), bare)


def _config(shop: Shop, undo: float) -> Config:
    return replace(
        shop.services.config, replies=replace(shop.services.config.replies, undo_seconds=undo)
    )


async def test_typing_saves_a_draft_and_send_can_be_undone(ui_shop: Shop) -> None:
    config = _config(ui_shop, 10.0)
    app = _app(ui_shop)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = ComposeScreen(ui_shop.services, config, ui_shop.conversation_id)
        await app.push_screen(screen)
        await pilot.press(*"salam")
        await pilot.pause(0.8)  # past the autosave pause
        draft = ui_shop.db.execute("SELECT body FROM drafts").fetchone()
        assert draft == ("salam",)
        await pilot.press("ctrl+s")
        await pilot.pause()
        status = str(screen.query_one("#compose-status", Static).render())
        assert "Sending in" in status and "Ctrl+Z" in status
        item = ui_shop.replies.outbox.items()[0]
        assert item.state is OutboxState.QUEUED
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert ui_shop.replies.outbox.get(item.id).state is OutboxState.CANCELLED  # type: ignore[union-attr]
        assert screen.query_one(TextArea).text == "salam"
        assert not screen.query_one(TextArea).read_only


async def test_send_after_the_window_delivers(ui_shop: Shop, smtp_server: SmtpServer) -> None:
    config = _config(ui_shop, 0.0)
    ui_shop.services.config = config
    app = _app(ui_shop)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = ComposeScreen(ui_shop.services, config, ui_shop.conversation_id)
        await app.push_screen(screen)
        await pilot.press(*"Thanks!")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.screen is not screen
    arrivals = smtp_server.wait_for(1)
    assert arrivals, [(i.state, i.last_error, i.send_after) for i in ui_shop.replies.outbox.items()]
    assert arrivals[0].message.get_content().startswith("Thanks!")


async def test_double_colon_opens_the_picker_and_inserts_the_customers_language(
    ui_shop: Shop,
) -> None:
    config = _config(ui_shop, 10.0)
    app = _app(ui_shop)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = ComposeScreen(ui_shop.services, config, ui_shop.conversation_id)
        await app.push_screen(screen)
        await pilot.press(":", ":")
        await pilot.pause()
        assert isinstance(app.screen, CannedPicker)
        await pilot.press(*"track")
        await pilot.pause()
        preview = str(app.screen.query_one("#canned-preview", Static).render())
        assert "shipping/tracking-number" in preview
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        text = screen.query_one(TextArea).text
        assert "کد رهگیری: IR123456789" in text and "::" not in text
        assert screen.canned_id == "shipping/tracking-number"


async def test_missing_values_ask_for_a_fallback_before_inserting(ui_shop: Shop) -> None:
    with ui_shop.db.atomic():
        ui_shop.db.execute("DELETE FROM shipments")
    config = _config(ui_shop, 10.0)
    app = _app(ui_shop)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = ComposeScreen(ui_shop.services, config, ui_shop.conversation_id)
        await app.push_screen(screen)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press(*"track", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FallbackDialog)
        inputs = list(app.screen.query(Input))
        assert len(inputs) == 2
        inputs[0].value = "پست"
        inputs[1].value = "به‌زودی"
        inputs[1].focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert "شرکت حمل: پست" in screen.query_one(TextArea).text


async def test_external_editor_round_trips_the_text(
    ui_shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text(encoding='utf-8') + ' — ویرایش شد', encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {editor}")
    config = _config(ui_shop, 10.0)
    app = _app(ui_shop)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = ComposeScreen(ui_shop.services, config, ui_shop.conversation_id)
        await app.push_screen(screen)
        await pilot.press(*"draft")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert screen.query_one(TextArea).text == "draft — ویرایش شد"
        preview = screen.query_one("#compose-preview", Static)
        assert preview.has_class("-visible")  # right-to-left text gets a shaped preview
    row = ui_shop.db.execute("SELECT body FROM drafts").fetchone()
    assert row == ("draft — ویرایش شد",)


def _fill_disk(shop: Shop) -> None:
    """The store may not grow: what the next write needs does not fit (SQLITE_FULL)."""
    db = shop.services.db()  # the console's connection on this thread
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")


def _free_disk(shop: Shop) -> None:
    shop.services.db().execute("PRAGMA max_page_count = 1073741823")


async def test_a_full_disk_keeps_the_draft_in_the_editor_until_it_can_be_saved(
    ui_shop: Shop,
) -> None:
    app = _app(ui_shop)
    long_text = "سلام، سفارش شما فردا ارسال می‌شود.\n" * 600  # more than a free page holds
    async with app.run_test(size=(100, 40)) as pilot:
        screen = ComposeScreen(ui_shop.services, ui_shop.services.config, ui_shop.conversation_id)
        await app.push_screen(screen)
        _fill_disk(ui_shop)
        screen.query_one(TextArea).load_text(long_text)  # pasted
        await pilot.pause(0.8)  # past the autosave pause
        status = str(screen.query_one("#compose-status", Static).render())
        assert "draft not saved: the disk holding the store is full" in status
        assert ui_shop.db.execute("SELECT count(*) FROM drafts").fetchone() == (0,)

        await pilot.press("escape")  # closing now would lose the text: refused once
        await pilot.pause()
        assert app.screen is screen and screen.query_one(TextArea).text == long_text

        _free_disk(ui_shop)
        await pilot.press("escape")  # space again: saved, then closed
        await pilot.pause()
        assert app.screen is not screen
    assert ui_shop.db.execute("SELECT body FROM drafts").fetchone() == (long_text,)


async def test_a_full_disk_queues_nothing_and_keeps_the_text(ui_shop: Shop) -> None:
    app = _app(ui_shop)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = ComposeScreen(ui_shop.services, ui_shop.services.config, ui_shop.conversation_id)
        await app.push_screen(screen)
        await pilot.press(*"Your parcel left today")
        await pilot.pause(0.8)
        _fill_disk(ui_shop)
        screen.query_one(TextArea).insert(" with tracking number 1Z999AA10123456784. " * 200)
        await pilot.press("ctrl+s")
        await pilot.pause()
        status = str(screen.query_one("#compose-status", Static).render())
        assert "Not sent: not queued: the disk holding the store is full" in status
        assert app.screen is screen and screen.query_one(TextArea).text.startswith("Your parcel")
        assert ui_shop.replies.outbox.items() == []

        _free_disk(ui_shop)
        await pilot.press("ctrl+s")  # space again: queued once
        await pilot.pause()
        assert len(ui_shop.replies.outbox.items()) == 1
