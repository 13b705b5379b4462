"""Strict readers for the TOML config: every mistake becomes one ``ConfigError``.

``config.py`` says *what* the settings are; this module says *how* a value is
checked. A ``Table`` hands out typed values by key, remembers which keys were
read, and ``finish()`` rejects any key nobody asked for, so a typo never passes
silently. Every error carries the file, the key path (``accounts[0].imap.port``)
and what was expected. Values that might be secrets are never echoed back.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
import shlex
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_MISSING = object()

# Keys that would put a secret in the file; the message points to the safe ways.
SECRET_KEYS = frozenset(
    {
        "password",
        "passwd",
        "pass",
        "secret",
        "token",
        "api_key",
        "apikey",
        "access_token",
        "consumer_secret",
        "client_secret",
    }
)


class ConfigError(Exception):
    """A config file that cannot be used, with where and what was expected."""

    def __init__(self, file: str, key: str, expected: str, got: str | None = None) -> None:
        self.file = file
        self.key = key
        self.expected = expected
        self.got = got
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        text = f"{where}: expected {self.expected}"
        return f"{text}, got {self.got}" if self.got else text


def describe(value: object) -> str:
    """How a wrong value reads in an error: its TOML type and a short form of it."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, datetime | date | time):
        return "a date/time"
    return type(value).__name__


def child_path(path: str, key: str) -> str:
    """``accounts[0]`` + ``imap`` → ``accounts[0].imap``; odd keys are quoted as in TOML."""
    shown = key if _BARE_KEY.match(key) else '"' + key.replace('"', '\\"') + '"'
    return f"{path}.{shown}" if path else shown


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ``::1`` (also IPv4-mapped): traffic never leaves."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


class Table:
    """One TOML table being read; tracks the keys used so leftovers are errors."""

    def __init__(self, data: Mapping[str, object], path: str, file: str) -> None:
        self.data = data
        self.path = path
        self.file = file
        self._used: set[str] = set()

    def fail(self, key: str, expected: str, got: str | None = None) -> NoReturn:
        raise ConfigError(
            self.file, child_path(self.path, key) if key else self.path, expected, got
        )

    def has(self, key: str) -> bool:
        return key in self.data

    def allow(self, *keys: str) -> None:
        """Declare optional keys read by ``has``/``data`` so ``finish`` knows and suggests them."""
        self._used.update(keys)

    def _take(self, key: str, default: object) -> object:
        self._used.add(key)
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            self.fail(key, "this key to be set")
        return default

    def string(self, key: str, default: object = _MISSING, *, allow_empty: bool = False) -> str:
        value = self._take(key, default)
        if not isinstance(value, str):
            self.fail(key, "a string", describe(value))
        if not allow_empty and not value.strip():
            self.fail(key, "a non-empty string", "an empty string")
        return value

    def optional_string(self, key: str) -> str | None:
        if key not in self.data:
            self._used.add(key)
            return None
        return self.string(key)

    def integer(self, key: str, default: object = _MISSING, *, low: int, high: int) -> int:
        value = self._take(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(key, f"a whole number from {low} to {high}", describe(value))
        return value

    def number(self, key: str, default: object = _MISSING, *, low: float, high: float) -> float:
        value = self._take(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            self.fail(key, f"a number from {low:g} to {high:g}", describe(value))
        return float(value)

    def boolean(self, key: str, default: object = _MISSING) -> bool:
        value = self._take(key, default)
        if not isinstance(value, bool):
            self.fail(key, "true or false", describe(value))
        return value

    def choice(self, key: str, choices: Sequence[str], default: object = _MISSING) -> str:
        value = self._take(key, default)
        if not isinstance(value, str) or value not in choices:
            self.fail(key, "one of " + ", ".join(f'"{c}"' for c in choices), describe(value))
        return value

    def string_list(self, key: str, default: Sequence[str]) -> tuple[str, ...]:
        value = self._take(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(key, "an array of non-empty strings", describe(value))
        return tuple(value)

    def table(self, key: str, *, required: bool = False) -> Table | None:
        value = self._take(key, _MISSING if required else None)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.fail(key, "a table", describe(value))
        return Table(value, child_path(self.path, key), self.file)

    def tables(self, key: str) -> list[Table]:
        """An array of tables (``[[accounts]]``); absent means none."""
        value = self._take(key, [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.fail(key, f"an array of tables, written [[{key}]]", describe(value))
        path = child_path(self.path, key)
        return [Table(item, f"{path}[{i}]", self.file) for i, item in enumerate(value)]

    def timezone(self, key: str, default: object = _MISSING) -> str:
        name = self.string(key, default)
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(key, 'an IANA time zone name such as "Asia/Tehran" or "UTC"', describe(name))
        return name

    def command(self, key: str) -> str | None:
        """A command line run without a shell; it must split into words."""
        text = self.optional_string(key)
        if text is None:
            return None
        try:
            words = shlex.split(text)
        except ValueError as exc:
            self.fail(key, f"a command line with balanced quotes ({exc})")
        if not words:
            self.fail(key, "a command line", "an empty command")
        return text

    def url(self, key: str, default: object = _MISSING) -> str:
        """An https URL; http only to a loopback host (a local test server)."""
        text = self.string(key, default).strip()
        expected = "an https:// URL (http:// only for localhost/127.0.0.1/::1)"
        try:
            parts = urlsplit(text)
            host = parts.hostname or ""
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            self.fail(key, expected, describe(text))
        if parts.username or parts.password:
            self.fail(key, "a URL without user:password@ (use the *_command or *_keyring keys)")
        if not host or parts.scheme not in ("https", "http"):
            self.fail(key, expected, describe(text))
        if parts.scheme == "http" and not is_loopback_host(host):
            self.fail(key, expected, f"plain http to {host}")
        if parts.query or parts.fragment:
            self.fail(key, "a URL without ?query or #fragment", describe(text))
        return text.rstrip("/")

    def file_path(self, key: str, base: Path | None) -> str | None:
        """An existing file; ``~`` expands and relative paths start at the config's folder."""
        text = self.optional_string(key)
        if text is None:
            return None
        path = Path(text).expanduser()
        if not path.is_absolute() and base is not None:
            path = base / path
        if not path.is_file():
            self.fail(key, "the path of an existing file", f"{str(path)!r}, which does not exist")
        return str(path)

    def reject_secrets(self, hint: str) -> None:
        """Refuse secrets written into the file; name the keys that fetch them instead."""
        for key in self.data:
            if key.lower() in SECRET_KEYS:
                self.fail(key, f"no secret in the config file: use {hint}")

    def finish(self) -> None:
        """Reject keys that no reader asked for, suggesting the nearest known key."""
        for key in self.data:
            if key in self._used:
                continue
            known = sorted(self._used)
            close = difflib.get_close_matches(key, known, n=1)
            if close:
                expected = f'a known key (did you mean "{close[0]}"?)'
            elif known:
                expected = "one of the known keys: " + ", ".join(known)
            else:
                expected = "no keys in this table"
            self.fail(key, expected, "an unknown key")
