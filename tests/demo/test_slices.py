"""Large demos are generated in slices by worker processes; the output must not change."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import pytest

from csconsole.domain.sla import SlaPolicies
from csconsole.sources import demo
from csconsole.store.db import open_store
from csconsole.store.fts import rebuild_search_index
from csconsole.sync import demo_load
from csconsole.sync.demo_load import build_demo_store
from csconsole.sync.demo_parallel import demo_rows
from csconsole.sync.demo_writer import RowContext
from tests.demo.conftest import NOW, NOW_TEXT


def test_slices_cover_the_size_without_overlap() -> None:
    assert demo.slice_plan(300) == [(0, 300)]
    plan = demo.slice_plan(100_000)
    assert len(plan) > 2
    assert sum(size for _, size in plan) == 100_000
    assert [base for base, _ in plan] == [sum(s for _, s in plan[:i]) for i in range(len(plan))]


def test_sliced_records_have_unique_keys_and_numbers() -> None:
    batches = list(demo.generate(300, seed=3, now=NOW, slice_size=100))
    conversations = [c for batch in batches for c in batch.conversations]
    assert [c.key for c in conversations] == list(range(1, 301))
    customers = [c.key for batch in batches for c in batch.customers]
    orders = [o.key for batch in batches for o in batch.orders]
    assert len(set(customers)) == len(customers) and len(set(orders)) == len(orders)
    numbers = [o.record.number for batch in batches for o in batch.orders]
    assert len(set(numbers)) == len(numbers)
    assert batches == list(demo.generate(300, seed=3, now=NOW, slice_size=100))


def test_worker_processes_build_the_same_rows_as_one_process() -> None:
    jobs = demo.slice_jobs(300, seed=3, now=NOW, slice_size=100)
    context = RowContext(
        {"demo-mail": 1, "demo-telegram": 2, "demo-shop": 3}, NOW_TEXT, SlaPolicies()
    )
    here = list(demo_rows(jobs, context, workers=0))
    apart = list(demo_rows(jobs, context, workers=2))
    assert here == apart
    assert sum(rows.conversations for rows in here) == 300


def test_a_sliced_demo_loads_and_reads_like_any_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_load, "slice_jobs", functools.partial(demo.slice_jobs, slice_size=100))
    path = tmp_path / "sliced.sqlite"
    built = build_demo_store(path, size=300, now=NOW)
    assert built.conversations == 300
    conn = sqlite3.connect(path)
    try:
        languages = {row[0] for row in conn.execute("SELECT language FROM conversations")}
        message_ids = [row[0] for row in conn.execute("SELECT id FROM messages ORDER BY id")]
    finally:
        conn.close()
    assert {"en", "ar", "fa"} <= languages
    assert message_ids == list(range(1, len(message_ids) + 1))


def test_the_loaded_search_index_equals_a_full_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_load, "slice_jobs", functools.partial(demo.slice_jobs, slice_size=100))
    path = tmp_path / "indexed.sqlite"
    build_demo_store(path, size=300, now=NOW)
    db = open_store(path)
    try:
        query = "SELECT rowid, subject, body, people, orders FROM search_index ORDER BY rowid"
        loaded = db.execute(query).fetchall()
        with db.atomic():
            rebuild_search_index(db)
        assert len(loaded) == 300
        assert loaded == db.execute(query).fetchall()
    finally:
        db.close()
