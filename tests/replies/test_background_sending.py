"""Replies leave on their own while the console or `csconsole sync --watch` runs."""

from __future__ import annotations

import threading
import time

from csconsole.domain.models import OutboxState
from csconsole.services import sync_watch
from tests.replies.conftest import Shop
from tests.servers.smtp import SmtpServer


def test_the_watch_loop_sends_a_queued_reply_once(shop: Shop, smtp_server: SmtpServer) -> None:
    plan = shop.replies.plan(shop.conversation_id)
    queued = shop.replies.send(plan, "Your parcel left today.")
    assert queued.outbox_id is not None
    stop = threading.Event()
    # Only the outbox matters here: the account's IMAP side points at a closed port.
    watcher = threading.Thread(
        target=sync_watch.watch, args=(shop.services.store_path, shop.services.config, stop)
    )
    watcher.start()
    try:
        (arrival,) = smtp_server.wait_for(1)
        deadline = time.monotonic() + 10
        while True:
            item = shop.replies.outbox.get(queued.outbox_id)
            if item is not None and item.state is OutboxState.SENT:
                break
            assert time.monotonic() < deadline, "the reply was delivered but never marked sent"
            time.sleep(0.1)
    finally:
        stop.set()
        watcher.join(timeout=30)
    assert not watcher.is_alive()
    assert "Your parcel left today." in arrival.message.get_body().get_content()
    assert len(smtp_server.wait_for(1)) == 1, "sent exactly once"
