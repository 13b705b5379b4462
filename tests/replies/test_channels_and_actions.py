"""Telegram replies through the same outbox; macro actions; drafts that survive a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from csconsole.config import ChannelConfig, Config, RepliesConfig
from csconsole.domain.models import OutboxState
from csconsole.domain.outgoing import ReplyKind
from csconsole.services import Services
from csconsole.services.replies import RepliesService
from csconsole.store.db import open_store
from tests.replies.conftest import Shop, seed_telegram_conversation
from tests.servers.fake_telegram import FakeTelegram, tg_error
from tests.servers.smtp import SmtpServer


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def chat(store_path: Path, telegram: FakeTelegram) -> Iterator[tuple[RepliesService, int]]:
    conversation_id = seed_telegram_conversation(store_path, telegram.url)
    channel = ChannelConfig(
        name="bot",
        platform="telegram",
        api_url=telegram.url,
        token_command=f"echo {telegram.token}",
        timeout=5.0,
    )
    config = Config(channels=(channel,), replies=RepliesConfig(undo_seconds=0, agent_name="Mina"))
    services = Services(store_path, config)
    yield RepliesService(services), conversation_id
    services.close()


def test_telegram_reply_goes_through_the_outbox(
    chat: tuple[RepliesService, int], telegram: FakeTelegram
) -> None:
    replies, conversation_id = chat
    plan = replies.plan(conversation_id)
    assert plan.channel == "telegram" and plan.to == ("555",)
    queued = replies.send(plan, "طلبك في الطريق")
    assert [r.outcome for r in replies.outbox.drain()] == ["sent"]
    assert [(m["chat_id"], m["text"]) for m in telegram.sent] == [("555", "طلبك في الطريق")]
    item = replies.outbox.get(queued.outbox_id or 0)
    assert item is not None and item.state is OutboxState.SENT and item.external_id


def test_telegram_refusal_is_a_visible_failure(
    chat: tuple[RepliesService, int], telegram: FakeTelegram
) -> None:
    replies, conversation_id = chat
    telegram.fail_next(tg_error(403, "Forbidden: bot was blocked by the user"))
    queued = replies.send(replies.plan(conversation_id), "مرحبا")
    assert [r.outcome for r in replies.outbox.drain()] == ["failed"]
    item = replies.outbox.get(queued.outbox_id or 0)
    assert item is not None and "blocked" in (item.last_error or "")


def test_telegram_row_interrupted_mid_send_is_not_sent_twice(
    chat: tuple[RepliesService, int], telegram: FakeTelegram
) -> None:
    replies, conversation_id = chat
    queued = replies.send(replies.plan(conversation_id), "مرة واحدة")
    db = open_store(replies._services.store_path)
    with db.atomic():
        db.execute("UPDATE outbox SET state = 'sending' WHERE id = ?", [queued.outbox_id])
    db.close()
    (report,) = replies.outbox.drain(lease_seconds=0.0)
    assert report.outcome == "failed" and "may have arrived" in report.detail
    assert telegram.sent == []


def test_macro_actions_apply_when_the_reply_is_sent(shop: Shop, smtp_server: SmtpServer) -> None:
    plan = shop.replies.plan(shop.conversation_id)
    rendered = shop.replies.render_canned(plan, "delay")
    assert rendered.body and rendered.language == "fa"
    shop.replies.send(plan, rendered.body, canned_id="delay")
    status = shop.db.execute("SELECT status FROM conversations").fetchone()[0]
    assert status == "open"  # nothing happens before the message leaves
    shop.replies.outbox.drain()
    status = shop.db.execute("SELECT status FROM conversations").fetchone()[0]
    tags = [r[0] for r in shop.db.execute("SELECT tag FROM conversation_tags")]
    assert status == "pending" and tags == ["delay"]
    event = shop.db.execute("SELECT data FROM events WHERE kind = 'reply.sent'").fetchone()[0]
    assert '"intent": "shipping/delivery-issue"' in event  # reports count by intent


def test_canned_in_customer_language_with_order_variables(shop: Shop) -> None:
    plan = shop.replies.plan(shop.conversation_id)
    rendered = shop.replies.render_canned(plan, "confirm")
    assert rendered.fallback_note is None
    assert rendered.body is not None
    assert "۱٬۲۵۰٬۰۰۰ تومان" in rendered.body
    assert "تی‌شرت × ۲" in rendered.body
    assert "۲۹ آبان ۱۴۰۵" in rendered.body  # Jalali for a Persian reader
    english = shop.replies.render_canned(plan, "confirm", language="en")
    assert english.body and "1,250,000 tomans" in english.body


def test_missing_values_are_listed_before_anything_is_sent(shop: Shop) -> None:
    with shop.db.atomic():
        shop.db.execute("DELETE FROM shipments")
    plan = shop.replies.plan(shop.conversation_id)
    rendered = shop.replies.render_canned(plan, "track")
    assert rendered.body is None
    assert rendered.missing == ("tracking.carrier", "tracking.number")
    filled = shop.replies.render_canned(
        plan, "track", fallbacks={"tracking.carrier": "پست", "tracking.number": "—"}
    )
    assert filled.body and "پست" in filled.body


def test_drafts_survive_a_restart_and_reopen_with_the_conversation(
    shop: Shop, store_path: Path
) -> None:
    plan = shop.replies.plan(shop.conversation_id, ReplyKind.REPLY)
    shop.replies.save_draft(plan, "نیمه")
    plan = shop.replies.save_draft(plan, "نیمه‌کاره")
    again = RepliesService(Services(store_path, shop.services.config))
    reopened = again.plan(shop.conversation_id, ReplyKind.REPLY)
    assert reopened.body == "نیمه‌کاره" and reopened.draft_id == plan.draft_id
    assert shop.db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 1
    again.send(reopened, reopened.body)
    assert shop.db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0
