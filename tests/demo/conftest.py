"""A demo store built once per test session, with a fixed clock so tests can name times."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from csconsole.store.db import open_store
from csconsole.sync.demo_load import build_demo_store

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
NOW_TEXT = "2026-03-10T09:30:00Z"


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default-size demo (no ``size`` given), as ``csconsole demo`` builds it."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    build_demo_store(path, now=NOW)
    return path


@pytest.fixture()
def demo_db(demo_path: Path) -> Iterator[Database]:
    db = open_store(demo_path)
    yield db
    db.close()
