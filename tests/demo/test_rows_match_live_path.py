"""The bulk loader's cached conversation columns equal what ``store.inbox.add_message`` makes.

Each generated thread is replayed message by message through the live write path
(status changes as an agent makes them), with the clock fixed at the build time, and
compared with the row the demo loader wrote for the same thread.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from csconsole.domain.sla import SlaPolicies
from csconsole.sources.demo import SITUATIONS, generate
from csconsole.sources.demo_records import DEMO_ACCOUNTS, StatusChange
from csconsole.store import inbox
from csconsole.store.db import open_store
from csconsole.sync.demo_load import build_demo_store
from tests.demo.conftest import NOW, NOW_TEXT

_CACHED = (
    "status, snooze_until, unread, message_count, preview, updated_at, last_message_at, "
    "last_inbound_at, last_outbound_at, first_response_at, awaiting_since, sla_due_at"
)


def test_cached_columns_match_the_live_write_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = 70
    demo_path = tmp_path / "demo.sqlite"
    build_demo_store(demo_path, size=size, seed=11, now=NOW)
    monkeypatch.setattr(inbox, "now_iso", lambda: NOW_TEXT)
    live = open_store(tmp_path / "live.sqlite")
    loaded = open_store(demo_path)
    sla = SlaPolicies()
    accounts = {
        a.name: inbox.ensure_account(live, a.name, a.kind, address=a.address) for a in DEMO_ACCOUNTS
    }
    seen_situations: set[str] = set()
    for batch in generate(size, seed=11, now=NOW):
        for conv in batch.conversations:
            seen_situations.add(conv.situation)
            with live.atomic():
                conv_id = inbox.create_conversation(
                    live,
                    channel=conv.channel,
                    account_id=accounts[conv.account],
                    customer_id=None,
                    subject=conv.subject,
                    created_at=conv.created_at,
                )
                for step in conv.steps:
                    if isinstance(step, StatusChange):
                        live.execute(
                            "UPDATE conversations SET status = ?, snooze_until = ? WHERE id = ?",
                            [step.status.value, step.snooze_until, conv_id],
                        )
                    else:
                        added = inbox.add_message(
                            live, conv_id, step, account_id=accounts[conv.account], sla=sla
                        )
                        assert added is not None
                if not conv.steps or isinstance(conv.steps[-1], StatusChange):
                    live.execute(
                        "UPDATE conversations SET updated_at = ? WHERE id = ?", [NOW_TEXT, conv_id]
                    )
            expected = live.execute(
                f"SELECT {_CACHED} FROM conversations WHERE id = ?", [conv_id]
            ).fetchone()
            got = loaded.execute(
                f"SELECT {_CACHED} FROM conversations WHERE id = ?", [conv.key]
            ).fetchone()
            assert got == expected, (conv.key, conv.situation, conv.story)
    assert seen_situations == set(SITUATIONS)
    live.close()
    loaded.close()
