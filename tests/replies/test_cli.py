"""The reply, outbox and canned commands, run as a script would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csconsole.cli import app
from csconsole.store.db import open_store
from tests.replies.conftest import seed_conversation
from tests.servers.smtp import SmtpServer


@pytest.fixture
def configured(tmp_path: Path, store_path: Path, smtp_server: SmtpServer) -> int:
    config = Path(os.environ["CSCONSOLE_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f"""
[[accounts]]
name = "support"
email = "support@shop.example"
display_name = "Shop Support"
save_sent = "never"
[accounts.imap]
host = "127.0.0.1"
port = 1
security = "plain"
password_command = "echo imap-secret"
[accounts.smtp]
host = "127.0.0.1"
port = {smtp_server.port}
security = "plain"
username = "shop"
password_command = "echo smtp-secret"
[replies]
undo_seconds = 0
agent_name = "Mina"
""",
        encoding="utf-8",
    )
    db = open_store(store_path)
    conversation_id = seed_conversation(db, "support")
    db.close()
    return conversation_id


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_reply_with_canned_sends_the_persian_variant(
    configured: int, store_path: Path, smtp_server: SmtpServer
) -> None:
    code, out, err = run(
        "reply", str(configured), "--canned", "wism", "--send", "--store", str(store_path)
    )
    assert code == 0, err
    assert "sent" in out
    (arrival,) = smtp_server.wait_for(1)
    text = arrival.message.get_content()
    assert "سفارش شماره‌ی ۱۰۰۱ با Post در راه است" in text
    assert "https://track.example/IR123456789" in text
    code, out, _ = run("outbox", "list", "--json", "--store", str(store_path))
    rows = json.loads(out)
    assert [(r["state"], r["recipients"]) for r in rows] == [("sent", ["sara@example.org"])]
    status = open_store(store_path).execute("SELECT status FROM conversations").fetchone()[0]
    assert status == "pending"  # the macro's action applied on send


def test_reply_without_send_previews_and_keeps_a_draft(
    configured: int, store_path: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    body = tmp_path / "body.txt"
    body.write_text("Thanks, checking now.", encoding="utf-8")
    code, out, err = run(
        "reply", str(configured), "--body-file", str(body), "--store", str(store_path)
    )
    assert code == 0, err
    assert "Subject: Re: سفارش ۱۰۰۱" in out and "Thanks, checking now." in out
    assert smtp_server.arrivals == []
    draft = open_store(store_path).execute("SELECT body FROM drafts").fetchone()[0]
    assert draft == "Thanks, checking now."


def test_missing_variable_is_refused_unless_a_fallback_is_given(
    configured: int, store_path: Path, smtp_server: SmtpServer
) -> None:
    db = open_store(store_path)
    with db.atomic():
        db.execute("DELETE FROM conversation_orders")
    db.close()
    code, _, err = run(
        "reply", str(configured), "--canned", "track", "--send", "--store", str(store_path)
    )
    assert code == 1
    assert "order.number" in err and "tracking.number" in err
    assert smtp_server.arrivals == []
    code, _, err = run(
        "reply",
        str(configured),
        "--canned",
        "refundreq",
        "--send",
        "--store",
        str(store_path),
        "--fallback",
        "order.number=۱۰۰۱",
        "--fallback",
        "order.total=۱۲۵ هزار تومان",
    )
    assert code == 0, err
    assert "۱۲۵ هزار تومان" in smtp_server.wait_for(1)[0].message.get_content()


def test_failed_reply_is_listed_and_can_be_retried(
    configured: int, store_path: Path, smtp_server: SmtpServer
) -> None:
    smtp_server.mode = "perm"
    code, _, err = run(
        "reply", str(configured), "--canned", "thanks", "--send", "--store", str(store_path)
    )
    assert code == 2 and "550" in err
    code, out, _ = run("outbox", "list", "--state", "failed", "--json", "--store", str(store_path))
    (row,) = json.loads(out)
    assert "550" in row["last_error"]
    smtp_server.mode = "ok"
    assert run("outbox", "retry", str(row["id"]), "--store", str(store_path))[0] == 0
    code, out, _ = run("outbox", "flush", "--store", str(store_path))
    assert "sent" in out and len(smtp_server.wait_for(1)) == 1


def test_canned_commands(tmp_path: Path) -> None:
    code, out, _ = run("canned", "list", "--json", "--store", str(tmp_path / "s.sqlite"))
    assert code == 0
    rows = json.loads(out)
    assert len(rows) >= 20 and all({"en", "ar", "fa"} <= set(r["languages"]) for r in rows)
    assert run("canned", "check", "--store", str(tmp_path / "s.sqlite"))[0] == 0
    code, out, _ = run(
        "canned",
        "new",
        "returns/late",
        "--title",
        "Late return",
        "--store",
        str(tmp_path / "s.sqlite"),
    )
    assert code == 0 and Path(out.strip()).exists()
    broken = Path(out.strip()).parent / "broken.toml"
    broken.write_text('[[response]]\nid = "x"\ntitle = "X"\nbody.en = "{{ a.__class__ }}"\n')
    code, _, err = run("canned", "check", "--store", str(tmp_path / "s.sqlite"))
    assert code == 1
    assert "broken.toml: response[1].body.en" in err


def test_reply_commands_do_not_load_textual() -> None:
    code = (
        "import sys; from csconsole.cli import app; import csconsole.cli.reply_commands; "
        "import csconsole.services.replies; assert 'textual' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_new_message_needs_a_subject_and_goes_out_with_it(
    configured: int, store_path: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    body = tmp_path / "body.txt"
    body.write_text("Your refund of 120.00 was sent to your card today.", encoding="utf-8")
    args = ["reply", str(configured), "--kind", "new", "--body-file", str(body)]
    code, _, err = run(*args, "--send", "--store", str(store_path))
    assert code == 1 and "a new message needs a subject" in err
    assert smtp_server.arrivals == []

    code, _, err = run(*args, "--subject", "Refund sent", "--send", "--store", str(store_path))
    assert code == 0, err
    (arrival,) = smtp_server.wait_for(1)
    assert arrival.message["Subject"] == "Refund sent"
    assert arrival.message["In-Reply-To"] is None  # a new thread, not a reply
    assert arrival.message.get_content().startswith("Your refund of 120.00")
