"""Keeping every source in sync until the console or `csconsole sync --watch` stops.

Mail accounts stay on IDLE (or poll) and the other sources are polled at their
interval, one thread per source, reconnecting with backoff after failures; a further
thread drains the outbox. Flag changes queued by the console end a mail account's
IDLE early and reach the server within a second or two. Each pass is the one
``services.sync`` runs for ``csconsole sync --once``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

from sqlite_utils import Database

from csconsole.config import AccountConfig, Config
from csconsole.secrets import SecretError
from csconsole.services.shop_runners import close_clients
from csconsole.services.sync import (
    NETWORK_ERRORS,
    RUNNERS,
    SourceRef,
    SyncCallback,
    SyncEvent,
    account_named,
    configured_sources,
    connect_account,
    run_source,
    sync_imap_account,
)
from csconsole.sources.imap_connection import CsImapClient, ImapSecurityError
from csconsole.sources.imap_idle import IdleLinkLost, idle_wait
from csconsole.store import flag_queue
from csconsole.store.db import open_store
from csconsole.store.disk import FULL_MESSAGE, is_disk_full
from csconsole.store.inbox import ensure_account, set_account_sync_state
from csconsole.sync.flag_pushback import push_flag_changes

log = logging.getLogger(__name__)


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
    try:
        for thread in threads:
            thread.join()
    finally:
        close_clients()  # shop and chat connections kept open between polls


OUTBOX_INTERVAL = 10.0
DISK_FULL_WAIT = 60.0


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
            result = run_source(runner, db, config, ref, report)
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
    account = account_named(config, ref.name)
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
            except sqlite3.Error as error:
                if not is_disk_full(error):
                    raise
                report(SyncEvent(ref.name, "error", message=FULL_MESSAGE))
                stop.wait(DISK_FULL_WAIT)  # the rolled-back batch is fetched again later
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
