"""Reply-all, new message and switching kind from the conversation keys, through the console.

The app comes from the real factory with the shop's real config (accounts, so the
editor can plan From/To/Cc); only the background source sync is switched off, so
what reaches the SMTP server or the Telegram API is what the compose screen sent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from csconsole.config import ChannelConfig, Config
from csconsole.domain.models import OutboxState
from csconsole.domain.outgoing import ReplyError, ReplyKind
from csconsole.services import Services
from csconsole.ui import app as app_module
from csconsole.ui.app import CsConsoleApp, make_app
from csconsole.ui.screens.compose import ComposeScreen
from csconsole.ui.screens.conversation import ConversationScreen
from csconsole.ui.screens.help import HelpScreen
from csconsole.ui.screens.inbox import InboxScreen
from tests.replies.conftest import Shop, make_shop, seed_telegram_conversation
from tests.servers.fake_telegram import FakeTelegram
from tests.servers.smtp import SmtpServer
from tests.ui.pilot_helpers import screen_text, settle

SIZE = (110, 36)


@pytest.fixture(autouse=True)
def no_source_sync(monkeypatch: pytest.MonkeyPatch) -> None:
    """No IMAP polling against the shop's placeholder server; sending is what is tested."""
    monkeypatch.setattr(app_module, "start_sync", lambda *args, **kwargs: None)


@pytest.fixture
def ui_shop(store_path: Path, smtp_server: SmtpServer) -> Iterator[Shop]:
    arranged = make_shop(store_path, smtp_server, save_sent="never", undo=0.0)
    yield arranged
    arranged.services.close()
    arranged.db.close()


def console(shop: Shop, config: Config | None = None) -> CsConsoleApp:
    config = config or shop.services.config
    return make_app(Services(shop.services.store_path, config), config)


async def open_conversation(app: CsConsoleApp, pilot: Pilot[Any], conversation_id: int) -> None:
    await settle(app, pilot)
    app.push_screen(ConversationScreen(conversation_id))
    await settle(app, pilot)


def compose_screen(app: CsConsoleApp) -> ComposeScreen:
    assert isinstance(app.screen, ComposeScreen), type(app.screen)
    return app.screen


def drafts_of(shop: Shop) -> list[tuple[str, str]]:
    return [tuple(row) for row in shop.db.execute("SELECT kind, body FROM drafts ORDER BY id")]


def wait_until(check: Any, timeout: float = 10.0) -> Any:
    """Poll the store for what the background sender writes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    return check()


def sent_rows(shop: Shop) -> list[tuple[Any, ...]]:
    return list(
        shop.db.execute(
            "SELECT message_id, in_reply_to, subject, to_addrs, cc_addrs FROM messages "
            "WHERE conversation_id = ? AND direction = 'out'",
            [shop.conversation_id],
        )
    )


# ---- reply-all ---------------------------------------------------------------------------
async def test_e_replies_to_all_showing_and_sending_the_others_but_never_us(
    ui_shop: Shop, smtp_server: SmtpServer
) -> None:
    with ui_shop.db.atomic():
        ui_shop.db.execute(
            "UPDATE messages SET to_addrs = ?, cc_addrs = ? WHERE direction = 'in'",
            [
                '["Support@Shop.example", "ali@example.org"]',
                '["support@shop.example", "reza@example.net"]',
            ],
        )
    app = console(ui_shop)
    async with app.run_test(size=SIZE) as pilot:
        await open_conversation(app, pilot, ui_shop.conversation_id)
        await pilot.press("e")
        await settle(app, pilot)
        compose_screen(app)
        shown = screen_text(app)
        assert "Reply to all" in shown
        assert "To: sara@example.org" in shown
        assert "Cc: ali@example.org, reza@example.net" in shown
        header_lines = [
            line for line in shown.splitlines() if line.strip().startswith(("To:", "Cc:"))
        ]
        assert not any("shop.example" in line.lower() for line in header_lines), header_lines
        await pilot.press(*"hi all")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ComposeScreen)
    (arrival,) = smtp_server.wait_for(1)
    assert sorted(arrival.recipients) == ["ali@example.org", "reza@example.net", "sara@example.org"]
    message = arrival.message
    assert message["To"] == "sara@example.org"
    assert message["Cc"] == "ali@example.org, reza@example.net"
    assert message["In-Reply-To"] == "<q1@example.org>"
    assert message.get_content().startswith("hi all")


# ---- new message ---------------------------------------------------------------------------
async def test_m_writes_a_new_thread_that_needs_a_subject_and_stays_in_the_conversation(
    ui_shop: Shop, smtp_server: SmtpServer
) -> None:
    app = console(ui_shop)
    async with app.run_test(size=SIZE) as pilot:
        await open_conversation(app, pilot, ui_shop.conversation_id)
        await pilot.press("m")
        await settle(app, pilot)
        screen = compose_screen(app)
        shown = screen_text(app)
        assert "New message" in shown and "To: sara@example.org" in shown
        assert "Subject:" in shown and "Re:" not in shown
        subject = screen.query_one("#compose-subject", Input)
        assert subject.value == "" and subject.has_focus
        await pilot.press("enter")  # from the subject to the text
        await pilot.press(*"Your voucher")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen  # refused: still writing
        assert "needs a subject" in screen_text(app)
        assert subject.has_focus
        assert ui_shop.replies.outbox.items() == []
        await pilot.press(*"A gift for you")
        await pilot.pause(0.8)  # the autosave keeps the subject with the draft
        assert ui_shop.db.execute("SELECT kind, subject, body FROM drafts").fetchall() == [
            ("new", "A gift for you", "Your voucher")
        ]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not screen
    (arrival,) = smtp_server.wait_for(1)
    message = arrival.message
    assert arrival.recipients == ["sara@example.org"]
    assert message["Subject"] == "A gift for you"
    assert message["In-Reply-To"] is None and message["References"] is None
    assert message.get_content().startswith("Your voucher")
    assert "> " not in message.get_content()  # no quoted original in a fresh thread
    rows = wait_until(lambda: sent_rows(ui_shop))
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (message["Message-ID"].strip("<>"), None, "A gift for you")
    ]
    assert ui_shop.db.execute("SELECT count(*) FROM drafts").fetchone() == (0,)


async def test_undo_brings_a_new_message_back_with_its_subject(
    store_path: Path, smtp_server: SmtpServer
) -> None:
    shop = make_shop(store_path, smtp_server, save_sent="never", undo=10.0)
    try:
        app = console(shop)
        async with app.run_test(size=SIZE) as pilot:
            await open_conversation(app, pilot, shop.conversation_id)
            await pilot.press("m")
            await settle(app, pilot)
            screen = compose_screen(app)
            await pilot.press(*"Refund sent", "enter", *"It is on its way")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            [queued] = shop.replies.outbox.items()
            assert queued.subject == "Refund sent"
            await pilot.press("ctrl+z")
            await settle(app, pilot)
            assert shop.replies.outbox.get(queued.id).state is OutboxState.CANCELLED  # type: ignore[union-attr]
            subject = screen.query_one("#compose-subject", Input)
            assert subject.value == "Refund sent" and not subject.disabled
            assert screen.query_one(TextArea).text == "It is on its way"
            drafts = shop.db.execute("SELECT kind, subject, body FROM drafts").fetchall()
            assert drafts == [("new", "Refund sent", "It is on its way")]
        assert smtp_server.arrivals == []  # nothing left the shop
    finally:
        shop.services.close()
        shop.db.close()


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    fake.start()
    yield fake
    fake.stop()


async def test_telegram_new_message_goes_through_the_chat_and_reply_all_is_a_reply(
    ui_shop: Shop, store_path: Path, telegram: FakeTelegram
) -> None:
    conversation_id = seed_telegram_conversation(store_path, telegram.url)
    channel = ChannelConfig(
        name="bot",
        platform="telegram",
        api_url=telegram.url,
        token_command=f"echo {telegram.token}",
        timeout=5.0,
    )
    config = replace(ui_shop.services.config, channels=(channel,))
    app = console(ui_shop, config)
    async with app.run_test(size=SIZE) as pilot:
        await open_conversation(app, pilot, conversation_id)
        await pilot.press("e")
        await settle(app, pilot)
        assert "one recipient: this is a reply" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        screen = compose_screen(app)
        shown = screen_text(app)
        assert "New message (sent in the chat)" in shown and "To: 555 (telegram)" in shown
        assert "Subject:" not in shown  # a chat has no subject to fill
        assert screen.query_one(TextArea).has_focus
        await pilot.press(*"hello")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not screen
    sent = wait_until(lambda: list(telegram.sent))
    assert [(str(m["chat_id"]), m["text"]) for m in sent] == [("555", "hello")]
    row = wait_until(
        lambda: ui_shop.db.execute(
            "SELECT body_text FROM messages WHERE conversation_id = ? AND direction = 'out'",
            [conversation_id],
        ).fetchall()
    )
    assert row == [("hello",)]


# ---- switching kind ----------------------------------------------------------------------
async def test_ctrl_r_cycles_kinds_keeping_the_text_and_one_draft(
    ui_shop: Shop, smtp_server: SmtpServer
) -> None:
    with ui_shop.db.atomic():
        ui_shop.db.execute(
            "UPDATE messages SET cc_addrs = '[\"ali@example.org\"]' WHERE direction = 'in'"
        )
    app = console(ui_shop)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r")  # the inbox's refresh: no editor, nothing written
        await settle(app, pilot)
        assert isinstance(app.screen, InboxScreen) and drafts_of(ui_shop) == []
        await open_conversation(app, pilot, ui_shop.conversation_id)
        await pilot.press("r")
        await settle(app, pilot)
        screen = compose_screen(app)
        assert screen_text(app).splitlines()[0].strip() == "Reply"
        await pilot.press(*"kept text")
        await pilot.pause(0.8)
        assert drafts_of(ui_shop) == [("reply", "kept text")]
        for kind, label, cc_shown in (
            ("reply_all", "Reply to all", True),
            ("note", "Internal note", False),
            ("reply", "Reply", False),
        ):
            await pilot.press("ctrl+r")
            await settle(app, pilot)
            assert app.screen is screen
            lines = screen_text(app).splitlines()
            assert lines[0].strip().startswith(label), lines[0]
            assert ("Cc: ali@example.org" in "\n".join(lines)) is cc_shown
            assert screen.query_one(TextArea).text == "kept text"
            assert drafts_of(ui_shop) == [(kind, "kept text")]
        await pilot.press("ctrl+r")  # reply-all once more, then close: the draft is kept
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert drafts_of(ui_shop) == [("reply_all", "kept text")]
        await pilot.press("r")  # the moved draft comes back, not an empty reply beside it
        await settle(app, pilot)
        screen = compose_screen(app)
        assert screen.plan.kind is ReplyKind.REPLY_ALL
        assert screen.query_one(TextArea).text == "kept text"
        assert "reply to all draft is back" in screen_text(app)
        await pilot.press("ctrl+r")  # to the note, then send: stored, never mailed
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not screen
    notes = ui_shop.db.execute(
        "SELECT body_text FROM messages WHERE direction = 'note' AND conversation_id = ?",
        [ui_shop.conversation_id],
    ).fetchall()
    assert notes == [("kept text",)]
    assert drafts_of(ui_shop) == []
    assert smtp_server.wait_for(1, timeout=0.5) == []


def test_switching_never_overwrites_another_saved_draft(ui_shop: Shop) -> None:
    replies = ui_shop.replies
    replies.save_draft(replies.plan(ui_shop.conversation_id, ReplyKind.REPLY), "first words")
    other = replies.save_draft(
        replies.plan(ui_shop.conversation_id, ReplyKind.REPLY_ALL), "second words"
    )
    with pytest.raises(ReplyError, match="reply draft is already saved"):
        replies.switch_kind(other, "second words", ReplyKind.REPLY)
    assert sorted(drafts_of(ui_shop)) == [("reply", "first words"), ("reply_all", "second words")]


# ---- keys in help and the keymap ---------------------------------------------------------
async def test_help_lists_the_compose_keys_and_the_keymap_remaps_them(ui_shop: Shop) -> None:
    config = replace(
        ui_shop.services.config, keymap={"reply.switch-kind": "ctrl+k", "reply.send": "ctrl+g"}
    )
    app = console(ui_shop, config)
    async with app.run_test(size=(120, 100)) as pilot:
        await open_conversation(app, pilot, ui_shop.conversation_id)
        await pilot.press("r")
        await settle(app, pilot)
        screen = compose_screen(app)
        assert "ctrl+k reply/all/note" in screen_text(app)  # the hint follows the keymap
        await pilot.press("ctrl+k")
        await settle(app, pilot)
        assert screen.plan.kind.value == "reply_all"
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        lines = shown.splitlines()
        title = next(i for i, line in enumerate(lines) if "Compose (reply" in line)
        compose_rows = "\n".join(lines[title : title + 8])
        for action_id, keys in (
            ("reply.send", "ctrl+g"),
            ("reply.canned", "ctrl+t"),
            ("reply.editor", "ctrl+e"),
            ("reply.switch-kind", "ctrl+k"),
            ("reply.undo", "ctrl+z"),
            ("reply.close", "escape"),
        ):
            row = next(line for line in compose_rows.splitlines() if action_id in line)
            assert keys in row, row
        assert "conversation.reply-all" in shown and "conversation.new-message" in shown
