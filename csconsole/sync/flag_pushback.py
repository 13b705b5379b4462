"""Writing the console's queued flag changes (read state, pending/closed) to the server.

Runs at the start of every sync pass, so a change made while offline reaches the
server as soon as the link is back, and a second client on the mailbox agrees.
Keywords the folder cannot keep (PERMANENTFLAGS without ``\\*`` or the keyword) stay
local. A row is deleted only after its STORE succeeded; a lost link leaves the queue
for the next pass.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from sqlite_utils import Database

from csconsole.sources import imap_commands as cmd
from csconsole.sources.imap_connection import CsImapClient
from csconsole.sources.imap_flags import storable
from csconsole.store import flag_queue

log = logging.getLogger(__name__)


def push_flag_changes(db: Database, client: CsImapClient, account_id: int) -> int:
    """Store every queued change of the account on the server; returns the UIDs touched."""
    by_folder: dict[str, list[flag_queue.FlagChange]] = defaultdict(list)
    for change in flag_queue.pending(db, account_id):
        by_folder[change.folder].append(change)
    touched = 0
    for folder, changes in by_folder.items():
        try:
            selected = cmd.select(client, folder)
        except cmd.ImapCommandError as error:  # the folder is gone: nothing to change there
            log.warning("cannot write flags to %s: %s", folder, error)
            with db.atomic():
                flag_queue.delete(db, [change.id for change in changes])
            continue
        live = [c for c in changes if c.uidvalidity == selected.uidvalidity]
        for (op, flags), uids in flag_queue.net_changes(live).items():
            keep = storable(flags, selected.permanent_flags)
            if not keep:
                continue
            if op == "+":
                client.add_flags(uids, keep, silent=True)
            else:
                client.remove_flags(uids, keep, silent=True)
            touched += len(uids)
        with db.atomic():
            flag_queue.delete(db, [change.id for change in changes])
    return touched
