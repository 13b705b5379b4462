"""Sent copies, \\Answered and exactly-once delivery after a crash, against real Dovecot."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from csconsole.domain.models import OutboxState
from csconsole.sources.sent_folder import server_saves_sent
from tests.replies.conftest import Shop, make_shop
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import Arrival, SmtpServer

pytestmark = pytest.mark.dovecot


@pytest.fixture
def mail_shop(store_path: Path, smtp_server: SmtpServer, dovecot: DovecotServer) -> Iterator[Shop]:
    arranged = make_shop(store_path, smtp_server, dovecot, save_sent="always")
    yield arranged
    arranged.services.close()
    arranged.db.close()


def _sent_ids(dovecot: DovecotServer, user: tuple[str, str]) -> list[str]:
    with dovecot.client(*user) as client:
        if not client.folder_exists("Sent"):
            return []
        client.select_folder("Sent", readonly=True)
        uids = client.search("ALL")
        fetched = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        return [
            data[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().split(":", 1)[1].strip()
            for data in fetched.values()
        ]


def test_reply_is_saved_to_sent_and_marks_the_original_answered(
    mail_shop: Shop, smtp_server: SmtpServer, dovecot: DovecotServer
) -> None:
    assert mail_shop.mail_user is not None
    plan = mail_shop.replies.plan(mail_shop.conversation_id)
    queued = mail_shop.replies.send(plan, "ارسال شد.")
    assert [r.outcome for r in mail_shop.replies.outbox.drain()] == ["sent"]
    assert len(smtp_server.wait_for(1)) == 1
    assert _sent_ids(dovecot, mail_shop.mail_user) == [f"<{queued.message_id}>"]
    with dovecot.client(*mail_shop.mail_user) as client:
        client.select_folder("INBOX", readonly=True)
        flags = next(iter(client.get_flags(client.search("ALL")).values()))
    assert b"\\Answered" in flags


def test_providers_that_file_sent_mail_themselves_get_no_second_copy() -> None:
    assert server_saves_sent("smtp.gmail.com", "auto")
    assert not server_saves_sent("mail.shop.example", "auto")
    assert not server_saves_sent("smtp.gmail.com", "always")
    assert server_saves_sent("mail.shop.example", "never")


_SENDER_SCRIPT = """
import json, sys
from csconsole.config import AccountConfig, ServerConfig
from csconsole.store.db import open_store
from csconsole.sync.sender import Sender
args = json.loads(sys.argv[1])
imap = ServerConfig(host="127.0.0.1", port=args["imap_port"], security="plain",
                    username=args["user"], timeout=10.0)
smtp = ServerConfig(host="127.0.0.1", port=args["smtp_port"], security="plain",
                    username="shop", timeout=60.0)
account = AccountConfig(name="support", email="support@shop.example", imap=imap, smtp=smtp,
                        save_sent="never")
passwords = {"imap": args["password"]}
sender = Sender(open_store(args["store"]), {"support": account},
                password_for=lambda server: args["password"] if server is imap else "")
print("draining", flush=True)
sender.drain()
"""


def test_sender_killed_mid_send_delivers_exactly_once(
    store_path: Path, smtp_server: SmtpServer, dovecot: DovecotServer
) -> None:
    """The server files a copy in Sent (as Gmail does) and hangs before answering DATA."""
    shop = make_shop(store_path, smtp_server, dovecot, save_sent="never")
    user = shop.mail_user
    assert user is not None

    def file_in_sent(arrival: Arrival) -> None:
        dovecot.append(user, arrival.raw, folder="Sent")

    smtp_server.on_message = file_in_sent
    smtp_server.mode = "hang_after_data"
    plan = shop.replies.plan(shop.conversation_id)
    queued = shop.replies.send(plan, "فقط یک بار")
    args = {
        "imap_port": dovecot.port,
        "smtp_port": smtp_server.port,
        "user": user[0],
        "password": user[1],
        "store": str(store_path),
    }
    child = subprocess.Popen(
        [sys.executable, "-c", _SENDER_SCRIPT, json.dumps(args)],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert len(smtp_server.wait_for(1, timeout=30)) == 1  # handed over, no answer yet
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    smtp_server.release()
    smtp_server.mode = "ok"
    item = shop.replies.outbox.get(queued.outbox_id or 0)
    assert item is not None and item.state is OutboxState.SENDING  # the crash checkpoint
    time.sleep(0.05)
    reports = shop.replies.outbox.drain(lease_seconds=0.0)
    assert [r.outcome for r in reports] == ["already_sent"]
    assert len(smtp_server.arrivals) == 1  # exactly one delivery
    item = shop.replies.outbox.get(queued.outbox_id or 0)
    assert item is not None and item.state is OutboxState.SENT
    out = shop.db.execute(
        "SELECT count(*) FROM messages WHERE direction = 'out' AND message_id = ?",
        [queued.message_id],
    ).fetchone()[0]
    assert out == 1
    shop.services.close()
    shop.db.close()


def test_recovered_row_missing_from_sent_is_sent_again_once(
    mail_shop: Shop, smtp_server: SmtpServer
) -> None:
    plan = mail_shop.replies.plan(mail_shop.conversation_id)
    queued = mail_shop.replies.send(plan, "دوباره")
    with mail_shop.db.atomic():  # a sender died before handing it over
        mail_shop.db.execute(
            "UPDATE outbox SET state = 'sending', attempts = 1 WHERE id = ?", [queued.outbox_id]
        )
    reports = mail_shop.replies.outbox.drain(lease_seconds=0.0)
    assert [r.outcome for r in reports] == ["sent"]
    assert len(smtp_server.wait_for(1)) == 1
