"""Fixtures shared by the whole suite."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from csconsole.store.db import open_store

pytest_plugins = ["tests.servers.dovecot"]


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where a test's store lives."""
    return tmp_path / "store.sqlite"


@pytest.fixture
def fresh_store(store_path: Path) -> Iterator[Database]:
    """A migrated, empty store on disk (WAL needs a real file)."""
    db = open_store(store_path)
    yield db
    db.close()


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's config or data."""
    monkeypatch.setenv("CSCONSOLE_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("CSCONSOLE_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def unfreeze_heap() -> Iterator[None]:
    """The console freezes its start-up heap; one test's objects must not outlive it."""
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def close_cached_shop_clients() -> Iterator[None]:
    """Shop and chat clients are cached for the life of the process, as in ``csconsole
    sync``; each test's fake servers go away with the test, so its clients do too."""
    yield
    from csconsole.services.shop_runners import close_clients

    close_clients()
