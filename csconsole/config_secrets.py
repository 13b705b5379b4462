"""Where a source's secret comes from, and the connection fields read alongside it.

Split from ``config.py`` to keep it small. Mail servers and shops read the same four
fields (password command or keyring, timeout, CA file) the same way; a bot reads its
token with the same one-of-two rule under other key names.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from csconsole.config_schema import Table

SecretPair = tuple[str | None, str | None]  # (command, keyring service)


def secret_source(
    t: Table, prefix: str, what: str, hint: str, inherit: SecretPair | None = None
) -> SecretPair:
    """``<prefix>_command`` or ``<prefix>_keyring``: exactly one, or else the inherited pair."""
    command_key, keyring_key = f"{prefix}_command", f"{prefix}_keyring"
    command = t.command(command_key)
    keyring = t.optional_string(keyring_key)
    if command is not None and keyring is not None:
        t.fail(keyring_key, f"only one of {command_key} and {keyring_key}")
    if command is None and keyring is None:
        if inherit is None:
            t.fail(command_key, f"a way to fetch {what}: {hint}")
        return inherit
    return command, keyring


class Remote(TypedDict):
    """The fields a password-protected server (mail or shop) reads the same way."""

    password_command: str | None
    password_keyring: str | None
    timeout: float
    ca_file: str | None


def read_remote(
    t: Table, base: Path | None, what: str, hint: str, inherit: SecretPair | None = None
) -> Remote:
    """The secret's source, how long to wait, and which extra CA to trust."""
    command, keyring = secret_source(t, "password", what, hint, inherit)
    return Remote(
        password_command=command,
        password_keyring=keyring,
        timeout=t.number("timeout", 30.0, low=0.1, high=600),
        ca_file=t.file_path("ca_file", base),
    )
