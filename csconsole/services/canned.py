"""Canned responses for the console and the CLI: load the files, find, render.

Two folders are read: the starter set shipped in the package and
``<config dir>/canned/*.toml``; a user response with the same id replaces the
shipped one. ``_shop.toml`` in the user folder holds shop facts for templates
(``[shop] name = "…", return_days = 14``). Files starting with ``_`` are not
responses.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csconsole import paths
from csconsole.domain.canned import CannedError, CannedResponse, check_unique, parse_canned
from csconsole.domain.canned_search import search
from csconsole.store import canned as canned_store

if TYPE_CHECKING:
    from csconsole.services import Services

NEW_TEMPLATE = '''[[response]]
id = "{id}"
title = "{title}"
shortcut = "{shortcut}"
intent = "general/{shortcut}"
tags = []
# actions = {{ status = "pending", snooze = "3d", add_tags = ["x"], link_order = true }}

subject.en = "Re: {{{{ conversation.subject }}}}"
body.en = """
Hi {{{{ customer.first_name | default("there") }}}},

{{% if order.number %}}About your order #{{{{ order.number }}}}: {{% endif %}}...

{{{{ agent.first_name }}}}
"""
body.ar = """
مرحبًا {{{{ customer.first_name | default("") }}}}،

...
"""
body.fa = """
سلام {{{{ customer.first_name | default("") }}}}،

...
"""
'''


def builtin_dir() -> Path:
    """The starter set shipped with the package."""
    return Path(str(resources.files("csconsole") / "data" / "canned"))


def user_dir() -> Path:
    return paths.config_dir() / "canned"


def canned_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("_"))


def read_folder(folder: Path) -> tuple[list[CannedResponse], list[CannedError]]:
    """Every response in one folder, and every file error (one bad file spoils no other)."""
    responses: list[CannedResponse] = []
    errors: list[CannedError] = []
    for path in canned_files(folder):
        try:
            found = parse_canned(path.read_text(encoding="utf-8"), path.name)
            check_unique([*responses, *found])
        except CannedError as error:
            errors.append(error)
            continue
        except (OSError, UnicodeDecodeError) as error:
            errors.append(CannedError(path.name, "", f"cannot read: {error}"))
            continue
        responses.extend(found)
    return responses, errors


def read_all(folders: list[Path]) -> tuple[list[CannedResponse], list[CannedError]]:
    """Later folders override earlier ones by id."""
    by_id: dict[str, CannedResponse] = {}
    errors: list[CannedError] = []
    for folder in folders:
        found, problems = read_folder(folder)
        errors.extend(problems)
        for response in found:
            by_id[response.id] = response
    shortcuts: dict[str, str] = {}
    for response in list(by_id.values()):
        if response.shortcut and response.shortcut in shortcuts:
            other = shortcuts[response.shortcut]
            errors.append(
                CannedError(
                    response.source_file or "?",
                    "shortcut",
                    f"{response.shortcut!r} is also used by {other}; it is left out",
                )
            )
            by_id.pop(response.id)
            continue
        if response.shortcut:
            shortcuts[response.shortcut] = response.id
    return list(by_id.values()), errors


def shop_facts(folder: Path) -> dict[str, Any]:
    """The ``[shop]`` table of ``_shop.toml`` (empty when absent or unreadable)."""
    path = folder / "_shop.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    shop = data.get("shop")
    return dict(shop) if isinstance(shop, dict) else {}


@dataclass(frozen=True)
class LoadResult:
    count: int
    errors: tuple[CannedError, ...]


class CannedService:
    """The canned responses the console offers."""

    def __init__(self, services: Services, folders: list[Path] | None = None) -> None:
        self._services = services
        self.folders = folders if folders is not None else [builtin_dir(), user_dir()]

    def reload(self) -> LoadResult:
        """Read the files and replace the store's set (bad files are reported, others load)."""
        responses, errors = read_all(self.folders)
        count = canned_store.replace_all(self._services.db(), responses)
        return LoadResult(count, tuple(errors))

    def check(self) -> tuple[int, list[CannedError]]:
        """Validate the files without touching the store."""
        responses, errors = read_all(self.folders)
        return len(responses), errors

    def all(self) -> list[CannedResponse]:
        db = self._services.db()
        found = canned_store.list_canned(db)
        if not found:
            self.reload()
            found = canned_store.list_canned(db)
        return found

    def get(self, key: str) -> CannedResponse | None:
        found = canned_store.get_canned(self._services.db(), key)
        if found is None and not canned_store.list_canned(self._services.db()):
            self.reload()
            found = canned_store.get_canned(self._services.db(), key)
        return found

    def search(self, query: str, limit: int = 50) -> list[CannedResponse]:
        return search(self.all(), query, limit)

    def shop(self) -> Mapping[str, Any]:
        facts: dict[str, Any] = {}
        for folder in self.folders:
            facts.update(shop_facts(folder))
        return facts

    def new(self, response_id: str, title: str, shortcut: str) -> Path:
        """Write a skeleton file to fill in; refuses to overwrite."""
        folder = self.folders[-1]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (response_id.replace("/", "-") + ".toml")
        if path.exists():
            raise FileExistsError(f"{path} already exists")
        text = NEW_TEMPLATE.format(id=response_id, title=title, shortcut=shortcut)
        parse_canned(text, path.name)  # the skeleton itself must be valid
        path.write_text(text, encoding="utf-8")
        return path
