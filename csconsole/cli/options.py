"""Options and helpers every command module shares: where the store is, JSON output."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlite_utils import Database

from csconsole import paths

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Store file to read (default: the user's store)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def open_existing_store(store: Path | None) -> Database:
    """Open the given (or the user's) store; exit with advice when there is none yet."""
    from csconsole.store.db import StoreError, open_store

    path = store or paths.store_file()
    if not path.exists():
        typer.echo(
            f"csconsole: no store at {path} yet; run `csconsole sync` or try `csconsole demo`",
            err=True,
        )
        raise typer.Exit(1)
    try:
        return open_store(path)
    except StoreError as error:
        typer.echo(f"csconsole: {error}", err=True)
        raise typer.Exit(1) from error
