"""``csconsole sync`` from the command line, against a real Dovecot."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from csconsole.cli import app
from csconsole.store.db import open_store
from tests.servers.dovecot import DovecotServer
from tests.sync.helpers import mail


def _write_config(
    server: DovecotServer, user: tuple[str, str], tmp_path: Path, *, folders: str = '["INBOX"]'
) -> None:
    secret = tmp_path / "secret"
    secret.write_text(user[1] + "\n")
    config = Path(os.environ["CSCONSOLE_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f"""
[[accounts]]
name = "support"
email = "support@shop.example"
sent_folder = "Sent"
folders = {folders}

[accounts.imap]
host = "127.0.0.1"
port = {server.port}
security = "plain"
username = "{user[0]}"
password_command = "cat {secret}"
timeout = 10
"""
    )


def test_sync_once_prints_progress_and_a_summary(dovecot: DovecotServer, tmp_path: Path) -> None:
    user = dovecot.new_user()
    dovecot.append_many(user, [mail(f"Question {i}") for i in range(3)])
    _write_config(dovecot, user, tmp_path)
    result = CliRunner().invoke(app, ["sync", "--once"])
    assert result.exit_code == 0, result.output
    assert "support (imap): 3 new" in result.output
    assert "[" in result.output and "3/3" in result.output  # the progress bar line

    again = CliRunner().invoke(app, ["sync", "--account", "support", "--json"])
    assert again.exit_code == 0, again.output
    summary = json.loads(again.output)
    assert summary == [
        {
            "id": "support",
            "kind": "imap",
            "new": 0,
            "changed": 0,
            "removed": 0,
            "warnings": 0,
            "error": None,
            "folder_errors": {},
        }
    ]
    db = open_store(Path(os.environ["CSCONSOLE_DATA_DIR"]) / "store.sqlite")
    try:
        assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 3
        assert db.execute("SELECT sync_state FROM accounts").fetchone()[0] == "idle"
    finally:
        db.close()


def test_a_folder_that_fails_shows_in_the_summary_and_the_others_still_sync(
    dovecot: DovecotServer, tmp_path: Path
) -> None:
    user = dovecot.new_user()
    dovecot.append_many(user, [mail("In the inbox")])
    dovecot.append_many(user, [mail("About an order")], folder="Orders")
    _write_config(dovecot, user, tmp_path, folders='["INBOX", "Missing", "Orders"]')
    result = CliRunner().invoke(app, ["sync", "--once"])
    assert result.exit_code == 1, result.output
    assert "support/Missing: error:" in result.output  # as the progress shows it
    assert "support (imap): 2 new" in result.output
    assert "1 folder(s) failed" in result.output
    assert "  Missing: error:" in result.output  # the summary names the folder

    again = CliRunner().invoke(app, ["sync", "--json", "--quiet"])
    summary = json.loads(again.output)
    assert list(summary[0]["folder_errors"]) == ["Missing"] and summary[0]["error"] is None
    db = open_store(Path(os.environ["CSCONSOLE_DATA_DIR"]) / "store.sqlite")
    try:
        subjects = {r[0] for r in db.execute("SELECT subject FROM messages").fetchall()}
        assert subjects == {"In the inbox", "About an order"}
        state, error = db.execute("SELECT sync_state, last_error FROM accounts").fetchone()
        assert state == "partial" and error.startswith("Missing: ")
    finally:
        db.close()


def test_sync_reports_a_wrong_password_and_exits_non_zero(
    dovecot: DovecotServer, tmp_path: Path
) -> None:
    user = dovecot.new_user()
    _write_config(dovecot, (user[0], "wrong"), tmp_path)
    result = CliRunner().invoke(app, ["sync", "--once"])
    assert result.exit_code == 1
    assert "login failed" in result.output


def test_sync_names_an_unknown_account(tmp_path: Path, dovecot: DovecotServer) -> None:
    _write_config(dovecot, dovecot.new_user(), tmp_path)
    result = CliRunner().invoke(app, ["sync", "--account", "nope"])
    assert result.exit_code == 2
    assert "nope" in result.output


def test_a_message_the_server_cannot_read_never_blocks_its_folder(
    dovecot: DovecotServer, tmp_path: Path
) -> None:
    user = dovecot.new_user()
    dovecot.append_many(user, [mail("In the inbox")])
    orders = [mail(f"Readable {n}") for n in range(80)]  # two batches, newest first
    orders.insert(7, mail("Damaged"))
    dovecot.append_many(user, orders, folder="Orders")
    dovecot.append_many(user, [mail("In a later folder")], folder="Later")
    maildir = dovecot.root / "home" / user[0] / "Maildir" / ".Orders"
    [damaged] = [p for p in sorted((maildir / "new").iterdir()) if b"Damaged" in p.read_bytes()]
    damaged.chmod(0)  # Dovecot hits an internal error on FETCH and ends the session (BYE)
    _write_config(dovecot, user, tmp_path, folders='["INBOX", "Orders", "Later"]')
    try:
        result = CliRunner().invoke(app, ["sync", "--once"])
    finally:  # Dovecot may have moved it from new/ to cur/ meanwhile
        for path in maildir.glob(f"*/{damaged.name.split(':')[0]}*"):
            path.chmod(0o600)
    assert result.exit_code == 1, result.output
    assert "  Orders: error: the server could not hand over 1 message (UID 8)" in result.output
    db = open_store(Path(os.environ["CSCONSOLE_DATA_DIR"]) / "store.sqlite")
    try:
        subjects = {r[0] for r in db.execute("SELECT subject FROM messages").fetchall()}
        # The damaged message's batch was split until only it was left out.
        readable = {f"Readable {n}" for n in range(80)}
        assert subjects == {"In the inbox", "In a later folder"} | readable
        state, error = db.execute("SELECT sync_state, last_error FROM accounts").fetchone()
        assert state == "partial" and "UID 8" in error
    finally:
        db.close()

    again = CliRunner().invoke(app, ["sync", "--once"])  # readable again: the next pass has it
    assert again.exit_code == 0, again.output
    db = open_store(Path(os.environ["CSCONSOLE_DATA_DIR"]) / "store.sqlite")
    try:
        subjects = {r[0] for r in db.execute("SELECT subject FROM messages").fetchall()}
        assert subjects == {"In the inbox", "Damaged", "In a later folder"} | readable
        assert db.execute("SELECT sync_state FROM accounts").fetchone()[0] == "idle"
    finally:
        db.close()
