"""Running every configured source: once (``csconsole sync --once``) or continuously.

Sources are run by kind through ``RUNNERS``: each runner does one pass over one named
source in its own store connection and reports progress through a callback. Mail
accounts are built in; shop and chat pollers register their own kinds here.
The continuous loop, ``sync_watch.watch``, runs these same passes in one thread
per source.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sqlite_utils import Database

from csconsole.config import AccountConfig, Config
from csconsole.secrets import SecretError, server_secret
from csconsole.services.shop_runners import sync_shop_source, sync_telegram_channel
from csconsole.sources.imap_commands import ImapCommandError
from csconsole.sources.imap_connection import (
    CompressionFailed,
    CsImapClient,
    ImapConnectError,
    ImapSecurityError,
    compression_failed,
    open_imap,
)
from csconsole.sources.imap_idle import IdleLinkLost
from csconsole.store.db import open_store
from csconsole.store.disk import FULL_MESSAGE, is_disk_full
from csconsole.store.inbox import ensure_account, set_account_sync_state
from csconsole.sync.imap_sync import ImapAccountSync, SyncProgress

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncEvent:
    """Progress of one source, for a progress bar or a status line."""

    source: str
    # connect | select | changes | new | backfill | done | error | idle | flags; an error with a
    # folder is that folder's alone: the other folders of the source went on syncing.
    phase: str
    folder: str = ""
    done: int = 0
    total: int = 0
    message: str = ""


SyncCallback = Callable[[SyncEvent], None]


@dataclass
class SourceResult:
    """What one pass over one source did."""

    source: str
    kind: str
    new: int = 0
    changed: int = 0
    removed: int = 0
    warnings: int = 0
    error: str | None = None  # the whole pass failed (login, lost link, bad password)
    # Folders that failed while the others synced ({folder: why}), e.g. a SELECT refused.
    folder_errors: dict[str, str] = field(default_factory=dict)


class SourceRunner(Protocol):
    """One pass over the source called ``name`` of ``config``, writing into ``db``."""

    def __call__(
        self, db: Database, config: Config, name: str, progress: SyncCallback
    ) -> SourceResult: ...


@dataclass(frozen=True)
class SourceRef:
    """A configured source: its kind (a ``RUNNERS`` key), name and polling interval."""

    kind: str
    name: str
    poll_interval: float


NETWORK_ERRORS = (OSError, ImapConnectError, ImapCommandError, IdleLinkLost, CsImapClient.Error)


def account_named(config: Config, name: str) -> AccountConfig:
    for account in config.accounts:
        if account.name == name:
            return account
    raise KeyError(f"no mail account named {name!r} in the config")


def connect_account(account: AccountConfig) -> CsImapClient:
    """A logged-in session for a configured account (password fetched now)."""
    password = server_secret(account.imap, f'account "{account.name}" (imap)')
    return open_imap(account.imap, password)


def sync_imap_account(
    db: Database,
    config: Config,
    name: str,
    progress: SyncCallback,
    *,
    client: CsImapClient | None = None,
    replaced: Callable[[CsImapClient], None] | None = None,
) -> SourceResult:
    """One pass over every folder of a mail account; errors end up on the account row.

    With a ``client`` of the caller's, the pass may swap it for a new session when the
    server ends one over a folder; ``replaced`` hears of the new one (without it, such
    a pass ends as if the link was lost).
    """
    account = account_named(config, name)
    result = SourceResult(source=name, kind="imap")
    with db.atomic():
        account_id = ensure_account(db, name, "imap", address=account.email)
        set_account_sync_state(db, account_id, "syncing")
    progress(SyncEvent(name, "connect"))
    own_client = client is None
    session: list[CsImapClient] = []

    def reconnect() -> CsImapClient:
        fresh = connect_account(account)
        session[:] = [fresh]
        if replaced is not None:
            replaced(fresh)
        return fresh

    can_reconnect = own_client or replaced is not None
    try:
        session.append(client or connect_account(account))
        try:
            _one_pass(
                db,
                config,
                account,
                session[0],
                account_id,
                result,
                progress,
                reconnect if can_reconnect else None,
            )
        except CompressionFailed as error:
            compression_failed(account.imap, str(error))
            if not own_client:
                raise  # the caller owns the connection: it reconnects, uncompressed now
            session[0].close_now()
            session[:] = [connect_account(account)]
            _one_pass(db, config, account, session[0], account_id, result, progress, reconnect)
    except (SecretError, ImapSecurityError, *NETWORK_ERRORS) as error:
        result.error = str(error) or type(error).__name__
        with db.atomic():
            state = "error" if isinstance(error, (SecretError, ImapSecurityError)) else "offline"
            set_account_sync_state(db, account_id, state, error=result.error)
        progress(SyncEvent(name, "error", message=result.error))
    finally:
        if own_client and session:
            session[0].close_now()
    return result


def _one_pass(
    db: Database,
    config: Config,
    account: AccountConfig,
    client: CsImapClient,
    account_id: int,
    result: SourceResult,
    progress: SyncCallback,
    reconnect: Callable[[], CsImapClient] | None,
) -> None:
    name = account.name

    def relay(report: SyncProgress) -> None:
        progress(SyncEvent(name, report.phase, report.folder, report.done, report.total))

    engine = ImapAccountSync(
        db,
        account,
        client,
        account_id=account_id,
        sla=config.sla,
        progress=relay,
        reconnect=reconnect,
    )
    for report in engine.run():
        result.new += report.new
        result.changed += report.flag_changes + report.moved + report.rematched
        result.removed += report.removed
        result.warnings += report.warnings
        if report.error:
            result.folder_errors[report.folder] = report.error
            progress(SyncEvent(name, "error", report.folder, message=report.error))
    with db.atomic():
        set_account_sync_state(db, account_id, "idle")
        if result.folder_errors:
            # Synced, but not everything: the status bar and `stats` say which folder.
            summary = "; ".join(f"{f}: {e}" for f, e in result.folder_errors.items())
            set_account_sync_state(db, account_id, "partial", error=summary)


RUNNERS: dict[str, SourceRunner] = {
    "imap": sync_imap_account,
    "shopify": sync_shop_source,
    "woocommerce": sync_shop_source,
    "telegram": sync_telegram_channel,
}


def configured_sources(config: Config, only: str | None = None) -> list[SourceRef]:
    """Every source in the config (or just the one named ``only``)."""
    refs = [SourceRef("imap", a.name, a.poll_interval) for a in config.accounts]
    refs += [SourceRef(s.platform, s.name, s.poll_interval) for s in config.shops]
    refs += [SourceRef(c.platform, c.name, 0.0) for c in config.channels]
    if only is not None:
        refs = [ref for ref in refs if ref.name == only]
    return refs


def run_source(
    runner: SourceRunner, db: Database, config: Config, ref: SourceRef, progress: SyncCallback
) -> SourceResult:
    """One pass of ``runner``; a full disk ends it with a plain message, not a traceback
    (the pass's open transaction was rolled back, so its cursors did not move)."""
    try:
        return runner(db, config, ref.name, progress)
    except sqlite3.Error as error:
        if not is_disk_full(error):
            raise
        log.warning("%s: %s", ref.name, error)
        progress(SyncEvent(ref.name, "error", message=FULL_MESSAGE))
        return SourceResult(ref.name, ref.kind, error=FULL_MESSAGE)


def sync_once(
    store_path: Path,
    config: Config,
    *,
    only: str | None = None,
    progress: SyncCallback | None = None,
) -> list[SourceResult]:
    """One pass over every configured source, one after the other."""
    report = progress or (lambda _event: None)
    db = open_store(store_path)
    try:
        results = []
        for ref in configured_sources(config, only):
            runner = RUNNERS.get(ref.kind)
            if runner is None:
                results.append(SourceResult(ref.name, ref.kind, error=f"no runner for {ref.kind}"))
                continue
            results.append(run_source(runner, db, config, ref, report))
        return results
    finally:
        db.close()
