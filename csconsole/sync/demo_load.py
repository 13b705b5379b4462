"""Build the demo shop's store: generate, bulk-insert, index, and remember what was built.

A build writes into ``<file>.building`` and renames it into place when complete,
so an interrupted build never leaves a half-filled demo behind. The demo's seed,
size and generator version are kept as sync cursors of the demo shop account; a
later ``csconsole demo`` with the same arguments reuses the file, different ones
rebuild it. A file that is not a demo store is never replaced.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from sqlite_utils import Database

from csconsole.domain.canned import CannedError, CannedResponse, check_unique, parse_canned
from csconsole.domain.clock import to_iso, utc_now
from csconsole.domain.sla import SlaPolicies
from csconsole.sources.demo import DEFAULT_SEED, DEFAULT_SIZE, GENERATOR_VERSION, slice_jobs
from csconsole.sources.demo_records import DEMO_ACCOUNTS, SHOP_ACCOUNT
from csconsole.store.canned import replace_all
from csconsole.store.db import open_store
from csconsole.store.inbox import ensure_account
from csconsole.sync.demo_parallel import demo_rows
from csconsole.sync.demo_writer import DemoWriter

Progress = Callable[[str], None]
_CURSORS = ("demo.version", "demo.seed", "demo.size")


class DemoStoreError(Exception):
    """The demo cannot be built at that path (it holds something else, or the disk failed)."""


@dataclass(frozen=True)
class DemoBuild:
    """What ``build_demo_store`` did and how big the result is."""

    path: Path
    size: int
    seed: int
    reused: bool
    seconds: float
    conversations: int
    messages: int
    customers: int
    orders: int


def demo_identity(path: Path) -> tuple[int, int, int] | None:
    """(generator version, seed, size) of the demo store at ``path``; None if it is not one."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT c.name, c.value FROM sync_cursors c JOIN accounts a ON a.id = c.account_id "
                "WHERE a.name = ? AND a.kind = 'demo'",
                [SHOP_ACCOUNT.name],
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None
    found = {str(name): str(value) for name, value in rows}
    if not all(name in found for name in _CURSORS):
        return None
    try:
        return tuple(int(found[name]) for name in _CURSORS)  # type: ignore[return-value]
    except ValueError:
        return None


def _counts(db: Database) -> tuple[int, int, int, int]:
    row = db.execute(
        "SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM messages), "
        "(SELECT count(*) FROM customers), (SELECT count(*) FROM orders)"
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _load_canned(db: Database, say: Progress) -> None:
    """The starter canned responses shipped in ``csconsole/data/canned`` (as the console loads
    them; a file that does not parse is reported and left out, the others load)."""
    responses: list[CannedResponse] = []
    folder = resources.files("csconsole") / "data" / "canned"
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".toml") or entry.name.startswith("_"):
            continue
        try:
            found = parse_canned(entry.read_text(encoding="utf-8"), entry.name)
            check_unique([*responses, *found])
        except CannedError as error:
            say(f"skipped canned responses: {error}")
            continue
        responses.extend(found)
    count = replace_all(db, responses)
    say(f"loaded {count} canned responses")


def load_demo(
    db: Database,
    *,
    size: int,
    seed: int,
    now: datetime,
    sla: SlaPolicies | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> None:
    """Fill an empty, migrated store with the demo shop (one transaction).

    ``workers`` processes build the rows of a large demo (default: up to two; 0: none).
    """
    say = progress or (lambda _line: None)
    now_text = to_iso(now)
    with db.atomic():
        account_ids = {
            account.name: ensure_account(
                db,
                account.name,
                account.kind,
                address=account.address,
                display_name=account.display_name,
            )
            for account in DEMO_ACCOUNTS
        }
        writer = DemoWriter(db, account_ids, now_text, sla or SlaPolicies())
        step = max(1, size // 10)
        next_report = step
        jobs = slice_jobs(size, seed=seed, now=now)
        for rows in demo_rows(jobs, writer.context, workers=workers):
            writer.insert(rows)
            if writer.conversations >= next_report or writer.conversations == size:
                say(f"wrote {writer.conversations:,}/{size:,} conversations")
                next_report = writer.conversations + step
        # The rows carried the search index (built as store.fts.rebuild_search_index would).
        shop_id = account_ids[SHOP_ACCOUNT.name]
        values = {
            "demo.version": GENERATOR_VERSION,
            "demo.seed": seed,
            "demo.size": size,
            "demo.built_at": now_text,
        }
        db.conn.executemany(
            "INSERT OR REPLACE INTO sync_cursors(account_id, name, value, updated_at) "
            "VALUES (?, ?, ?, ?)",
            [(shop_id, name, str(value), now_text) for name, value in values.items()],
        )
        db.execute(
            "UPDATE accounts SET sync_state = 'idle', last_sync_at = ? WHERE kind = 'demo'",
            [now_text],
        )
        _load_canned(db, say)


def build_demo_store(
    path: Path,
    *,
    size: int = DEFAULT_SIZE,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
    rebuild: bool = False,
    sla: SlaPolicies | None = None,
    progress: Progress | None = None,
) -> DemoBuild:
    """Make sure ``path`` holds the demo of this size and seed; build it if not."""
    say = progress or (lambda _line: None)
    started = time.perf_counter()
    identity = demo_identity(path)
    if path.exists() and identity is None:
        raise DemoStoreError(f"{path} exists and is not a demo store; choose another --path")
    if identity == (GENERATOR_VERSION, seed, size) and not rebuild:
        db = open_store(path)
        try:
            counts = _counts(db)
        finally:
            db.close()
        say(f"reusing the demo store at {path}")
        return DemoBuild(path, size, seed, True, time.perf_counter() - started, *counts)
    building = path.with_name(path.name + ".building")
    _remove(building)
    say(f"building a demo shop with {size:,} conversations at {path}")
    try:
        db = open_store(building)
        try:
            # A throwaway file until the rename: no journal and no fsync while filling it.
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.execute("PRAGMA cache_size = -200000")
            load_demo(db, size=size, seed=seed, now=now or utc_now(), sla=sla, progress=say)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            counts = _counts(db)
        finally:
            db.close()
        _remove(path)
        building.replace(path)
    except (sqlite3.DatabaseError, OSError) as error:
        _remove(building)
        raise DemoStoreError(f"cannot build the demo store at {path}: {error}") from error
    seconds = time.perf_counter() - started
    say(f"built in {seconds:.1f} s")
    return DemoBuild(path, size, seed, False, seconds, *counts)
