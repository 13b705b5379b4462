"""``csconsole sync``: fetch mail (and every other configured source) headless."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from csconsole import paths
from csconsole.domain.text import sanitize


class _Printer:
    """Progress as plain lines, at most a few per second per folder (cheap over SSH)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.last: dict[tuple[str, str], float] = {}

    def __call__(self, event: Any) -> None:
        if self.quiet:
            return
        key = (event.source, event.folder)
        now = time.monotonic()
        final = event.phase in ("done", "error", "idle") or event.done == event.total
        if not final and now - self.last.get(key, 0.0) < 0.5:
            return
        self.last[key] = now
        where = (
            f"{sanitize(event.source)}/{sanitize(event.folder)}"
            if event.folder
            else sanitize(event.source)
        )
        if event.phase == "error":
            typer.echo(f"{where}: error: {sanitize(event.message)}", err=True)
        elif event.total:
            width = 30
            filled = int(width * event.done / event.total)
            bar = "#" * filled + "-" * (width - filled)
            typer.echo(f"{where}: {event.phase} [{bar}] {event.done}/{event.total}")
        elif event.phase in ("connect", "idle"):
            typer.echo(f"{where}: {event.phase}")


def sync(
    account: Annotated[
        str | None, typer.Option("--account", "-a", help="Only this account, shop or channel.")
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="One pass, then exit (the default).")
    ] = False,
    watch: Annotated[
        bool, typer.Option("--watch", help="Keep running: IDLE push for mail, polling for shops.")
    ] = False,
    store: Annotated[
        Path | None, typer.Option("--store", help="Store file (default: the user's store).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Fetch new mail, flags and removals (and shop orders and chats) into the local store.

    Example: csconsole sync --account support --once
    """
    from csconsole.config import ConfigError, load_config
    from csconsole.services import sync as service

    if once and watch:
        typer.echo("csconsole: choose --once or --watch, not both", err=True)
        raise typer.Exit(2)
    try:
        config = load_config()
    except ConfigError as error:
        typer.echo(f"csconsole: {error}", err=True)
        raise typer.Exit(2) from error
    sources = service.configured_sources(config, account)
    if not sources:
        what = f"named {account!r} " if account else ""
        typer.echo(
            f"csconsole: no source {what}in the config; see `csconsole config path`", err=True
        )
        raise typer.Exit(2)
    path = store or paths.store_file()
    printer = _Printer(quiet or as_json)
    if watch:
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        from csconsole.services.sync_watch import watch as watch_sources

        try:
            watch_sources(path, config, stop, only=account, progress=printer)
        except KeyboardInterrupt:
            stop.set()
        return
    results = service.sync_once(path, config, only=account, progress=printer)
    if as_json:
        rows = [
            {
                "id": r.source,
                "kind": r.kind,
                "new": r.new,
                "changed": r.changed,
                "removed": r.removed,
                "warnings": r.warnings,
                "error": r.error,
                "folder_errors": r.folder_errors,
            }
            for r in results
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in results:
            status = f"error: {sanitize(r.error)}" if r.error else "ok"
            if not r.error and r.folder_errors:
                status = f"{len(r.folder_errors)} folder(s) failed"
            typer.echo(
                f"{sanitize(r.source)} ({r.kind}): {r.new} new, {r.changed} changed, "
                f"{r.removed} removed, {r.warnings} with warnings - {status}"
            )
            for folder, why in r.folder_errors.items():
                typer.echo(f"  {sanitize(folder)}: error: {sanitize(why)}")
    if any(r.error or r.folder_errors for r in results):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``sync`` to the CLI."""
    app.command("sync")(sync)
