"""Running every configured source: once (``csconsole sync --once``) or continuously.

Sources are run by kind through ``RUNNERS``: each runner does one pass over one named
source in its own store connection and reports progress through a callback. Mail
accounts are built in; shop and chat pollers register their own kinds here.
``watch`` keeps mail accounts on IDLE (or polling) and polls the others at their
interval, one thread per source, reconnecting with backoff after failures. Flag
changes queued by the console end a mail account's IDLE early and reach the server
within a second or two.
"""

from __future__ import annotations

import logging
import threading
import time
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
from csconsole.sources.imap_idle import IdleLinkLost, idle_wait
from csconsole.store import flag_queue
from csconsole.store.db import open_store
from csconsole.store.inbox import ensure_account, set_account_sync_state
from csconsole.sync.flag_pushback import push_flag_changes
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


def _account(config: Config, name: str) -> AccountConfig:
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
    account = _account(config, name)
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
            results.append(runner(db, config, ref.name, report))
        return results
    finally:
        db.close()


def watch(
    store_path: Path,
    config: Config,
    stop: threading.Event,
    *,
    only: str | None = None,
    progress: SyncCallback | None = None,
) -> None:
    """Keep every source in sync until ``stop`` is set (one thread per source)."""
    report = progress or (lambda _event: None)
    threads = []
    if config.accounts or config.channels:
        # Queued replies leave from here too, so retries after a temporary failure and
        # replies written offline go out without anyone running `outbox flush`.
        threads.append(
            threading.Thread(
                target=_drain_outbox, args=(store_path, config, stop), daemon=True, name="outbox"
            )
        )
    for ref in configured_sources(config, only):
        target = _watch_imap if ref.kind == "imap" else _watch_polled
        thread = threading.Thread(
            target=target,
            args=(store_path, config, ref, stop, report),
            daemon=True,
            name=f"sync-{ref.name}",
        )
        threads.append(thread)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


OUTBOX_INTERVAL = 10.0


def _drain_outbox(store_path: Path, config: Config, stop: threading.Event) -> None:
    from csconsole.services import Services
    from csconsole.services.replies import RepliesService

    services = Services(store_path, config)
    outbox = RepliesService(services).outbox
    try:
        while not stop.is_set():
            try:
                outbox.drain()
            except Exception:  # a failed pass must not end the loop: rows keep their state
                log.exception("sending queued replies failed")
            stop.wait(OUTBOX_INTERVAL)
    finally:
        services.close()


def _watch_polled(
    store_path: Path, config: Config, ref: SourceRef, stop: threading.Event, report: SyncCallback
) -> None:
    runner = RUNNERS.get(ref.kind)
    if runner is None:
        return
    db = open_store(store_path)
    try:
        while not stop.is_set():
            result = runner(db, config, ref.name, report)
            # Long-polling channels (interval 0) come straight back; failures back off.
            stop.wait(ref.poll_interval if result.error is None else max(5.0, ref.poll_interval))
    finally:
        db.close()


def _record_failure(db: Database, account: AccountConfig, state: str, error: str) -> None:
    """A failed connect never reaches ``sync_imap_account``: the status bar still must know."""
    with db.atomic():
        account_id = ensure_account(db, account.name, "imap", address=account.email)
        set_account_sync_state(db, account_id, state, error=error)


def _watch_imap(
    store_path: Path, config: Config, ref: SourceRef, stop: threading.Event, report: SyncCallback
) -> None:
    account = _account(config, ref.name)
    db = open_store(store_path)
    backoff = 2.0
    try:
        with db.atomic():
            account_id = ensure_account(db, account.name, "imap", address=account.email)
        while not stop.is_set():
            client: CsImapClient | None = None
            try:
                client = connect_account(account)
                while not stop.is_set():
                    swapped: list[CsImapClient] = []
                    result = sync_imap_account(
                        db, config, ref.name, report, client=client, replaced=swapped.append
                    )
                    client = swapped[-1] if swapped else client
                    if result.error:
                        raise IdleLinkLost(result.error)
                    backoff = 2.0
                    _wait_for_work(db, account, account_id, client, stop, report)
            except (SecretError, ImapSecurityError) as error:
                _record_failure(db, account, "error", str(error))
                report(SyncEvent(ref.name, "error", message=str(error)))
                stop.wait(max(60.0, account.poll_interval))  # needs the user; retry rarely
            except NETWORK_ERRORS as error:
                _record_failure(db, account, "offline", str(error) or type(error).__name__)
                report(SyncEvent(ref.name, "error", message=f"{error}; retrying in {backoff:g} s"))
                stop.wait(backoff)
                backoff = min(backoff * 2, 300.0)
            finally:
                if client is not None:
                    client.close_now()
    finally:
        db.close()


def _wait_for_work(
    db: Database,
    account: AccountConfig,
    account_id: int,
    client: CsImapClient,
    stop: threading.Event,
    report: SyncCallback,
) -> None:
    """Wait in IDLE (or sleep until the next poll) until the server has news.

    Flag changes the console queues meanwhile (in this process or another one using
    the same store) end the wait within about a second: they are stored on the server
    and the wait goes on, without a full pass. Rows the server refused stay queued and
    do not wake the loop again until something new is queued.
    """
    pushed = flag_queue.newest_id(db, account_id)

    def queued() -> bool:
        return flag_queue.newest_id(db, account_id) > pushed

    while not stop.is_set():
        if account.idle and client.has_capability("IDLE"):
            watched = account.folders[0] if account.folders else "INBOX"
            client.select_folder(watched)  # the sync or a push may have left another selected
            report(SyncEvent(account.name, "idle", watched))
            outcome = idle_wait(client, account.poll_interval, stop=stop, wake=queued)
            if not outcome.woken or outcome.changed:
                return
        else:
            deadline = time.monotonic() + account.poll_interval
            while not stop.is_set() and time.monotonic() < deadline and not queued():
                stop.wait(min(1.0, max(0.0, deadline - time.monotonic())))
            if not queued():
                return
        pushed = flag_queue.newest_id(db, account_id)
        push_flag_changes(db, client, account_id)
        report(SyncEvent(account.name, "flags"))
