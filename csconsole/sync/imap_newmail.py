"""New mail on an incremental sync: a few messages in UID order, a backlog newest first.

A handful of new messages is fetched oldest first and the cursor's ``uidnext`` moves
up with each batch. A backlog (more than one small batch, e.g. after a week offline)
is fetched like a first sync, newest first, so the inbox shows the newest mail within
seconds: the first batch moves ``uidnext`` to the server's and records the rest as a
gap ``[gap_low, gap_high)``; every later batch lowers ``gap_high`` in the same
transaction as its messages. A process killed mid-backlog resumes the gap with one
UID SEARCH over that range: no gaps, no duplicates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csconsole.sources import imap_commands as cmd
from csconsole.store import mail_state
from csconsole.sync import imap_plan

if TYPE_CHECKING:
    from csconsole.sync.imap_store import FolderReport
    from csconsole.sync.imap_sync import ImapAccountSync


def fetch_new_mail(
    engine: ImapAccountSync,
    cursor: mail_state.FolderCursor,
    selected: cmd.SelectResult,
    server_uids: list[int] | None,
    local: set[int],
    report: FolderReport,
) -> None:
    """Fetch what arrived since the cursor's ``uidnext``, then any unfinished backlog."""
    uidnext = cursor.uidnext or 1
    server_next = selected.uidnext
    if server_next is not None and server_next <= uidnext and server_uids is None:
        targets: list[int] = []
    elif server_uids is not None:
        targets = imap_plan.new_targets(server_uids, uidnext=uidnext, local=local)
    else:
        targets = imap_plan.new_targets(
            cmd.search_uids(engine.client, f"UID {uidnext}:*"), uidnext=uidnext, local=local
        )
    if len(targets) > imap_plan.FIRST_BATCH:
        low = uidnext
        if cursor.gap_low is not None:  # a backlog an earlier pass left: one gap for both
            low = min(uidnext, cursor.gap_low)
            targets = sorted({*targets, *_gap_targets(engine, cursor, selected, server_uids)})
        top = max(max(targets) + 1, server_next or 0)
        cover = {"uidnext": top, "highestmodseq": selected.highestmodseq}
        _newest_first(engine, cursor, selected, targets, report, gap_low=low, first=cover)
        return
    _oldest_first(engine, cursor, selected, targets, report)
    if cursor.gap_high is not None:
        fill_gap(engine, cursor, selected, server_uids, report)


def fill_gap(
    engine: ImapAccountSync,
    cursor: mail_state.FolderCursor,
    selected: cmd.SelectResult,
    server_uids: list[int] | None,
    report: FolderReport,
) -> None:
    """Fetch the rest of a backlog an earlier pass left (it was killed or lost the link)."""
    if cursor.gap_low is None or cursor.gap_high is None:
        return
    targets = _gap_targets(engine, cursor, selected, server_uids)
    _newest_first(engine, cursor, selected, targets, report, gap_low=cursor.gap_low, first={})


def _gap_targets(
    engine: ImapAccountSync,
    cursor: mail_state.FolderCursor,
    selected: cmd.SelectResult,
    server_uids: list[int] | None,
) -> list[int]:
    """Server UIDs in the cursor's gap that we do not hold yet."""
    low, high = cursor.gap_low, cursor.gap_high
    if low is None or high is None or high <= low:
        return []
    if server_uids is not None:
        found = server_uids
    else:
        found = cmd.search_uids(engine.client, f"UID {low}:{high - 1}")
    local = mail_state.local_uids(engine.db, cursor.id, selected.uidvalidity)
    return [uid for uid in found if low <= uid < high and uid not in local]


def _newest_first(
    engine: ImapAccountSync,
    cursor: mail_state.FolderCursor,
    selected: cmd.SelectResult,
    targets: list[int],
    report: FolderReport,
    *,
    gap_low: int,
    first: dict[str, Any],
) -> None:
    batches = imap_plan.newest_first_batches(targets)
    if not batches:
        with engine.db.atomic():
            mail_state.save_cursor(engine.db, cursor.id, gap_low=None, gap_high=None, **first)
        return
    done = 0
    engine._report(cursor.name, "new", 0, len(targets))
    for batch in engine._fetch(cursor, selected, batches):
        last = batch.last
        with engine.db.atomic():
            engine._store(cursor, selected.uidvalidity, batch, report)
            mail_state.save_cursor(
                engine.db,
                cursor.id,
                gap_low=None if last else gap_low,
                gap_high=None if last else min(batch.uids),  # everything above is stored
                **first,
            )
        first = {}
        done += len(batch.uids)
        engine._report(cursor.name, "new", done, len(targets))


def _oldest_first(
    engine: ImapAccountSync,
    cursor: mail_state.FolderCursor,
    selected: cmd.SelectResult,
    targets: list[int],
    report: FolderReport,
) -> None:
    uidnext = cursor.uidnext or 1
    server_next = selected.uidnext
    batches = imap_plan.oldest_first_batches(targets)
    done = 0
    engine._report(cursor.name, "new", 0, len(targets))
    for batch in engine._fetch(cursor, selected, batches):
        with engine.db.atomic():
            engine._store(cursor, selected.uidvalidity, batch, report)
            if batch.last:  # the whole range up to the server's UIDNEXT is now covered
                mail_state.save_cursor(
                    engine.db,
                    cursor.id,
                    uidnext=max(max(batch.uids) + 1, server_next or 0),
                    highestmodseq=selected.highestmodseq,
                )
            else:
                mail_state.save_cursor(engine.db, cursor.id, uidnext=max(batch.uids) + 1)
        done += len(batch.uids)
        engine._report(cursor.name, "new", done, len(targets))
    if not batches:
        with engine.db.atomic():
            mail_state.save_cursor(
                engine.db,
                cursor.id,
                uidnext=max(uidnext, server_next or 0),
                highestmodseq=selected.highestmodseq,
            )
