"""Every inbox and conversation workflow, driven from the keyboard through the real factory."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from textual.message import Message

from csconsole.config import Config
from csconsole.domain.inbox_models import View
from csconsole.ui.actions import ACTIONS
from csconsole.ui.app import CsConsoleApp
from csconsole.ui.commands import ConversationCommands, InboxCommands
from csconsole.ui.messages import ConversationChanged
from csconsole.ui.screens.conversation import ConversationScreen
from csconsole.ui.screens.help import HelpScreen
from csconsole.ui.screens.inbox import InboxScreen
from tests.ui.conftest import Clock
from tests.ui.pilot_helpers import screen_text, settle
from tests.ui.store_builder import NOW, Built

Factory = Callable[..., CsConsoleApp]
SIZE = (120, 34)


def inbox(app: CsConsoleApp) -> InboxScreen:
    assert isinstance(app.screen, InboxScreen)
    return app.screen


def status_of(app: CsConsoleApp, conversation_id: int) -> str:
    summary = app.services.inbox.summary(conversation_id)
    assert summary is not None
    return summary.status


def events(app: CsConsoleApp, kind: str) -> list[dict[str, str]]:
    rows = app.services.db().execute("SELECT data FROM events WHERE kind = ?", [kind])
    return [json.loads(row[0]) for row in rows]


async def test_inbox_shows_every_language_and_badges(app_factory: Factory, built: Built) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        shown = screen_text(app)
        assert "Alice Brown" in shown
        assert "ﻲﻠﻌﻟﺍ ﺪﻤﺤﻣ" in shown  # محمد العلي, shaped and in visual order
        assert "ﯼﺪﻤﺤﻣ ﺍﺭﺎﺳ" in shown  # سارا محمدی
        assert "overdue 2h" in shown and "due in 30m" in shown
        assert "#1001 [shipping]" in shown
        assert "1 Open 16" in shown and "3 Overdue 1" in shown


async def test_navigate_with_vim_keys_and_arrows(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        conversations = inbox(app).conversation_list
        await pilot.press("j", "down", "j")
        assert conversations.cursor == 3
        await pilot.press("k", "up")
        assert conversations.cursor == 1
        await pilot.press("G")
        assert conversations.cursor == conversations.row_count - 1
        await pilot.press("g")
        assert conversations.cursor == 0


async def test_open_a_conversation_and_step_through_the_list(
    app_factory: Factory, built: Built
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = inbox(app).conversation_list.current
        assert first is not None
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.conversation_id == first.id
        assert app.services.inbox.summary(first.id).unread == 0  # type: ignore[union-attr]
        await pilot.press("J")
        await settle(app, pilot)
        second = app.screen.conversation_id
        assert second != first.id
        await pilot.press("K")
        await settle(app, pilot)
        assert app.screen.conversation_id == first.id
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, InboxScreen)


async def test_thread_shows_customer_orders_and_folds_quotes(
    app_factory: Factory, built: Built
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ConversationScreen(built.conversations["en"]))
        await settle(app, pilot)
        shown = screen_text(app)
        assert "It still has not arrived" in shown
        assert "alice@example.com" in shown
        assert "#1001 ★ linked" in shown and "JD1001" in shown
        assert "orders: 2 · 65.00 EUR" in shown
        assert "3 quoted lines folded" in shown
        await pilot.press("backslash")
        await settle(app, pilot)
        assert "quoted lines folded" not in screen_text(app)


async def test_each_open_from_the_inbox_shows_that_conversation_afresh(
    app_factory: Factory, built: Built
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)

        async def open_from_inbox(name: str) -> ConversationScreen:
            listing = inbox(app)
            position = app.services.inbox.position(listing.spec, built.conversations[name])
            assert position is not None
            listing.conversation_list.move_to(position)
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ConversationScreen)
            return app.screen

        await open_from_inbox("en")
        assert "3 quoted lines folded" in screen_text(app)
        await pilot.press("backslash")  # quotes shown in this one
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)

        await open_from_inbox("ar")
        shown = screen_text(app)
        assert "It still has not arrived" not in shown and "alice@example.com" not in shown
        assert "mohammed@example.com" in shown
        await pilot.press("escape")
        await settle(app, pilot)

        await open_from_inbox("en")
        assert "3 quoted lines folded" in screen_text(app)  # folded again: a fresh open


async def test_close_reopen_pending_from_the_inbox(app_factory: Factory, built: Built) -> None:
    seen: list[Message] = []
    app = app_factory()
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(app, pilot)
        target = inbox(app).conversation_list.current
        assert target is not None
        await pilot.press("x")
        await settle(app, pilot)
        assert status_of(app, target.id) == "closed"
        assert "closed: conversation" in inbox(app).status_bar.text
        assert any(isinstance(m, ConversationChanged) for m in seen)
        assert "6 Closed 1" in screen_text(app)
        await pilot.press("6")
        await settle(app, pilot)
        assert inbox(app).spec.view is View.CLOSED
        await pilot.press("o")
        await settle(app, pilot)
        assert status_of(app, target.id) == "open"
        await pilot.press("1")
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert "4 Pending 1" in screen_text(app)
        assert [e["to"] for e in events(app, "conversation.status")] == [
            "closed",
            "open",
            "pending",
        ]


async def test_snooze_preset_then_wake(app_factory: Factory, clock: Clock) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        target = inbox(app).conversation_list.current
        assert target is not None
        await pilot.press("z")
        await settle(app, pilot)
        await pilot.press("enter")  # first preset: in one hour
        await settle(app, pilot)
        assert status_of(app, target.id) == "snoozed"
        assert "snoozed until 2026-11-23 10:00" in inbox(app).status_bar.text
        clock.now = NOW + timedelta(hours=1, minutes=1)
        inbox(app).tick()
        await settle(app, pilot)
        assert status_of(app, target.id) == "open"
        assert "snoozed conversations are back" in inbox(app).status_bar.text


async def test_typed_snooze_and_a_bad_one(app_factory: Factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        target = inbox(app).conversation_list.current
        assert target is not None
        await pilot.press("z", "tab", *"whenever", "enter")
        await settle(app, pilot)
        assert "cannot read" in inbox(app).status_bar.text
        await pilot.press("z", "tab", *"2d", "enter")
        await settle(app, pilot)
        assert status_of(app, target.id) == "snoozed"


async def test_tag_untag_note_read_and_link(app_factory: Factory, built: Built) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ConversationScreen(built.conversations["ar"]))
        await settle(app, pilot)
        conv = built.conversations["ar"]
        await pilot.press("t", *"vip", "enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.services.inbox.summary(conv).tags == ("vip",)  # type: ignore[union-attr]
        assert "[vip]" in screen_text(app)
        await pilot.press("T", *"vip", "enter")
        await settle(app, pilot)
        assert app.services.inbox.summary(conv).tags == ()  # type: ignore[union-attr]
        await pilot.press("n", *"called the courier", "enter")
        await settle(app, pilot)
        assert "called the courier" in screen_text(app)
        assert "internal note" in screen_text(app)
        await pilot.press("u")
        await settle(app, pilot)
        assert app.services.inbox.summary(conv).unread == 1  # type: ignore[union-attr]
        await pilot.press("L", *"0999", "enter")
        await settle(app, pilot)
        assert "#0999 ★ linked" in screen_text(app)
        await pilot.press("L", *"4242", "enter")
        await settle(app, pilot)
        assert "no order numbered 4242" in screen_text(app)


async def test_search_finds_persian_with_either_digits(app_factory: Factory, built: Built) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"1003", "enter")
        await settle(app, pilot)
        conversations = inbox(app).conversation_list
        assert conversations.row_count == 1
        assert conversations.current.id == built.conversations["fa"]  # type: ignore[union-attr]
        await pilot.press("escape")
        await settle(app, pilot)
        assert conversations.row_count == 16


async def test_keymap_from_config_remaps_by_id(app_factory: Factory) -> None:
    app = app_factory(Config(keymap={"inbox.next": "ctrl+n", "conversation.close": "c"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        conversations = inbox(app).conversation_list
        await pilot.press("j")
        assert conversations.cursor == 0
        await pilot.press("ctrl+n")
        assert conversations.cursor == 1
        target = conversations.current
        await pilot.press("c")
        await settle(app, pilot)
        assert status_of(app, target.id) == "closed"  # type: ignore[union-attr]


async def test_help_lists_every_binding(app_factory: Factory) -> None:
    app = app_factory(Config(keymap={"inbox.next": "ctrl+n"}))
    async with app.run_test(size=(120, 130)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        for action in ACTIONS:
            assert action.id in shown, action.id
        assert "ctrl+n" in shown


async def test_palette_offers_context_commands(app_factory: Factory, built: Built) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        names = [name for name, _, _ in InboxCommands(app.screen).entries()]
        assert "conversation: snooze until tomorrow" in names
        assert "view: overdue" in names
        app.push_screen(ConversationScreen(built.conversations["en"]))
        await settle(app, pilot)
        names = [name for name, _, _ in ConversationCommands(app.screen).entries()]
        assert "order: copy tracking link" in names
        for name, _, callback in ConversationCommands(app.screen).entries():
            if name == "conversation: snooze until tomorrow":
                callback()
        await settle(app, pilot)
        assert status_of(app, built.conversations["en"]) == "snoozed"


async def test_hostile_strings_never_reach_the_screen(app_factory: Factory, built: Built) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ConversationScreen(built.conversations["hostile"]))
        await settle(app, pilot)
        await pilot.press("H")  # headers too
        await settle(app, pilot)
        for strip in app.screen._compositor.render_strips():
            for segment in strip:
                for char in segment.text:
                    assert char not in "\x1b\x9b\x9d\x07\r\u202e\u202d\u2066\u2067", repr(segment)
                    assert not 0x80 <= ord(char) < 0xA0, repr(segment)
        shown = screen_text(app)
        assert "Invoice" in shown and "txt.exe" in shown


async def test_welcome_screen_explains_setup_and_offers_the_demo(
    store_path: object, built: Built, clock: Clock
) -> None:
    from pathlib import Path

    from csconsole.services import Services
    from csconsole.ui.app import make_app

    config = Config()
    services = Services(Path(str(store_path)), config, clock=clock)
    app = make_app(services, config, welcome=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "csconsole config init" in screen_text(app)
        await pilot.press("d")
        await settle(app, pilot)
    assert app.return_value == "demo"
    services.close()


async def test_low_bandwidth_drops_the_footer_and_animation(app_factory: Factory) -> None:
    from csconsole.config import DisplayConfig

    app = app_factory(Config(display=DisplayConfig(low_bandwidth=True)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.animation_level == "none"
        assert not app.screen.query("KeyHints")
        assert "Alice Brown" in screen_text(app)


async def test_reply_without_a_mail_account_explains_instead_of_crashing(
    app_factory: Factory, built: Built
) -> None:
    """The demo and a fresh install have no account to send from: say so and stay up."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConversationScreen)
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ConversationScreen), "no editor without an account"
        assert "no mail account configured" in screen_text(app)
        assert app.is_running


def test_every_keymap_id_in_the_example_config_names_an_action() -> None:
    from pathlib import Path

    from csconsole.config import load_config
    from csconsole.ui.actions import unknown_ids

    example = load_config(Path(__file__).resolve().parents[2] / "config.example.toml")
    assert example.keymap
    assert unknown_ids(dict(example.keymap)) == []


async def test_a_keymap_typo_is_shown_not_ignored(app_factory: Factory) -> None:
    app = app_factory(Config(keymap={"inbox.previous": "K", "inbox.next": "ctrl+n"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        warnings = [n.message for n in app._notifications]
        assert any("inbox.previous" in text for text in warnings), warnings
        await pilot.press("ctrl+n")  # the valid entry still applies
        assert inbox(app).conversation_list.cursor == 1


async def test_a_folder_that_failed_is_named_in_the_status_bar(
    app_factory: Factory, store_path: Path
) -> None:
    from sqlite_utils import Database

    from csconsole.ui.messages import StatusRefreshed

    db = Database(store_path)
    db.execute(
        "UPDATE accounts SET sync_state = 'partial', last_error = ?, last_error_at = ? "
        "WHERE name = 'support'",
        ["folder Archive: SELECT refused", "2026-11-23T08:59:00Z"],
    )
    db.conn.commit()
    db.close()
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.screen.post_message(StatusRefreshed())
        await settle(app, pilot)
        assert "support ⚠" in screen_text(app)
        assert "support: folder Archive: SELECT refused" in screen_text(app)
