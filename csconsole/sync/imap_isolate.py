"""Fetching batches so that one message the server cannot read never blocks a folder.

Some servers end the session (BYE) when they hit a damaged message file. Without
care, the batch holding it would fail on every pass and nothing behind it would ever
arrive. Here a batch that ends the session is split in two on a fresh session, and
halved again until the one message at fault is found; that message is handed back
as unreadable (the caller records it and retries it on later passes), and
everything else is fetched. Halves keep the batch's order, so a caller that moves
its cursor by each batch's lowest or highest UID stays correct.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from csconsole.sources import imap_fetch
from csconsole.sources.imap_connection import CsImapClient

# A server that keeps ending sessions for more than this many halvings in one folder
# is failing as a whole, not over one message: the pass ends as a lost link.
MAX_RESTARTS = 40


@dataclass
class FetchedBatch:
    """One batch's FETCH data; ``unreadable`` maps the UIDs the server could not hand
    over to its last words; ``last`` is true for the final batch of the run."""

    uids: list[int]
    data: dict[int, dict[bytes, Any]]
    last: bool
    unreadable: dict[int, str] = field(default_factory=dict)


def ended_by_server(client: CsImapClient, error: BaseException) -> bool:
    """A session the server closed with BYE (as opposed to a link that went silent)."""
    return isinstance(error, client.transport.abort) and bool(
        client.transport.untagged_responses.get("BYE")
    )


def fetch_isolating(
    client: Callable[[], CsImapClient],
    restart: Callable[[], CsImapClient] | None,
    batches: Sequence[Sequence[int]],
    *,
    body_cap: int,
    condstore: bool,
) -> Iterator[FetchedBatch]:
    """Yield every batch in order (split ones as their halves), each with its data.

    ``client`` gives the current session; ``restart`` opens a fresh one with the
    folder selected again (without it, a session the server ends ends the run).
    """
    queue = [list(batch) for batch in batches if batch]
    # Batches under suspicion are fetched alone, with nothing pipelined behind them:
    # only then does a session that ends name its culprit (a server may work on
    # pipelined FETCHes together, so the end can come while an innocent batch is read).
    suspects: list[list[int]] = []
    restarts = 0

    def session_ended(session: CsImapClient, error: BaseException) -> None:
        nonlocal restarts
        restarts += 1
        if restart is None or not ended_by_server(session, error) or restarts > MAX_RESTARTS:
            raise error
        restart()

    while queue or suspects:
        session = client()
        if suspects:
            pending = [suspects.pop(0)]
        else:
            pending, queue = queue, []
        try:
            for uids, data in imap_fetch.fetch_batches(
                session, list(pending), body_cap=body_cap, condstore=condstore
            ):
                pending.pop(0)
                yield FetchedBatch(uids, data, last=not (pending or queue or suspects))
        except session.transport.abort as error:
            session_ended(session, error)
            failing, queue = pending[0], pending[1:] + queue
            if len(pending) > 1:  # the next batch was pipelined: either may be at fault
                suspects.append(failing)
            elif len(failing) > 1:
                half = len(failing) // 2
                suspects[0:0] = [failing[:half], failing[half:]]
            else:
                last = not (queue or suspects)
                yield FetchedBatch(failing, {}, last=last, unreadable={failing[0]: str(error)})
