"""Every command explains itself and is listed in the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from csconsole.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def leaf_commands() -> list[tuple[str, Any]]:
    """(path, command) for every runnable command; typer ships its own click, so groups
    are recognised by their ``commands`` mapping."""
    found: list[tuple[str, Any]] = []

    def walk(group: Any, prefix: str) -> None:
        for name, command in group.commands.items():
            path = f"{prefix} {name}"
            if hasattr(command, "commands"):
                walk(command, path)
            else:
                found.append((path, command))

    walk(typer.main.get_command(app), "csconsole")
    return found


COMMANDS = leaf_commands()


def test_the_core_commands_exist() -> None:
    names = {path for path, _ in COMMANDS}
    assert {"csconsole search", "csconsole stats"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_command_has_help_with_an_example(path: str, command: Any) -> None:
    assert command.help and command.help.strip(), f"{path} has no help text"
    assert "Example:" in command.help, f"{path}'s help shows no example"
    result = CliRunner().invoke(app, [*path.split()[1:], "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS])
def test_command_is_in_the_readme(path: str) -> None:
    assert f"`{path}" in README, f"README.md does not list {path}"
