"""A store that is up to date opens for reading without sqlite-utils; an old one migrates."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlite_utils import Database

from csconsole.store.db import SCHEMA_VERSION, open_connection, open_store
from csconsole.store.migrations import migrations


def test_schema_version_counts_every_registered_migration() -> None:
    # A new migration must raise SCHEMA_VERSION, or stores stamped before it would skip it.
    assert SCHEMA_VERSION == len(migrations.pending(Database(memory=True)))


def test_an_old_store_opened_for_reading_is_migrated_first(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = Database(sqlite3.connect(str(path)))
    migrations.apply(db, stop_before="0003_saved_views")
    db.close()

    conn = open_connection(path)

    assert conn.execute("SELECT count(*) FROM saved_views").fetchone() == (0,)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()
    assert not migrations.pending(open_store(path))


def test_reading_the_inbox_of_a_current_store_does_not_load_sqlite_utils(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.sqlite"
    open_store(path).close()
    code = f"""
import json, sys
from pathlib import Path
from csconsole.config import Config
from csconsole.domain.inbox_models import ConversationFilter
from csconsole.services import Services
services = Services(Path({str(path)!r}), Config())
spec = ConversationFilter()
print(json.dumps([services.inbox.count(spec), services.inbox.page(spec, 0, 40),
                  services.inbox.outbox_waiting(), "sqlite_utils" in sys.modules]))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(result.stdout) == [0, [], 0, False]
