"""Telegram: getUpdates into conversations, offset commit, business chats, files, sending."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlite_utils import Database

from csconsole.sources.http_client import AuthError, ClientError, MalformedResponseError
from csconsole.sources.telegram import TelegramClient, TelegramConflictError
from csconsole.store import inbox
from csconsole.store.cursors import get_cursor
from csconsole.store.inbox import ensure_account
from csconsole.sync import telegram_sync
from csconsole.sync.telegram_sync import OFFSET, reply_target, sync_telegram
from tests.servers.fake_http import Reply
from tests.servers.fake_telegram import CONFLICT, FakeTelegram, fixture_updates, tg_error
from tests.shops.conftest import Sleeps

TOKEN = "123456:TEST-token"
OPEN: list[TelegramClient] = []


@pytest.fixture(autouse=True)
def close_clients() -> Iterator[None]:
    yield
    while OPEN:
        OPEN.pop().close()


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(fixture_updates())
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def bot(fresh_store: Database) -> int:
    with fresh_store.atomic():
        return ensure_account(fresh_store, "bot", "telegram")


def client_for(fake: FakeTelegram, sleeps: Sleeps, token: str = TOKEN) -> TelegramClient:
    client = TelegramClient(token=token, api_url=fake.url, poll_timeout=0, sleep=sleeps)
    OPEN.append(client)
    return client


def rows(db: Database, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in db.execute(sql, list(params)).fetchall()]


def test_private_and_business_chats_become_conversations(
    fresh_store: Database, bot: int, telegram: FakeTelegram, sleeps: Sleeps
) -> None:
    result = sync_telegram(fresh_store, bot, client_for(telegram, sleeps))

    assert (result.updates, result.messages, result.offset) == (6, 5, 106)
    assert rows(
        fresh_store,
        "SELECT external_id, channel, subject, message_count FROM conversations ORDER BY id",
    ) == [
        ("111", "telegram", "مریم کریمی", 2),
        ("222", "telegram", "نورة", 1),
        ("333", "telegram", "Sara", 2),
    ]
    assert rows(
        fresh_store,
        "SELECT direction, from_name, body_text FROM messages "
        "WHERE external_id LIKE '333:%' ORDER BY sent_at",
    ) == [
        ("in", "Sara", "Hi! Is order #1002 shipped yet?"),
        ("out", "Shop owner", "Let me check for you."),
    ]
    assert rows(fresh_store, "SELECT kind, value FROM customer_contacts ORDER BY value") == [
        ("telegram", "111"),
        ("telegram", "222"),
        ("telegram", "333"),
    ]
    assert get_cursor(fresh_store, bot, OFFSET) == "106"
    sent = telegram.requests_to("/getUpdates")[0].json()
    assert "offset" not in sent and "business_message" in sent["allowed_updates"]


def test_business_chat_replies_through_the_owners_connection(
    fresh_store: Database, bot: int, telegram: FakeTelegram, sleeps: Sleeps
) -> None:
    sync_telegram(fresh_store, bot, client_for(telegram, sleeps))
    sara = fresh_store.execute("SELECT id FROM conversations WHERE external_id = '333'").fetchone()
    maryam = fresh_store.execute(
        "SELECT id FROM conversations WHERE external_id = '111'"
    ).fetchone()
    assert reply_target(fresh_store, sara[0]) == ("333", "bc-42")
    assert reply_target(fresh_store, maryam[0]) == ("111", None)


def test_next_poll_confirms_with_the_stored_offset_and_imports_nothing_twice(
    fresh_store: Database, bot: int, telegram: FakeTelegram, sleeps: Sleeps
) -> None:
    sync_telegram(fresh_store, bot, client_for(telegram, sleeps))
    telegram.push(
        {
            "message": {
                "message_id": 13,
                "date": 1795610000,
                "from": {"id": 111, "first_name": "مریم"},
                "chat": {"id": 111, "first_name": "مریم", "type": "private"},
                "text": "ممنون",
            }
        }
    )

    # a restarted program: a new client, the same store
    result = sync_telegram(fresh_store, bot, client_for(telegram, sleeps))

    assert telegram.requests_to("/getUpdates")[-1].json()["offset"] == 106
    assert (result.updates, result.messages, result.offset) == (1, 1, 107)
    assert rows(fresh_store, "SELECT count(*) FROM messages") == [(6,)]


def test_a_crash_before_commit_keeps_offset_and_rereads_the_batch(
    fresh_store: Database,
    bot: int,
    telegram: FakeTelegram,
    sleeps: Sleeps,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = {"n": 0}
    real_add = inbox.add_message

    def failing_add(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real_add(*args, **kwargs)

    monkeypatch.setattr(telegram_sync, "add_message", failing_add)
    with pytest.raises(OSError):
        sync_telegram(fresh_store, bot, client_for(telegram, sleeps))
    assert get_cursor(fresh_store, bot, OFFSET) is None
    assert rows(fresh_store, "SELECT count(*) FROM messages") == [(0,)]

    monkeypatch.setattr(telegram_sync, "add_message", real_add)
    sync_telegram(fresh_store, bot, client_for(telegram, sleeps))
    assert rows(fresh_store, "SELECT count(*) FROM messages") == [(5,)]


def test_attachments_are_listed_and_downloaded_only_on_request(
    fresh_store: Database, bot: int, telegram: FakeTelegram, sleeps: Sleeps
) -> None:
    client = client_for(telegram, sleeps)
    sync_telegram(fresh_store, bot, client)

    assert rows(
        fresh_store,
        "SELECT part, filename, content_type, size, content IS NULL FROM attachments ORDER BY id",
    ) == [
        ("AgACAgQAAxkBAAIBX2large", "photo-AQADlg.jpg", "image/jpeg", 81234, 1),
        ("BQACAgQAAxkBAAIBY2doc", "فاتورة.pdf", "application/pdf", 20480, 1),
    ]
    assert not telegram.requests_to("/getFile")

    telegram.files["documents/BQACAgQAAxkBAAIBY2doc.bin"] = b"%PDF-1.7 invoice"
    assert client.fetch_file("BQACAgQAAxkBAAIBY2doc") == b"%PDF-1.7 invoice"
    assert telegram.requests[-1].path.endswith("/documents/BQACAgQAAxkBAAIBY2doc.bin")


def test_send_message_body_and_long_text_split(telegram: FakeTelegram, sleeps: Sleeps) -> None:
    client = client_for(telegram, sleeps)
    first = client.send_message(
        333, "سلام! ارسال شد.", reply_to_message_id=55, business_connection_id="bc-42"
    )
    assert telegram.sent[0] == {
        "chat_id": 333,
        "text": "سلام! ارسال شد.",
        "reply_parameters": {"message_id": 55, "allow_sending_without_reply": True},
        "business_connection_id": "bc-42",
    }
    assert first == 1001

    client.send_message("111", "ا" * 5000)
    assert [len(m["text"]) for m in telegram.sent[1:]] == [4096, 904]


def test_send_refused_shows_telegrams_description(telegram: FakeTelegram, sleeps: Sleeps) -> None:
    telegram.fail_next(tg_error(403, "Forbidden: bot was blocked by the user"))
    with pytest.raises(ClientError, match="bot was blocked by the user"):
        client_for(telegram, sleeps).send_message(111, "hello")


def test_flood_limit_waits_retry_after(telegram: FakeTelegram, sleeps: Sleeps) -> None:
    telegram.fail_next(tg_error(429, "Too Many Requests: retry after 3", retry_after=3))
    client_for(telegram, sleeps).send_message(111, "hello")
    assert sleeps == [3.0] and len(telegram.sent) == 1


def test_second_poller_conflict_is_reported_and_cursor_kept(
    fresh_store: Database, bot: int, telegram: FakeTelegram, sleeps: Sleeps
) -> None:
    telegram.fail_next(tg_error(409, CONFLICT))
    with pytest.raises(TelegramConflictError, match="another program is reading"):
        sync_telegram(fresh_store, bot, client_for(telegram, sleeps))
    assert get_cursor(fresh_store, bot, OFFSET) is None
    assert rows(fresh_store, "SELECT sync_state FROM accounts WHERE id = ?", bot) == [("error",)]


def test_malformed_answer_keeps_cursor(
    fresh_store: Database, bot: int, telegram: FakeTelegram, sleeps: Sleeps
) -> None:
    sync_telegram(fresh_store, bot, client_for(telegram, sleeps))
    telegram.fail_next(Reply(200, b'{"ok": true, "result": [{"update_id": 1'))
    with pytest.raises(MalformedResponseError):
        sync_telegram(fresh_store, bot, client_for(telegram, sleeps))
    assert get_cursor(fresh_store, bot, OFFSET) == "106"


def test_wrong_token_is_an_auth_error(telegram: FakeTelegram, sleeps: Sleeps) -> None:
    with pytest.raises(AuthError, match=r"credentials refused.*Unauthorized"):
        client_for(telegram, sleeps, token="1:wrong").get_updates(None, timeout=0)


def test_long_poll_returns_when_an_update_arrives(telegram: FakeTelegram, sleeps: Sleeps) -> None:
    client = client_for(telegram, sleeps)
    client.get_updates(106, timeout=0)  # confirms the fixtures: nothing pending now
    telegram.max_wait = 5.0
    timer = threading.Timer(
        0.1,
        telegram.push,
        [
            {
                "message": {
                    "message_id": 1,
                    "date": 1,
                    "from": {"id": 5},
                    "chat": {"id": 5, "type": "private"},
                    "text": "hi",
                }
            }
        ],
    )
    timer.start()
    updates = client.get_updates(106, timeout=5)
    timer.join()
    assert [u["update_id"] for u in updates] == [106]
