"""Syncing one IMAP account into the store: the engine behind ``csconsole sync`` and the console.

Per folder: SELECT (with QRESYNC when we hold a cursor), apply what changed (VANISHED or
a UID diff, flag changes via QRESYNC, CHANGEDSINCE or a compact flag scan), fetch new
mail, then keep backfilling older mail newest first. Every fetched batch commits in
one transaction together with the folder cursor that covers it, so a process killed
at any moment resumes without duplicates or gaps. An unchanged folder costs one
round trip with QRESYNC or CONDSTORE, two without.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from csconsole.config import AccountConfig
from csconsole.domain.clock import utc_now
from csconsole.domain.sla import SlaPolicies
from csconsole.domain.text import normalize_email
from csconsole.sources import imap_commands as cmd
from csconsole.sources import imap_fetch
from csconsole.sources.imap_connection import CsImapClient
from csconsole.sources.imap_uidset import compact
from csconsole.store import flag_queue, mail_state, unreadable
from csconsole.store.fts import index_conversations
from csconsole.sync import imap_plan
from csconsole.sync.flag_pushback import push_flag_changes
from csconsole.sync.imap_isolate import FetchedBatch, fetch_isolating
from csconsole.sync.imap_newmail import fetch_new_mail
from csconsole.sync.imap_reset import rematch_after_reset
from csconsole.sync.imap_store import FolderReport, MessageStorer

log = logging.getLogger(__name__)

__all__ = ["FolderReport", "ImapAccountSync", "ProgressCallback", "SyncProgress"]


@dataclass(frozen=True)
class SyncProgress:
    """A progress report: ``done`` of ``total`` messages fetched in ``folder``."""

    account: str
    folder: str
    phase: str  # select | changes | new | backfill | done
    done: int = 0
    total: int = 0


ProgressCallback = Callable[[SyncProgress], None]


class ImapAccountSync:
    """One account's sync over an open, logged-in client (one thread, one connection)."""

    def __init__(
        self,
        db: Database,
        account: AccountConfig,
        client: CsImapClient,
        *,
        account_id: int,
        sla: SlaPolicies | None = None,
        progress: ProgressCallback | None = None,
        reconnect: Callable[[], CsImapClient] | None = None,
    ) -> None:
        self.db = db
        # A fresh session after the server ended one over a folder (``_guarded``).
        self.reconnect = reconnect
        self.account = account
        self.client = client
        self.account_id = account_id
        self.sla = sla
        self.progress = progress or (lambda _report: None)
        self.qresync = client.has_capability("QRESYNC")
        self.condstore = self.qresync or client.has_capability("CONDSTORE")
        if self.qresync and "QRESYNC" not in client.enabled:
            client.enable("QRESYNC")  # must precede every SELECT
            client.enabled.add("QRESYNC")
        self.own_address = normalize_email(account.email)
        self.storer = MessageStorer(
            db, account_id, self.own_address, body_cap=account.body_cap, sla=sla
        )

    # --- folders --------------------------------------------------------------------------
    def folders(self) -> list[tuple[str, str]]:
        """(name, role) of the configured folders (the Sent folder is resolved in ``run``)."""
        sent = self.account.sent_folder or self._known_sent()
        return [
            (name, "sent" if name == sent else "inbox" if name.upper() == "INBOX" else "other")
            for name in self.account.folders
        ]

    def _known_sent(self) -> str | None:
        row = self.db.execute(
            "SELECT name FROM folders WHERE account_id = ? AND role = 'sent' LIMIT 1",
            [self.account_id],
        ).fetchone()
        return str(row[0]) if row else None

    def _discover_sent(self) -> str | None:
        try:
            found = self.client.find_special_folder(b"\\Sent")
        except Exception:  # LIST quirks must not stop the inbox from syncing
            log.warning("could not look for the Sent folder of %s", self.account.name)
            return None
        return str(found) if found else None

    def run(self) -> list[FolderReport]:
        """Sync every folder once; a folder the server refuses does not stop the others.

        The configured folders go first; the Sent folder is looked up (a LIST round trip,
        only until it is known) after them, so the inbox is never kept waiting.
        """
        push_flag_changes(self.db, self.client, self.account_id)  # console changes first
        queued_before = flag_queue.newest_id(self.db, self.account_id)
        plan = self.folders()
        reports = [self._guarded(name, role) for name, role in plan]
        sent = self.account.sent_folder or self._known_sent() or self._discover_sent()
        if sent and sent not in {name for name, _ in plan}:
            reports.append(self._guarded(sent, "sent"))
        if flag_queue.newest_id(self.db, self.account_id) > queued_before:
            # This pass queued changes of its own (a customer reopened a closed
            # conversation): write them now rather than a whole poll interval later.
            push_flag_changes(self.db, self.client, self.account_id)
        return reports

    def _guarded(self, name: str, role: str) -> FolderReport:
        try:
            return self.sync_folder(name, role)
        except cmd.ImapCommandError as error:
            log.warning("%s: folder %s: %s", self.account.name, name, error)
            return FolderReport(folder=name, error=str(error))
        except self.client.transport.abort as error:
            # A server that hits an internal error over one message (a damaged file)
            # answers BYE: that folder is reported, the others sync on a new session.
            # A lost link has no BYE and ends the pass as before.
            if self.reconnect is None or not self.client.transport.untagged_responses.get("BYE"):
                raise
            log.warning(
                "%s: the server ended the session in %s: %s", self.account.name, name, error
            )
            self.client.close_now()
            self.client = self.reconnect()
            return FolderReport(folder=name, error=f"the server ended the session: {error}")

    # --- one folder -----------------------------------------------------------------------
    def sync_folder(self, name: str, role: str) -> FolderReport:
        """Bring one folder's messages, flags and removals into the store."""
        with self.db.atomic():
            cursor = mail_state.ensure_folder(self.db, self.account_id, name, role)
        report = FolderReport(folder=name)
        self._report(name, "select")
        qresync_args = None
        if self.qresync and cursor.uidvalidity and cursor.highestmodseq:
            qresync_args = (cursor.uidvalidity, cursor.highestmodseq)
        selected = cmd.select(
            self.client,
            name,
            qresync=qresync_args,
            condstore=self.condstore and not self.qresync,
            search=cursor.uidvalidity is None,
        )
        if cursor.uidvalidity is not None and cursor.uidvalidity != selected.uidvalidity:
            report.uidvalidity_reset = True
            rematched, dropped = rematch_after_reset(self.db, self.client, cursor, selected)
            report.rematched += rematched
            report.removed += dropped
            cursor = mail_state.get_folder(self.db, self.account_id, name) or cursor
            with self.db.atomic():
                unreadable.forget_other_generations(self.db, cursor.id, selected.uidvalidity)
        if cursor.uidvalidity is None:
            if selected.all_uids is not None and cursor.uidvalidity is None:
                server_uids = selected.all_uids
            else:
                server_uids = cmd.search_uids(self.client) if selected.exists else []
            self._backfill(cursor, selected, server_uids, report, first=True)
        else:
            self._incremental(cursor, selected, report, used_qresync=qresync_args is not None)
        with self.db.atomic():
            index_conversations(self.db, report.conversations)
        missing = unreadable.pending(self.db, cursor.id, selected.uidvalidity)
        if missing and report.error is None:
            report.error = _describe_unreadable(missing)
        self._report(name, "done", report.new, report.new)
        return report

    def _incremental(
        self,
        cursor: mail_state.FolderCursor,
        selected: cmd.SelectResult,
        report: FolderReport,
        *,
        used_qresync: bool,
    ) -> None:
        uidvalidity = selected.uidvalidity
        local = mail_state.local_uids(self.db, cursor.id, uidvalidity)
        server_uids: list[int] | None = None
        vanished: list[int] = []
        flags: dict[int, tuple[tuple[str, ...], int | None]] = {}
        unchanged_modseq = (
            self.condstore
            and selected.highestmodseq is not None
            and selected.highestmodseq == cursor.highestmodseq
        )
        if used_qresync and not selected.nomodseq:
            vanished = [uid for uid in selected.vanished if uid in local]
            flags = imap_fetch.flags_of(selected.changed)
        elif unchanged_modseq:
            pass  # nothing changed on the server: no flags, no expunges, no new mail
        elif self.condstore and cursor.highestmodseq and selected.highestmodseq and local:
            flags = imap_fetch.fetch_flags(
                self.client, compact(local), changed_since=cursor.highestmodseq
            )
            server_uids = cmd.search_uids(self.client) if selected.exists else []
            vanished = imap_plan.removed(local, server_uids, uidnext=cursor.uidnext)
        else:
            # No CONDSTORE: the UID list and every known message's flags, in one round trip.
            server_uids, flags = imap_fetch.uids_and_flags(
                self.client, local, exists=selected.exists
            )
            vanished = imap_plan.removed(local, server_uids, uidnext=cursor.uidnext)
        queued = flag_queue.pending_uids(self.db, cursor.id, uidvalidity)  # not stored yet
        flags = {uid: value for uid, value in flags.items() if uid in local and uid not in queued}
        with self.db.atomic():
            if vanished:
                convs = mail_state.detach_uids(self.db, cursor.id, uidvalidity, vanished)
                mail_state.recount_unread(self.db, convs)
                report.conversations.update(convs)
            if flags:
                count, changed = mail_state.update_flags(self.db, cursor.id, uidvalidity, flags)
                report.conversations.update(changed)
                report.flag_changes += count
            report.removed += len(vanished)
        fetch_new_mail(self, cursor, selected, server_uids, local, report)
        if not cursor.backfill_done:
            if server_uids is None:
                server_uids = cmd.search_uids(self.client) if selected.exists else []
            self._backfill(cursor, selected, server_uids, report, first=False)
        self._retry_unreadable(cursor, selected, report)

    def _retry_unreadable(
        self, cursor: mail_state.FolderCursor, selected: cmd.SelectResult, report: FolderReport
    ) -> None:
        """Try again the messages an earlier pass could not fetch, once they are due."""
        uidvalidity = selected.uidvalidity
        due = unreadable.due(self.db, cursor.id, uidvalidity, utc_now())
        if not due:
            return
        for batch in self._fetch(cursor, selected, [due]):
            with self.db.atomic():
                self._store(cursor, uidvalidity, batch, report)
                # Fetched now, or gone from the server (absent from the answer): done.
                done = [uid for uid in batch.uids if uid not in batch.unreadable]
                unreadable.forget(self.db, cursor.id, uidvalidity, done)

    def _backfill(
        self,
        cursor: mail_state.FolderCursor,
        selected: cmd.SelectResult,
        server_uids: list[int],
        report: FolderReport,
        *,
        first: bool,
    ) -> None:
        uidvalidity = selected.uidvalidity
        local = mail_state.local_uids(self.db, cursor.id, uidvalidity)
        if first:
            # Everything on the server right now is "backfill"; later arrivals are "new".
            targets = imap_plan.backfill_targets(server_uids, local, oldest_uid=None, uidnext=None)
            oldest = cursor.oldest_uid
        else:
            targets = imap_plan.backfill_targets(
                server_uids, local, oldest_uid=cursor.oldest_uid, uidnext=cursor.uidnext
            )
            oldest = cursor.oldest_uid
        batches = imap_plan.newest_first_batches(targets)
        start: dict[str, int | None] = {}
        if first:
            start = {
                "uidvalidity": uidvalidity,
                "uidnext": selected.uidnext or (max(server_uids) + 1 if server_uids else 1),
                "highestmodseq": selected.highestmodseq,
            }
        if not batches:
            with self.db.atomic():
                mail_state.save_cursor(self.db, cursor.id, backfill_done=True, **start)
            return
        done = 0
        self._report(cursor.name, "backfill", 0, len(targets))
        for batch in self._fetch(cursor, selected, batches):
            oldest = min([min(batch.uids), *([oldest] if oldest else [])])
            with self.db.atomic():
                self._store(cursor, uidvalidity, batch, report)
                mail_state.save_cursor(
                    self.db, cursor.id, oldest_uid=oldest, backfill_done=batch.last, **start
                )
            start = {}
            done += len(batch.uids)
            self._report(cursor.name, "backfill", done, len(targets))

    def _fetch(
        self,
        cursor: mail_state.FolderCursor,
        selected: cmd.SelectResult,
        batches: list[list[int]],
    ) -> Iterator[FetchedBatch]:
        """The batches' data; a message over which the server ends the session comes
        back as unreadable and the others are fetched on a fresh session."""

        def restart() -> CsImapClient:
            assert self.reconnect is not None
            log.warning("%s: the server ended the session in %s", self.account.name, cursor.name)
            self.client.close_now()
            self.client = self.reconnect()
            again = cmd.select(
                self.client, cursor.name, condstore=self.condstore and not self.qresync
            )
            if again.uidvalidity != selected.uidvalidity:
                raise cmd.ImapCommandError(
                    f"{cursor.name} changed UIDVALIDITY during the sync; the next pass re-matches"
                )
            return self.client

        return fetch_isolating(
            lambda: self.client,
            restart if self.reconnect is not None else None,
            batches,
            body_cap=self.account.body_cap,
            condstore=self.condstore,
        )

    def _store(
        self,
        cursor: mail_state.FolderCursor,
        uidvalidity: int,
        batch: FetchedBatch,
        report: FolderReport,
    ) -> None:
        """Store a batch and note its unreadable messages (the caller holds the transaction)."""
        self.storer.store(cursor, uidvalidity, batch.data, report)
        now = utc_now()
        for uid, error in batch.unreadable.items():
            unreadable.record(self.db, cursor.id, uidvalidity, uid, error, now)

    def _report(self, folder: str, phase: str, done: int = 0, total: int = 0) -> None:
        self.progress(SyncProgress(self.account.name, folder, phase, done, total))


def _describe_unreadable(missing: dict[int, str]) -> str:
    uids = ", ".join(str(uid) for uid in list(missing)[:5]) + (", …" if len(missing) > 5 else "")
    count = len(missing)
    what = "message" if count == 1 else "messages"
    last = next(reversed(missing.values()))
    return (
        f"the server could not hand over {count} {what} (UID {uids}); the rest of the folder"
        f" synced and later passes try again. The server said: {last}"
    )
