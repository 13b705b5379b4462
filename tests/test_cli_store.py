"""`csconsole stats` and `csconsole search` print what scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database
from typer.testing import CliRunner

from csconsole.cli import app
from tests.store.builders import add_conversation

runner = CliRunner()


def test_stats_json_has_the_documented_shape(fresh_store: Database, store_path: Path) -> None:
    add_conversation(fresh_store, subject="Refund please", body="It broke", name="Ann")
    add_conversation(
        fresh_store, subject="سلام", body="کجاست؟", email="reza@example.test", channel="telegram"
    )
    fresh_store.execute(
        "INSERT INTO outbox(channel, message_id, send_after, created_at, updated_at, state) "
        "VALUES ('email', 'x@shop', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', "
        "'2026-01-01T00:00:00Z', 'queued')"
    )
    fresh_store.conn.commit()
    result = runner.invoke(app, ["stats", "--store", str(store_path), "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["conversations"] == 2
    assert stats["messages"] == 2
    assert stats["customers"] == 2
    assert stats["orders"] == 0
    assert stats["by_status"] == {"open": 2}
    assert stats["by_channel"] == {"email": 1, "telegram": 1}
    assert stats["outbox"] == {"queued": 1}
    assert stats["sources"]["shop"]["kind"] == "imap"
    assert stats["sources"]["shop"]["state"] == "idle"


def test_search_json_lists_conversations_with_stable_ids(
    fresh_store: Database, store_path: Path
) -> None:
    wanted = add_conversation(fresh_store, subject="Wrong size", body="Need a larger one")
    add_conversation(fresh_store, subject="Invoice", body="Please send the invoice")
    result = runner.invoke(app, ["search", "--store", str(store_path), "--json", "larger"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert [hit["id"] for hit in hits] == [wanted]
    assert {"id", "subject", "status", "channel", "customer", "updated_at"} <= set(hits[0])


def test_search_explains_a_bad_filter_and_a_missing_store(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.sqlite"
    result = runner.invoke(app, ["search", "--store", str(missing), "x"])
    assert result.exit_code == 1
    assert "csconsole demo" in result.output
    result = runner.invoke(app, ["search", "status:lost"])
    assert result.exit_code == 2
    assert "status: expects one of" in result.output


def test_hostile_subjects_are_printed_without_control_sequences(
    fresh_store: Database, store_path: Path
) -> None:
    add_conversation(fresh_store, subject="\x1b]52;c;ZXZpbA==\x07Refund \x1b[31mnow", body="refund")
    result = runner.invoke(app, ["search", "--store", str(store_path), "refund"])
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Refund now" in result.output
