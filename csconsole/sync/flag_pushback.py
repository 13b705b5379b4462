"""Writing the console's queued flag changes (read state, pending/closed) to the server.

Runs at the start of every sync pass, so a change made while offline reaches the
server as soon as the link is back, and a second client on the mailbox agrees.
Keywords the folder cannot keep (PERMANENTFLAGS without ``\\*`` or the keyword) stay
local. A row is deleted only after its STORE succeeded; a refused SELECT or STORE and
a lost link leave the queue for the next pass.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from imapclient.exceptions import IMAPClientError
from sqlite_utils import Database

from csconsole.sources import imap_commands as cmd
from csconsole.sources.imap_connection import CsImapClient
from csconsole.sources.imap_flags import storable
from csconsole.store import flag_queue

log = logging.getLogger(__name__)


def push_flag_changes(db: Database, client: CsImapClient, account_id: int) -> int:
    """Store every queued change of the account on the server; returns the UIDs touched.

    A folder the server will not open or change right now (NO, BAD) keeps its rows for
    the next pass; only rows written under an older UIDVALIDITY are dropped, because
    their UIDs now name other messages. A lost link raises with every row still queued.
    """
    by_folder: dict[str, list[flag_queue.FlagChange]] = defaultdict(list)
    for change in flag_queue.pending(db, account_id):
        by_folder[change.folder].append(change)
    touched = 0
    transport = client.transport
    for folder, changes in by_folder.items():
        try:
            selected = cmd.select(client, folder)
        except cmd.ImapCommandError as error:
            log.warning("cannot write flags to %s now, keeping them for later: %s", folder, error)
            continue
        live = [c for c in changes if c.uidvalidity == selected.uidvalidity]
        stale = [c.id for c in changes if c.uidvalidity != selected.uidvalidity]
        try:
            touched += _store(client, live, selected.permanent_flags)
        except transport.abort:
            raise  # the link is gone: nothing deleted, the next pass tries again
        except IMAPClientError as error:  # NO or BAD to a STORE: try again next pass
            log.warning("flags refused in %s, keeping them for later: %s", folder, error)
            done = stale
        else:
            done = [change.id for change in changes]
        with db.atomic():
            flag_queue.delete(db, done)
    return touched


def _store(
    client: CsImapClient, changes: list[flag_queue.FlagChange], permanent: tuple[str, ...]
) -> int:
    touched = 0
    for (op, flags), uids in flag_queue.net_changes(changes).items():
        keep = storable(flags, permanent)
        if not keep:
            continue
        if op == "+":
            client.add_flags(uids, keep, silent=True)
        else:
            client.remove_flags(uids, keep, silent=True)
        touched += len(uids)
    return touched
