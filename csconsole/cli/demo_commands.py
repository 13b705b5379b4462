"""``csconsole demo``: build (or reuse) the demo shop's store and open the console on it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def demo(
    path: Annotated[
        Path | None,
        typer.Option("--path", help="Demo store file (default: demo.sqlite in the data folder)."),
    ] = None,
    size: Annotated[
        int, typer.Option("--size", min=1, help="How many conversations the demo holds.")
    ] = 300,
    build_only: Annotated[
        bool, typer.Option("--build-only", help="Build the store and exit without the console.")
    ] = False,
) -> None:
    """Open the console on a demo shop (English, Arabic, Persian); no account, no network.

    The store is reused when it already holds a demo of this size; a different
    --size rebuilds it. A file that is not a demo store is never replaced.

    Example: csconsole demo --size 1000
    """
    from csconsole import paths
    from csconsole.config import Config, ConfigError, load_config
    from csconsole.sync.demo_load import DemoStoreError, build_demo_store

    try:
        config = load_config()
    except ConfigError as error:
        # The demo needs nothing from the config, so a broken file only costs the defaults.
        typer.echo(f"csconsole: warning: {error}; the demo uses the default settings", err=True)
        config = Config()
    store_path = path or paths.demo_store_file()
    store_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        build = build_demo_store(store_path, size=size, sla=config.sla, progress=typer.echo)
    except DemoStoreError as error:
        typer.echo(f"csconsole: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(
        f"demo store {build.path}: {build.conversations:,} conversations, "
        f"{build.messages:,} messages, {build.customers:,} customers, {build.orders:,} orders"
    )
    if build_only:
        return
    from csconsole.ui.app import run_console  # Textual loads only here

    run_console(store_path, config, demo=True)


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the root app."""
    app.command("demo")(demo)
