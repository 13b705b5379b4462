"""The store's schema, as registered migrations applied in order.

Each migration runs in one transaction together with its "applied" record, so a
store made by any older version upgrades itself when it is opened. Never edit a
migration that has shipped: add a new one.

Times are ISO-8601 UTC text (``2026-11-23T09:25:44Z``), which sorts correctly.
JSON columns hold lists or objects encoded with ``json.dumps``.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from csconsole.store.fts import rebuild_search_index
from csconsole.store.schema_initial import INITIAL_SCHEMA

migrations = Migrations("csconsole")


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    db.executescript(INITIAL_SCHEMA)


@migrations(name="0002_search_index")
def _search_index(db: Database) -> None:
    """Full-text search over conversations, filled from what the store already holds."""
    db.executescript(
        """
        -- One row per conversation; text is normalised (see domain.text.normalize_for_search).
        CREATE VIRTUAL TABLE search_index USING fts5(
            subject, body, people, orders,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        """
    )
    rebuild_search_index(db)


@migrations(name="0003_saved_views")
def _saved_views(db: Database) -> None:
    """Named searches the console offers beside its built-in views."""
    db.executescript(
        """
        CREATE TABLE saved_views (
            id          INTEGER PRIMARY KEY,
            name        TEXT NOT NULL UNIQUE,
            query       TEXT NOT NULL,
            created_at  TEXT NOT NULL
        );
        """
    )


@migrations(name="0004_flag_changes")
def _flag_changes(db: Database) -> None:
    """Flag changes made in the console that still have to reach the IMAP server."""
    db.executescript(
        """
        -- Written with the console's state change, deleted once the server has it.
        CREATE TABLE flag_changes (
            id            INTEGER PRIMARY KEY,
            message_id    INTEGER REFERENCES messages(id) ON DELETE CASCADE,
            folder_id     INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
            uidvalidity   INTEGER NOT NULL,
            uid           INTEGER NOT NULL,
            add_flags     TEXT NOT NULL DEFAULT '[]',   -- JSON list
            remove_flags  TEXT NOT NULL DEFAULT '[]',   -- JSON list
            created_at    TEXT NOT NULL
        );
        CREATE INDEX flag_changes_folder ON flag_changes(folder_id, id);
        """
    )


@migrations(name="0005_reply_lookup_and_mail_gaps")
def _reply_lookup_and_mail_gaps(db: Database) -> None:
    """Find stored replies by the Message-ID they answer; a folder's unfetched UID range.

    ``message_refs`` lists every Message-ID a message names in In-Reply-To or
    References, kept by a trigger so every writer fills it. When a parent arrives
    after its reply (Sent synced before INBOX, newest-first batches), it joins the
    reply's conversation through this index.

    ``gap_low``/``gap_high`` bound the UIDs ``[low, high)`` of a new-mail backlog that
    the IMAP sync fetches newest first; below ``gap_high`` nothing is fetched yet.
    """
    db.executescript(
        """
        CREATE TABLE message_refs (
            ref             TEXT NOT NULL,
            message_row_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            PRIMARY KEY (ref, message_row_id)
        ) WITHOUT ROWID;
        CREATE INDEX message_refs_message ON message_refs(message_row_id);

        CREATE TRIGGER messages_refs_insert AFTER INSERT ON messages
        WHEN new.in_reply_to IS NOT NULL OR (new.refs != '[]' AND json_valid(new.refs))
        BEGIN
            INSERT OR IGNORE INTO message_refs(ref, message_row_id)
                SELECT value, new.id FROM json_each(
                    CASE WHEN json_valid(new.refs) THEN new.refs ELSE '[]' END
                ) WHERE typeof(value) = 'text' AND value != ''
                UNION
                SELECT new.in_reply_to, new.id
                WHERE new.in_reply_to IS NOT NULL AND new.in_reply_to != '';
        END;

        INSERT OR IGNORE INTO message_refs(ref, message_row_id)
            SELECT j.value, m.id FROM messages m, json_each(m.refs) j
             WHERE json_valid(m.refs) AND typeof(j.value) = 'text' AND j.value != ''
            UNION
            SELECT in_reply_to, id FROM messages
             WHERE in_reply_to IS NOT NULL AND in_reply_to != '';

        ALTER TABLE folders ADD COLUMN gap_low INTEGER;
        ALTER TABLE folders ADD COLUMN gap_high INTEGER;
        """
    )


@migrations(name="0006_inbox_order_indexes")
def _inbox_order_indexes(db: Database) -> None:
    """Indexes that hand the inbox its sort order, so a page never sorts every match.

    Without them each page of a 100,000-conversation inbox sorted its 40,000 open rows
    in a temporary B-tree (about 15 ms per page); with them a page is an index walk.
    """
    db.executescript(
        """
        -- Urgency: due first, no deadline last, then newest (store/conversations._ORDER).
        CREATE INDEX conversations_urgency ON conversations(
            status, sla_due_at IS NULL, sla_due_at, last_message_at DESC, id DESC
        );
        CREATE INDEX conversations_urgency_all ON conversations(
            sla_due_at IS NULL, sla_due_at, last_message_at DESC, id DESC
        );
        CREATE INDEX conversations_status_last ON conversations(status, last_message_at);
        """
    )


@migrations(name="0007_unreadable_messages")
def _unreadable_messages(db: Database) -> None:
    """Messages the server could not hand over (it ended the session over them).

    The folder's cursor moves past them so the rest of the folder keeps syncing; this
    table remembers them until a later pass fetches them or the server drops them.
    """
    db.executescript(
        """
        CREATE TABLE unreadable_messages (
            folder_id        INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
            uidvalidity      INTEGER NOT NULL,
            uid              INTEGER NOT NULL,
            error            TEXT NOT NULL,
            attempts         INTEGER NOT NULL DEFAULT 1,
            first_failed_at  TEXT NOT NULL,
            retry_at         TEXT NOT NULL,
            PRIMARY KEY (folder_id, uidvalidity, uid)
        ) WITHOUT ROWID;
        """
    )
