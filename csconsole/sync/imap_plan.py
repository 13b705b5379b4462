"""Pure planning for the IMAP sync: which UIDs to fetch, in which batches, what vanished.

No I/O here, so the rules are property-tested: batches are newest first and cover
each wanted UID exactly once; removals never include UIDs we were not told about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

FIRST_BATCH = 50  # small, so the newest conversations show within seconds on a slow link
BATCH = 250


def newest_first_batches(
    uids: Iterable[int], *, first: int = FIRST_BATCH, size: int = BATCH
) -> list[list[int]]:
    """Descending UIDs cut into batches: a small first one, then ``size`` each."""
    ordered = sorted(set(uids), reverse=True)
    if not ordered:
        return []
    batches = [ordered[:first]]
    rest = ordered[first:]
    batches += [rest[i : i + size] for i in range(0, len(rest), size)]
    return batches


def oldest_first_batches(uids: Iterable[int], *, size: int = BATCH) -> list[list[int]]:
    """Ascending batches, for new mail: the cursor ``uidnext`` can only move up contiguously."""
    ordered = sorted(set(uids))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def backfill_targets(
    server_uids: Iterable[int], local: set[int], *, oldest_uid: int | None, uidnext: int | None
) -> list[int]:
    """Server UIDs below what we already cover (``oldest_uid``) that we do not hold."""
    ceiling = oldest_uid if oldest_uid is not None else uidnext
    return sorted(
        uid for uid in server_uids if uid not in local and (ceiling is None or uid < ceiling)
    )


def new_targets(server_uids: Iterable[int], *, uidnext: int | None, local: set[int]) -> list[int]:
    """Server UIDs at or above the cursor's ``uidnext``: mail that arrived since."""
    floor = uidnext or 1
    return sorted(uid for uid in server_uids if uid >= floor and uid not in local)


def removed(local: set[int], server_uids: Iterable[int], *, uidnext: int | None) -> list[int]:
    """Local UIDs the server no longer has (only below ``uidnext``: the range we know)."""
    present = set(server_uids)
    ceiling = uidnext if uidnext is not None else (max(local) + 1 if local else 1)
    return sorted(uid for uid in local if uid < ceiling and uid not in present)


@dataclass(frozen=True)
class Identity:
    """What identifies a message across a UIDVALIDITY change."""

    message_id: str | None
    size: int
    date: str | None


def rematch(stored: dict[int, Identity], server: dict[int, Identity]) -> dict[int, int]:
    """{stored row id: new UID} pairing stored messages with the server's after a reset.

    Message-ID and size first, then Message-ID alone, then size and date for messages
    without a Message-ID. Each side is used at most once, so duplicates stay distinct.
    """
    result: dict[int, int] = {}
    free = dict(server)

    def take(row: int, key: tuple[object, ...], keyer: dict[tuple[object, ...], list[int]]) -> None:
        candidates = keyer.get(key)
        while candidates:
            uid = candidates.pop(0)
            if uid in free:
                del free[uid]
                result[row] = uid
                return

    rules = (
        lambda i: (i.message_id, i.size) if i.message_id else None,
        lambda i: (i.message_id,) if i.message_id else None,
        lambda i: (i.size, i.date) if not i.message_id and i.date else None,
    )
    for rule in rules:
        index: dict[tuple[object, ...], list[int]] = {}
        for uid in sorted(free):
            key = rule(free[uid])
            if key is not None:
                index.setdefault(key, []).append(uid)
        for row in sorted(stored):
            if row in result:
                continue
            key = rule(stored[row])
            if key is not None:
                take(row, key, index)
    return result
