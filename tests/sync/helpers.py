"""Building accounts and mail for the sync tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from sqlite_utils import Database

from csconsole.config import AccountConfig, ServerConfig
from csconsole.sources.imap_connection import open_imap
from csconsole.store.inbox import ensure_account
from csconsole.sync.imap_sync import FolderReport, ImapAccountSync
from tests.servers.dovecot import DovecotServer
from tests.servers.proxy import ThrottlingProxy

SHOP = "support@shop.example"


def account_for(
    server: DovecotServer, user: tuple[str, str], *, port: int | None = None, **changes: object
) -> AccountConfig:
    """An account config pointing at a test server (plaintext is fine on loopback)."""
    imap = ServerConfig(
        host="127.0.0.1", port=port or server.port, security="plain", username=user[0], timeout=10
    )
    account = AccountConfig(name=f"acct-{user[0]}", email=SHOP, imap=imap)
    return replace(account, **changes)  # type: ignore[arg-type]


def sync(db: Database, account: AccountConfig, password: str) -> list[FolderReport]:
    """One full sync of the account, as ``csconsole sync --once`` does it."""
    client = open_imap(account.imap, password)
    try:
        account_id = ensure_account(db, account.name, "imap", address=account.email)
        return ImapAccountSync(db, account, client, account_id=account_id).run()
    finally:
        client.close_now()


def mail(
    subject: str,
    body: str = "Hello",
    *,
    sender: str = "Customer <customer@example.com>",
    to: str = SHOP,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    when: datetime | None = None,
    html: str | None = None,
    attachment: bytes | None = None,
) -> bytes:
    """An RFC 5322 message as bytes."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.com")
    message["Date"] = format_datetime(when or datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        message.add_attachment(
            attachment, maintype="application", subtype="pdf", filename="invoice.pdf"
        )
    return bytes(message)


def day(n: int) -> datetime:
    """A fixed instant n hours after a fixed start, so ordering is deterministic."""
    return datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=n)


def rows(db: Database, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    """Query helper."""
    return [tuple(r) for r in db.execute(sql, params or []).fetchall()]


_CHILD = """
import sys
from csconsole.store.db import open_store
from csconsole.config import AccountConfig, ServerConfig
imap = ServerConfig(host="127.0.0.1", port=int(sys.argv[2]), security="plain",
                    username=sys.argv[3], timeout=10)
account = AccountConfig(name="kill", email="support@shop.example", imap=imap, sent_folder="Sent")
db = open_store(sys.argv[1])
from csconsole.sources.imap_connection import open_imap
from csconsole.store.inbox import ensure_account
from csconsole.sync.imap_sync import ImapAccountSync
client = open_imap(imap, sys.argv[4])
aid = ensure_account(db, "kill", "imap")
def tick(p):
    if p.done:
        print(p.done, flush=True)
ImapAccountSync(db, account, client, account_id=aid, progress=tick).run()
"""


def sync_then_kill(server: DovecotServer, user: tuple[str, str], store: Path) -> None:
    """Sync account "kill" in a child process over a slow link; kill -9 it once a
    batch has committed."""
    root = Path(__file__).resolve().parents[2]
    with ThrottlingProxy((server.host, server.port), rate=100_000) as proxy:
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(store), str(proxy.port), *user],
            stdout=subprocess.PIPE,
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        assert child.stdout is not None
        child.stdout.readline()  # at least one batch committed
        time.sleep(0.1)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
