"""``csconsole run`` (and bare ``csconsole``): open the console on the user's store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def run(
    store: Annotated[
        Path | None, typer.Option("--store", help="The store file (default: the user's).")
    ] = None,
) -> None:
    """Open the console on your store; works offline with everything already synced.

    Example: csconsole run
    """
    from csconsole import paths
    from csconsole.config import ConfigError, load_config

    try:
        config = load_config()
    except ConfigError as error:
        typer.echo(f"csconsole: {error}", err=True)
        raise typer.Exit(2) from error
    from csconsole.ui.app import run_console  # Textual loads only here

    run_console(store or paths.store_file(), config)


def open_when_bare(ctx: typer.Context) -> None:
    """With no subcommand, ``csconsole`` opens the console."""
    if ctx.invoked_subcommand is None:
        run(None)


def register(app: typer.Typer) -> None:
    """Add ``run`` and the bare-command callback to the root app."""
    app.command("run")(run)
    app.callback(invoke_without_command=True)(open_when_bare)
