"""What reaches the customer through a real SMTP server, and what the outbox shows."""

from __future__ import annotations

from csconsole.domain.models import OutboxState
from csconsole.domain.outgoing import ReplyKind
from tests.replies.conftest import Shop, past
from tests.servers.smtp import SmtpServer


def _send(shop: Shop, body: str = "سفارش شما دیروز ارسال شد.", **options: object) -> int:
    plan = shop.replies.plan(shop.conversation_id)
    queued = shop.replies.send(plan, body, **options)  # type: ignore[arg-type]
    assert queued.outbox_id is not None
    return queued.outbox_id


def test_reply_arrives_threaded_in_utf8_with_language_signature_and_quote(
    shop: Shop, smtp_server: SmtpServer
) -> None:
    outbox_id = _send(shop)
    reports = shop.replies.outbox.drain()
    assert [r.outcome for r in reports] == ["sent"]
    (arrival,) = smtp_server.wait_for(1)
    message = arrival.message
    assert arrival.recipients == ["sara@example.org"]
    assert message["From"].addresses[0].addr_spec == "support@shop.example"
    assert message["Subject"] == "Re: سفارش ۱۰۰۱"
    assert message["In-Reply-To"] == "<q1@example.org>"
    assert message["References"] == "<root@example.org> <q1@example.org>"
    assert message["Content-Language"] == "fa"
    assert message.get_content_charset() == "utf-8"
    text = message.get_content().replace("\r\n", "\n")  # canonical CRLF on the wire
    assert text.startswith("سفارش شما دیروز ارسال شد.")
    assert "-- \nپشتیبانی فروشگاه" in text  # the Persian signature, not the English one
    assert "> سلام، سفارش من کجاست؟" in text
    item = shop.replies.outbox.get(outbox_id)
    assert item is not None and item.state is OutboxState.SENT
    stored = shop.db.execute(
        "SELECT direction, message_id, author FROM messages WHERE conversation_id = ? "
        "ORDER BY id DESC LIMIT 1",
        [shop.conversation_id],
    ).fetchone()
    assert stored == ("out", message["Message-ID"].strip("<>"), "Mina Karimi")


def test_reply_subject_is_not_stacked(shop: Shop, smtp_server: SmtpServer) -> None:
    shop.db.execute("UPDATE messages SET subject = 'RE: Re: سفارش ۱۰۰۱'")
    shop.db.conn.commit()
    assert shop.replies.plan(shop.conversation_id).subject == "Re: سفارش ۱۰۰۱"


def test_temporary_failure_waits_and_is_sent_once_later(
    shop: Shop, smtp_server: SmtpServer
) -> None:
    smtp_server.mode = "temp"
    outbox_id = _send(shop)
    assert [r.outcome for r in shop.replies.outbox.drain()] == ["retry"]
    item = shop.replies.outbox.get(outbox_id)
    assert item is not None and item.state is OutboxState.QUEUED
    assert item.last_error and "451" in item.last_error
    assert item.next_attempt_at and item.next_attempt_at > past(0)
    assert shop.replies.outbox.drain() == []  # not due yet: no hammering
    smtp_server.mode = "ok"
    with shop.db.atomic():
        shop.db.execute("UPDATE outbox SET next_attempt_at = ? WHERE id = ?", [past(), outbox_id])
    assert [r.outcome for r in shop.replies.outbox.drain()] == ["sent"]
    assert len(smtp_server.wait_for(1)) == 1


def test_permanent_failure_is_visible_and_retryable(shop: Shop, smtp_server: SmtpServer) -> None:
    smtp_server.mode = "perm"
    outbox_id = _send(shop)
    assert [r.outcome for r in shop.replies.outbox.drain()] == ["failed"]
    item = shop.replies.outbox.get(outbox_id)
    assert item is not None and item.state is OutboxState.FAILED
    assert item.last_error and "550" in item.last_error
    assert shop.replies.outbox.drain() == []  # failed rows wait for a human
    smtp_server.mode = "ok"
    assert shop.replies.outbox.retry(outbox_id)
    assert [r.outcome for r in shop.replies.outbox.drain()] == ["sent"]


def test_offline_replies_queue_until_the_server_is_back(
    shop: Shop, smtp_server: SmtpServer
) -> None:
    outbox_id = _send(shop)
    with shop.db.atomic():  # the server is unreachable: point at a closed port
        shop.db.execute("UPDATE accounts SET name = name")
    from dataclasses import replace

    from csconsole.config import Config

    down = replace(shop.account, smtp=replace(shop.account.smtp, port=9))  # type: ignore[arg-type]
    shop.services.config = Config(accounts=(down,), replies=shop.services.config.replies)
    (report,) = shop.replies.outbox.drain()
    assert report.outcome == "retry"
    item = shop.replies.outbox.get(outbox_id)
    assert item is not None and item.state is OutboxState.QUEUED and item.last_error
    shop.services.config = Config(accounts=(shop.account,), replies=shop.services.config.replies)
    with shop.db.atomic():
        shop.db.execute("UPDATE outbox SET next_attempt_at = ? WHERE id = ?", [past(), outbox_id])
    assert [r.outcome for r in shop.replies.outbox.drain()] == ["sent"]
    assert len(smtp_server.wait_for(1)) == 1


def test_undo_within_the_window_sends_nothing_and_restores_the_draft(
    shop: Shop, smtp_server: SmtpServer
) -> None:
    outbox_id = _send(shop, "یک پاسخ عجولانه", undo_seconds=30)
    assert shop.replies.outbox.drain() == []  # still inside the undo window
    assert shop.replies.undo(outbox_id)
    item = shop.replies.outbox.get(outbox_id)
    assert item is not None and item.state is OutboxState.CANCELLED
    assert shop.replies.plan(shop.conversation_id).body == "یک پاسخ عجولانه"
    with shop.db.atomic():
        shop.db.execute("UPDATE outbox SET send_after = ? WHERE id = ?", [past(), outbox_id])
    assert shop.replies.outbox.drain() == []
    assert smtp_server.arrivals == []


def test_connection_dropped_after_data_is_a_temporary_error(
    shop: Shop, smtp_server: SmtpServer
) -> None:
    smtp_server.mode = "die_after_data"
    outbox_id = _send(shop)
    assert [r.outcome for r in shop.replies.outbox.drain()] == ["retry"]
    item = shop.replies.outbox.get(outbox_id)
    assert item is not None and item.state is OutboxState.QUEUED
    assert item.last_error and "closed the connection" in item.last_error


def test_internal_note_is_stored_and_never_sent(shop: Shop, smtp_server: SmtpServer) -> None:
    plan = shop.replies.plan(shop.conversation_id, ReplyKind.NOTE)
    queued = shop.replies.send(plan, "مشتری VIP است")
    assert queued.outbox_id is None and queued.note_id
    assert shop.replies.outbox.drain() == []
    assert smtp_server.arrivals == []
    row = shop.db.execute(
        "SELECT direction, body_text FROM messages WHERE id = ?", [queued.note_id]
    ).fetchone()
    assert row == ("note", "مشتری VIP است")


def test_reply_all_copies_the_other_recipients_but_not_us(
    shop: Shop, smtp_server: SmtpServer
) -> None:
    with shop.db.atomic():
        shop.db.execute(
            "UPDATE messages SET to_addrs = ?, cc_addrs = ? WHERE direction = 'in'",
            ['["support@shop.example", "ali@example.org"]', '["Support@Shop.example"]'],
        )
    plan = shop.replies.plan(shop.conversation_id, ReplyKind.REPLY_ALL)
    assert plan.to == ("sara@example.org",)
    assert plan.cc == ("ali@example.org",)
