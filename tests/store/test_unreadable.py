"""A message the server cannot hand over is tried again: next pass first, then less often."""

from __future__ import annotations

from datetime import timedelta

from sqlite_utils import Database

from csconsole.domain.clock import from_iso
from csconsole.store import mail_state, unreadable
from csconsole.store.inbox import ensure_account

NOW = from_iso("2026-11-23T09:00:00Z")


def folder(db: Database) -> int:
    account = ensure_account(db, "support", "imap")
    return mail_state.ensure_folder(db, account, "INBOX", "inbox").id


def test_retried_on_the_next_pass_then_with_growing_pauses(fresh_store: Database) -> None:
    db, folder_id = fresh_store, folder(fresh_store)
    unreadable.record(db, folder_id, 7, 42, "BYE internal error", NOW)
    assert unreadable.due(db, folder_id, 7, NOW) == [42]  # the cause may have passed

    unreadable.record(db, folder_id, 7, 42, "BYE again", NOW)
    assert unreadable.due(db, folder_id, 7, NOW + timedelta(minutes=4)) == []
    assert unreadable.due(db, folder_id, 7, NOW + timedelta(minutes=5)) == [42]

    for _ in range(20):  # a file that stays damaged is tried at least every six hours
        unreadable.record(db, folder_id, 7, 42, "BYE", NOW)
    assert unreadable.due(db, folder_id, 7, NOW + timedelta(hours=6)) == [42]
    assert unreadable.pending(db, folder_id, 7) == {42: "BYE"}


def test_forgotten_once_fetched_and_after_a_uidvalidity_change(fresh_store: Database) -> None:
    db, folder_id = fresh_store, folder(fresh_store)
    for uid in (3, 4):
        unreadable.record(db, folder_id, 7, uid, "BYE", NOW)
    unreadable.forget(db, folder_id, 7, [3])
    assert unreadable.pending(db, folder_id, 7) == {4: "BYE"}

    unreadable.forget_other_generations(db, folder_id, 8)  # every message is fetched anew
    assert unreadable.pending(db, folder_id, 7) == {}
