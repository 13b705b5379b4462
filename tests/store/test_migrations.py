"""A store made by the first release upgrades itself without losing anything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from csconsole.domain.search_query import parse_query
from csconsole.store.db import open_store
from csconsole.store.migrations import migrations
from csconsole.store.search import search_conversations


def make_first_release_store(path: Path) -> None:
    """What version one wrote: only the initial schema, rows written by plain SQL."""
    db = Database(sqlite3.connect(str(path)))
    migrations.apply(db, stop_before="0002_search_index")
    at = "2026-11-01T08:00:00Z"
    db.execute(
        "INSERT INTO accounts(id, name, kind, created_at) VALUES (1, 'shop', 'imap', ?)", [at]
    )
    db.execute(
        "INSERT INTO customers(id, display_name, created_at, updated_at) "
        "VALUES (1, 'فاطمه کریمی', ?, ?)",
        [at, at],
    )
    db.execute(
        "INSERT INTO customer_contacts(customer_id, kind, value, display) "
        "VALUES (1, 'email', 'fatemeh@example.test', 'Fatemeh@Example.test')"
    )
    db.execute(
        "INSERT INTO conversations(id, channel, account_id, customer_id, subject, created_at, "
        "updated_at, last_message_at) VALUES (7, 'email', 1, 1, 'پیگیری سفارش', ?, ?, ?)",
        [at, at, at],
    )
    db.execute(
        "INSERT INTO messages(conversation_id, account_id, direction, sent_at, received_at, "
        "body_text, created_at) VALUES (7, 1, 'in', ?, ?, 'بسته هنوز نرسيده است', ?)",
        [at, at, at],
    )
    db.conn.commit()
    db.close()


def test_first_schema_upgrades_and_old_rows_become_searchable(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    make_first_release_store(path)

    db = open_store(path)

    applied = [migration.name for migration in migrations.applied(db)]
    assert applied == [migration.name for migration in migrations._migrations]
    assert db["conversations"].count == 1
    assert db["messages"].count == 1
    # The index built by the upgrade covers the old rows, normalised (ي in the text, ی typed).
    hits = search_conversations(db, parse_query("نرسیده"))
    assert [hit.id for hit in hits] == [7]
    assert [h.id for h in search_conversations(db, parse_query("from:fatemeh"))] == [7]
    assert "saved_views" in db.table_names()


def test_opening_twice_applies_nothing_new(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    open_store(path).close()
    db = open_store(path)
    assert migrations.pending(db) == []
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_failing_migration_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    make_first_release_store(path)
    db = Database(sqlite3.connect(str(path)))
    db.execute("CREATE TABLE saved_views (clash INTEGER)")  # makes 0003 fail midway
    db.conn.commit()
    try:
        migrations.apply(db)
    except sqlite3.OperationalError:
        pass
    names = [migration.name for migration in migrations.applied(db)]
    assert "0003_saved_views" not in names
    assert db["messages"].count == 1


@pytest.mark.parametrize("attempt", range(20))  # the race is lost now and then, not always
def test_many_threads_opening_a_new_store_together_all_succeed(
    tmp_path: Path, attempt: int
) -> None:
    """The console's workers and the pollers open the same new store at once (SQLite
    refuses a second switch to WAL at that moment without waiting)."""
    import threading

    path = tmp_path / "new.sqlite"
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def open_it() -> None:
        start.wait()
        try:
            open_store(path).close()
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db = open_store(path)
    assert migrations.pending(db) == []
    assert len(migrations.applied(db)) == len(migrations._migrations)
