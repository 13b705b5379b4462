"""The first version of the store's schema (migration 0001), as one SQL script.

Kept apart from the migration list because it is long and, like every shipped
migration, never edited: later changes are new migrations in ``migrations.py``.
"""

INITIAL_SCHEMA = """
-- Every configured source of messages or orders: mail accounts, shops, chat channels.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,      -- imap | shopify | woocommerce | telegram | demo
    address       TEXT,               -- mail address, shop URL or bot API URL
    display_name  TEXT,
    created_at    TEXT NOT NULL,
    sync_state    TEXT NOT NULL DEFAULT 'idle',  -- idle | syncing | error | offline
    last_sync_at  TEXT,
    last_error    TEXT,
    last_error_at TEXT
);

-- IMAP folders and their sync cursor (RFC 7162 state).
CREATE TABLE folders (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL DEFAULT 'other',   -- inbox | sent | archive | other
    uidvalidity    INTEGER,
    uidnext        INTEGER,
    highestmodseq  INTEGER,
    oldest_uid     INTEGER,            -- newest-first backfill has reached down to here
    backfill_done  INTEGER NOT NULL DEFAULT 0,
    last_sync_at   TEXT,
    UNIQUE (account_id, name)
);

-- Cursors of API pollers (e.g. 'orders.updated_at', 'telegram.offset').
CREATE TABLE sync_cursors (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, name)
);

CREATE TABLE customers (
    id            INTEGER PRIMARY KEY,
    display_name  TEXT NOT NULL DEFAULT '',
    language      TEXT,                -- BCP 47 tag: en, ar, fa ...
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- A customer has several emails, phones and chat handles; value is normalised.
CREATE TABLE customer_contacts (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,        -- email | phone | telegram
    value        TEXT NOT NULL,        -- lower-cased email, E.164-ish digits, chat id
    display      TEXT NOT NULL,        -- as the customer wrote it
    UNIQUE (kind, value)
);
CREATE INDEX customer_contacts_customer ON customer_contacts(customer_id);

CREATE TABLE conversations (
    id                 INTEGER PRIMARY KEY,
    channel            TEXT NOT NULL,  -- email | telegram | shop
    account_id         INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    customer_id        INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    external_id        TEXT,           -- chat id or order id for non-mail channels
    subject            TEXT NOT NULL DEFAULT '',
    subject_key        TEXT NOT NULL DEFAULT '',   -- normalised subject for threading
    status             TEXT NOT NULL DEFAULT 'open'
                       CHECK (status IN ('open', 'pending', 'snoozed', 'closed')),
    snooze_until       TEXT,
    assignee           TEXT,
    language           TEXT,
    unread             INTEGER NOT NULL DEFAULT 0,   -- unread inbound messages
    message_count      INTEGER NOT NULL DEFAULT 0,
    preview            TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    last_message_at    TEXT,
    last_inbound_at    TEXT,
    last_outbound_at   TEXT,
    first_response_at  TEXT,
    awaiting_since     TEXT,           -- oldest unanswered customer message: the SLA clock
    sla_due_at         TEXT,           -- cached deadline under the current policy
    UNIQUE (account_id, external_id)
);
CREATE INDEX conversations_status_due ON conversations(status, sla_due_at);
CREATE INDEX conversations_updated ON conversations(updated_at);
CREATE INDEX conversations_last_message ON conversations(last_message_at);
CREATE INDEX conversations_customer ON conversations(customer_id);
CREATE INDEX conversations_subject_key ON conversations(customer_id, subject_key);

CREATE TABLE conversation_tags (
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    tag              TEXT NOT NULL,
    PRIMARY KEY (conversation_id, tag)
);
CREATE INDEX conversation_tags_tag ON conversation_tags(tag);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    account_id       INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    direction        TEXT NOT NULL CHECK (direction IN ('in', 'out', 'note')),
    message_id       TEXT,             -- RFC 5322 Message-ID, without angle brackets
    in_reply_to      TEXT,
    refs             TEXT NOT NULL DEFAULT '[]',   -- JSON list of Message-IDs
    from_name        TEXT NOT NULL DEFAULT '',
    from_addr        TEXT NOT NULL DEFAULT '',
    to_addrs         TEXT NOT NULL DEFAULT '[]',   -- JSON list of addresses
    cc_addrs         TEXT NOT NULL DEFAULT '[]',
    subject          TEXT NOT NULL DEFAULT '',
    author           TEXT,             -- agent who wrote an outgoing message or note
    sent_at          TEXT NOT NULL,    -- the Date header or the API timestamp
    received_at      TEXT NOT NULL,
    headers          TEXT NOT NULL DEFAULT '',     -- raw header block, decoded
    body_text        TEXT NOT NULL DEFAULT '',
    body_html_text   TEXT NOT NULL DEFAULT '',     -- HTML part turned into safe text
    body_truncated   INTEGER NOT NULL DEFAULT 0,   -- 1: the rest is fetched on demand
    language         TEXT,
    size             INTEGER NOT NULL DEFAULT 0,
    seen             INTEGER NOT NULL DEFAULT 0,
    flags            TEXT NOT NULL DEFAULT '[]',   -- IMAP flags and keywords (JSON)
    decode_warning   TEXT,             -- set when the MIME was broken or mislabelled
    bodystructure    TEXT,             -- JSON, for fetching parts on demand
    folder_id        INTEGER REFERENCES folders(id) ON DELETE SET NULL,
    uidvalidity      INTEGER,
    uid              INTEGER,
    modseq           INTEGER,
    external_id      TEXT,             -- API id for non-mail channels
    created_at       TEXT NOT NULL,
    UNIQUE (folder_id, uidvalidity, uid),
    UNIQUE (account_id, external_id)
);
CREATE INDEX messages_conversation ON messages(conversation_id, sent_at);
CREATE INDEX messages_message_id ON messages(message_id);

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    message_id    INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    part          TEXT NOT NULL,       -- IMAP body part number or the API's file id
    filename      TEXT NOT NULL DEFAULT '',
    content_type  TEXT NOT NULL DEFAULT 'application/octet-stream',
    encoding      TEXT,
    size          INTEGER NOT NULL DEFAULT 0,
    content_id    TEXT,
    inline        INTEGER NOT NULL DEFAULT 0,
    content       BLOB,                -- NULL until the user asks for it
    fetched_at    TEXT,
    UNIQUE (message_id, part)
);

CREATE TABLE orders (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    external_id         TEXT NOT NULL,  -- the platform's id (Shopify GID, Woo id)
    number              TEXT NOT NULL,  -- what the customer sees: '1001'
    customer_id         INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    customer_name       TEXT NOT NULL DEFAULT '',
    email               TEXT,           -- normalised
    phone               TEXT,           -- normalised
    status              TEXT,           -- the platform's own order status, raw
    financial_status    TEXT,           -- pending | paid | refunded ...
    fulfillment_status  TEXT,           -- unfulfilled | partial | fulfilled | returned
    currency            TEXT NOT NULL DEFAULT '',
    total               TEXT NOT NULL DEFAULT '0',   -- decimal text, never float
    subtotal            TEXT,
    shipping_total      TEXT,
    tax_total           TEXT,
    refunded_total      TEXT,
    payment_method      TEXT,
    items               TEXT NOT NULL DEFAULT '[]',  -- JSON [{name, sku, quantity, price}]
    shipping_address    TEXT,           -- JSON
    note                TEXT,
    placed_at           TEXT,
    updated_at          TEXT,
    cancelled_at        TEXT,
    closed_at           TEXT,
    raw                 TEXT,           -- the platform's JSON, for fields not mapped yet
    fetched_at          TEXT NOT NULL,
    UNIQUE (account_id, external_id)
);
CREATE INDEX orders_number ON orders(number);
CREATE INDEX orders_customer ON orders(customer_id);
CREATE INDEX orders_email ON orders(email);
CREATE INDEX orders_phone ON orders(phone);

CREATE TABLE shipments (
    id                  INTEGER PRIMARY KEY,
    order_id            INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    external_id         TEXT,
    carrier             TEXT,
    tracking_number     TEXT,
    tracking_url        TEXT,
    status              TEXT,           -- canonical: in_transit | delivered | ...
    status_raw          TEXT,
    shipped_at          TEXT,
    estimated_delivery  TEXT,
    delivered_at        TEXT,
    updated_at          TEXT,
    UNIQUE (order_id, external_id)
);
CREATE INDEX shipments_order ON shipments(order_id);

-- Notes written on the order in the shop (customer-visible or private).
CREATE TABLE order_notes (
    id                INTEGER PRIMARY KEY,
    order_id          INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    external_id       TEXT,
    author            TEXT,
    body              TEXT NOT NULL,
    customer_visible  INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    UNIQUE (order_id, external_id)
);

CREATE TABLE conversation_orders (
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    order_id         INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    linked_by        TEXT NOT NULL DEFAULT 'auto',   -- auto | user
    linked_at        TEXT NOT NULL,
    PRIMARY KEY (conversation_id, order_id)
);
CREATE INDEX conversation_orders_order ON conversation_orders(order_id);

CREATE TABLE canned_responses (
    id           TEXT PRIMARY KEY,     -- 'shipping/where-is-my-order' style slug
    title        TEXT NOT NULL,
    shortcut     TEXT,
    intent       TEXT,
    tags         TEXT NOT NULL DEFAULT '[]',
    actions      TEXT NOT NULL DEFAULT '{}',     -- JSON: status, snooze, tags, link_order
    source_file  TEXT,
    updated_at   TEXT NOT NULL
);
CREATE TABLE canned_variants (
    canned_id  TEXT NOT NULL REFERENCES canned_responses(id) ON DELETE CASCADE,
    language   TEXT NOT NULL,
    subject    TEXT,
    body       TEXT NOT NULL,
    PRIMARY KEY (canned_id, language)
);

CREATE TABLE drafts (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER REFERENCES conversations(id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,    -- reply | reply_all | note | new
    to_addrs         TEXT NOT NULL DEFAULT '[]',
    cc_addrs         TEXT NOT NULL DEFAULT '[]',
    subject          TEXT NOT NULL DEFAULT '',
    body             TEXT NOT NULL DEFAULT '',
    language         TEXT,
    canned_id        TEXT,
    updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX drafts_conversation_kind ON drafts(conversation_id, kind)
    WHERE conversation_id IS NOT NULL;

-- Outgoing messages: written once with their final Message-ID, drained by the sender.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER REFERENCES conversations(id) ON DELETE SET NULL,
    account_id       INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    channel          TEXT NOT NULL,    -- email | telegram
    message_id       TEXT NOT NULL UNIQUE,
    recipients       TEXT NOT NULL DEFAULT '[]',  -- JSON: envelope recipients or chat id
    subject          TEXT NOT NULL DEFAULT '',
    body_text        TEXT NOT NULL DEFAULT '',
    raw              BLOB,             -- the final RFC 5322 bytes for mail
    state            TEXT NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
    send_after       TEXT NOT NULL,    -- end of the undo window
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    last_error       TEXT,
    external_id      TEXT,             -- the channel's id once sent
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX outbox_state ON outbox(state, send_after);

-- Every state change, for the audit trail and reports.
CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    at               TEXT NOT NULL,
    actor            TEXT NOT NULL,    -- 'agent:<name>', 'sync:<account>', 'system'
    kind             TEXT NOT NULL,    -- 'conversation.status', 'reply.queued', ...
    conversation_id  INTEGER REFERENCES conversations(id) ON DELETE SET NULL,
    order_id         INTEGER REFERENCES orders(id) ON DELETE SET NULL,
    data             TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_conversation ON events(conversation_id, at);
CREATE INDEX events_kind ON events(kind, at);
"""
