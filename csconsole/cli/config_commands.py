"""``csconsole config``: find, check and create the config file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from csconsole import paths
from csconsole.config import Config, ConfigError, load_config
from csconsole.config_example import starter_text
from csconsole.secrets import SecretError, secret_sources

config_app = typer.Typer(
    name="config",
    help="Find, check and create the config file.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@config_app.command("path")
def path_command() -> None:
    """Print where the config file is read from ($CSCONSOLE_CONFIG overrides it).

    Example: csconsole config path
    """
    typer.echo(str(paths.config_file()))


@config_app.command("check")
def check_command(
    file: Annotated[
        Path | None,
        typer.Argument(help="The file to check; default: the file `csconsole config path` shows."),
    ] = None,
    secrets: Annotated[
        bool,
        typer.Option(
            "--secrets",
            help="Also run every password/token command (or read the keyring) to see that "
            "each answers; the secrets themselves are never printed.",
        ),
    ] = False,
) -> None:
    """Check a config file and summarise it; exit status 1 and the reason when it is wrong.

    Example: csconsole config check --secrets ~/.config/csconsole/config.toml
    """
    target = paths.config_file() if file is None else file
    if not target.exists():
        if file is not None:
            typer.echo(f"{target}: no such file", err=True)
            raise typer.Exit(1)
        typer.echo(f"OK: no config file at {target}; using the defaults")
        return
    try:
        config = load_config(target)
    except ConfigError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"OK: {summary(config)}")
    if secrets and not _check_secrets(config):
        raise typer.Exit(1)


def _check_secrets(config: Config) -> bool:
    """Fetch each secret once and say whether it came; print why when it did not."""
    all_good = True
    for label, fetch in secret_sources(config):
        try:
            fetch()
        except SecretError as exc:
            typer.echo(f"FAILED: {exc}", err=True)
            all_good = False
        else:
            typer.echo(f"OK: {label}: secret fetched")
    return all_good


@config_app.command("init")
def init_command(
    file: Annotated[
        Path | None,
        typer.Argument(help="Where to write; default: the file `csconsole config path` shows."),
    ] = None,
) -> None:
    """Write a commented starter config (readable only by you); never overwrites a file.

    Example: csconsole config init && $EDITOR "$(csconsole config path)"
    """
    target = paths.config_file() if file is None else file
    if target.exists():
        typer.echo(f"{target} already exists; not overwriting it", err=True)
        raise typer.Exit(1)
    text = starter_text()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: never replace a file that appeared meanwhile; 0600 from the first byte.
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        typer.echo(f"{target} already exists; not overwriting it", err=True)
        raise typer.Exit(1) from exc
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(target, 0o600)  # the umask may have narrowed it further; make it exact
    typer.echo(f"Wrote {target}; edit it, then run: csconsole config check")


def summary(config: Config) -> str:
    """One line saying what the config sets up."""

    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    sla = config.sla
    channels = ", ".join(
        f"{name} {policy.first_response_hours:g}h" for name, policy in sla.by_channel.items()
    )
    parts = [
        count(len(config.accounts), "account"),
        count(len(config.shops), "shop"),
        count(len(config.channels), "channel"),
        f"SLA default {sla.default.first_response_hours:g}h"
        + (f" ({channels})" if channels else ""),
        count(len(config.keymap), "key binding"),
    ]
    return ", ".join(parts)


def register(app: typer.Typer) -> None:
    """Add ``csconsole config ...`` to the root app."""
    app.add_typer(config_app, name="config")
