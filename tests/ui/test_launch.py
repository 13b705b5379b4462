"""Typing ``csconsole`` opens the console without loading the command line's machinery."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LAUNCH = """
import json, sys
from csconsole.ui import app as ui_app
opened = []
def runner(app):
    opened.append(type(app.services.inbox).__name__)
    return None
ui_app.set_app_runner(runner)
sys.argv = ["csconsole", *{args!r}]
from csconsole.__main__ import main
try:
    main()
except SystemExit as exit:
    opened.append(f"exit {{exit.code}}")
print(json.dumps([opened, "typer" in sys.modules, "sqlite_utils" in sys.modules]))
"""


def launch(tmp_path: Path, *args: str, config: str | None = None) -> list[object]:
    config_path = tmp_path / "config.toml"
    if config is not None:
        config_path.write_text(config)
    env = {"CSCONSOLE_CONFIG": str(config_path), "CSCONSOLE_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-c", LAUNCH.format(args=list(args))],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        check=True,
    )
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_bare_command_opens_the_console_without_typer_or_sqlite_utils(tmp_path: Path) -> None:
    assert launch(tmp_path, config="") == [["InboxService"], False, False]


def test_a_subcommand_still_goes_through_the_command_line(tmp_path: Path) -> None:
    assert launch(tmp_path, "run", config="")[:2] == [["InboxService", "exit 0"], True]


def test_a_broken_config_is_reported_as_by_the_run_command(tmp_path: Path) -> None:
    opened, _, _ = launch(tmp_path, config="[display]\nbidi = 3\n")
    assert opened == ["exit 2"]
