"""The layer rules hold at run time: headless code never loads the UI toolkit."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import csconsole

CORE_PREFIXES = ("domain", "store", "sources", "sync", "services", "config", "paths", "secrets")


def core_modules() -> list[str]:
    names = []
    for module in pkgutil.walk_packages(csconsole.__path__, prefix="csconsole."):
        local = module.name.removeprefix("csconsole.")
        if local.split(".")[0] in CORE_PREFIXES:
            names.append(module.name)
    return sorted(names)


def loaded_after(code: str) -> set[str]:
    """Run code in a fresh interpreter; return the top-level modules it loaded."""
    report = "import sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    probe = f"{code}\n{report}"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_core_layers_do_not_load_textual() -> None:
    """Rich may arrive indirectly (httpx loads it for its own CLI); our direct imports of
    rich below ui/ are forbidden statically by import-linter."""
    modules = core_modules()
    assert "csconsole.store.db" in modules and "csconsole.domain.text" in modules
    loaded = loaded_after("\n".join(f"import {name}" for name in modules))
    assert "textual" not in loaded


def test_domain_uses_only_the_standard_library() -> None:
    domain = [name for name in core_modules() if name.startswith("csconsole.domain")]
    loaded = loaded_after("\n".join(f"import {name}" for name in domain))
    third_party = {"sqlite_utils", "httpx", "imapclient", "rich", "textual", "typer", "bidi"}
    assert not loaded & third_party


def test_headless_commands_do_not_load_textual(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    code = f"""
import os
os.environ["CSCONSOLE_CONFIG"] = {str(tmp_path / "config.toml")!r}
os.environ["CSCONSOLE_DATA_DIR"] = {str(tmp_path)!r}
from csconsole.store.db import open_store
open_store({str(store)!r}).close()
from csconsole.cli import app
commands = [
    ["stats", "--store", {str(store)!r}],
    ["search", "--store", {str(store)!r}, "--json", "refund"],
    ["config", "path"],
    ["config", "check"],
    ["sync", "--help"],
]
for args in commands:
    try:
        app(args, standalone_mode=False)
    except SystemExit:
        pass
"""
    assert "textual" not in loaded_after(code)
