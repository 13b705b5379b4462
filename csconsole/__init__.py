"""csconsole: a keyboard-first terminal console for e-commerce customer service.

Layers, each importing only those below it (enforced by import-linter and a test):

* ``ui/``        Textual screens and widgets; reaches everything through ``services``.
* ``cli/``       Typer commands (and ``__main__``, which opens the console without
                 Typer); they import ``ui`` only inside the function that starts it.
* ``services/``  the one API used by the UI and the CLI (inbox, replies, orders, sync).
* ``sync/``      joins sources and store: one transaction per fetched batch and its cursor.
* ``sources/``   IMAP, SMTP, Shopify, WooCommerce, Telegram, demo: talk to the world.
* ``store/``     SQLite (WAL, FTS5): schema, migrations and queries; plain sqlite3 for
                 reads, sqlite-utils for writes.
* ``domain/``    standard library only: models, SLA rules, templates, text safety.
"""

__version__ = "0.1.0"
