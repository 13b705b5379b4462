"""Commands that read the local store: ``stats`` and ``search``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from csconsole.cli.options import JsonOption, StoreOption, open_existing_store
from csconsole.domain.search_query import QueryError, parse_query
from csconsole.domain.text import sanitize


def stats(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Print what the store holds: conversations, messages, customers, orders, sync state.

    Example: csconsole stats --json
    """
    from csconsole.store.stats import store_stats

    figures = store_stats(open_existing_store(store))
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    for key in ("conversations", "messages", "customers", "orders"):
        typer.echo(f"{key:<14}{figures[key]:>10}")
    for group in ("by_status", "by_channel", "outbox"):
        shown = ", ".join(f"{name} {count}" for name, count in figures[group].items()) or "-"
        typer.echo(f"{group.replace('_', ' '):<14}{shown}")
    for name, source in figures["sources"].items():
        error = f"  last error: {sanitize(source['last_error'])}" if source["last_error"] else ""
        typer.echo(
            f"source {sanitize(name)} ({source['kind']}): {source['state']}, "
            f"last sync {source['last_sync_at'] or 'never'}{error}"
        )


def search(
    query: Annotated[list[str], typer.Argument(help="Words and filters, e.g. tag:refund")],
    store: StoreOption = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Find conversations. Filters: from: order: tag: status: channel: before: after:

    Example: csconsole search from:ali status:open "damaged parcel"
    """
    from csconsole.store.search import search_conversations

    try:
        parsed = parse_query(" ".join(query))
    except QueryError as error:
        typer.echo(f"csconsole: {error}", err=True)
        raise typer.Exit(2) from error
    hits = search_conversations(open_existing_store(store), parsed, limit=limit)
    if as_json:
        typer.echo(json.dumps([hit.as_json() for hit in hits], ensure_ascii=False, indent=2))
        return
    for hit in hits:
        typer.echo(
            f"{hit.id:>7}  {hit.status:<8} {hit.channel:<9} {hit.updated_at[:16]:<17}"
            f"{sanitize(hit.customer)[:24]:<25}{sanitize(hit.subject)[:60]}"
        )
    if not hits:
        typer.echo("no matching conversations", err=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command()(stats)
    app.command()(search)
