"""Building, reusing and rebuilding the demo store, through the API and ``csconsole demo``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csconsole.cli import app
from csconsole.cli.demo_commands import demo
from csconsole.domain.search_query import parse_query
from csconsole.sources.demo import DEFAULT_SIZE, generate
from csconsole.store.db import open_store
from csconsole.store.search import search_conversations
from csconsole.sync.demo_load import DemoStoreError, build_demo_store
from tests.demo.conftest import NOW

_TABLES = ("conversations", "messages", "customers", "customer_contacts", "orders", "shipments")


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in _TABLES}
    finally:
        conn.close()


def test_the_same_seed_and_clock_give_the_same_demo(tmp_path: Path) -> None:
    first = list(generate(120, seed=5, now=NOW, batch_size=50))
    assert first == list(generate(120, seed=5, now=NOW, batch_size=50))
    assert first != list(generate(120, seed=6, now=NOW, batch_size=50))
    build_demo_store(tmp_path / "a.sqlite", size=120, seed=5, now=NOW)
    build_demo_store(tmp_path / "b.sqlite", size=120, seed=5, now=NOW)
    assert _dump(tmp_path / "a.sqlite") == _dump(tmp_path / "b.sqlite")


def test_an_existing_demo_is_reused_and_a_new_size_rebuilds_it(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    built = build_demo_store(path, size=50, now=NOW)
    assert not built.reused and built.conversations == 50
    stamp = path.stat().st_mtime_ns
    lines: list[str] = []
    again = build_demo_store(path, size=50, now=NOW, progress=lines.append)
    assert again.reused and again.conversations == 50
    assert path.stat().st_mtime_ns == stamp
    assert any("reusing" in line for line in lines)
    bigger = build_demo_store(path, size=80, now=NOW)
    assert not bigger.reused and bigger.conversations == 80
    assert not path.with_name(path.name + ".building").exists()


def test_a_file_that_is_not_a_demo_is_never_replaced(tmp_path: Path) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("my notes", encoding="utf-8")
    with pytest.raises(DemoStoreError, match="not a demo store"):
        build_demo_store(notes, size=20, now=NOW)
    assert notes.read_text(encoding="utf-8") == "my notes"
    real = tmp_path / "store.sqlite"
    open_store(real).close()  # the user's own (empty) store
    with pytest.raises(DemoStoreError):
        build_demo_store(real, size=20, now=NOW)
    result = CliRunner().invoke(app, ["demo", "--build-only", "--path", str(notes)])
    assert result.exit_code == 1
    assert notes.read_text(encoding="utf-8") == "my notes"


def test_demo_build_only_makes_a_searchable_store(tmp_path: Path) -> None:
    path = tmp_path / "cli.sqlite"
    result = CliRunner().invoke(app, ["demo", "--build-only", "--path", str(path), "--size", "400"])
    assert result.exit_code == 0, result.output
    assert "400 conversations" in result.output
    db = open_store(path)
    try:
        assert db.execute("SELECT count(*) FROM conversations").fetchone()[0] == 400
        assert search_conversations(db, parse_query("refund"))
    finally:
        db.close()
    again = CliRunner().invoke(app, ["demo", "--build-only", "--path", str(path), "--size", "400"])
    assert again.exit_code == 0 and "reusing" in again.output


def test_a_broken_config_still_opens_the_demo_with_defaults(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[display\nbidi = 3\n", encoding="utf-8")
    path = tmp_path / "d.sqlite"
    result = CliRunner().invoke(
        app,
        ["demo", "--build-only", "--path", str(path), "--size", "30"],
        env={"CSCONSOLE_CONFIG": str(config)},
    )
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and str(config) in result.output
    assert path.exists()


def test_the_command_default_is_the_generator_default() -> None:
    import inspect

    assert inspect.signature(demo).parameters["size"].default == DEFAULT_SIZE >= 300
