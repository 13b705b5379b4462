"""Fetching passwords and tokens at the moment they are needed, never from the config file.

Two sources, one per credential: a command that prints the secret (``pass``, ``gpg``,
``secret-tool``, ``op read``...), run without a shell so no quoting surprise can run
something else, or the OS keyring through the optional ``keyring`` package. Every
failure is a ``SecretError`` that says which account and which source failed and why,
and none of them carries the secret (nor the command's output).
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
from collections.abc import Callable
from functools import partial
from typing import Any

from csconsole.config import ChannelConfig, Config, ServerConfig, ShopConfig

DEFAULT_TIMEOUT = 30.0


class SecretError(Exception):
    """A password or token could not be fetched; the message is safe to show."""


def resolve_secret(
    *,
    command: str | None,
    keyring_service: str | None,
    username: str,
    label: str = "",
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """The secret from ``command`` (first line of its output) or the keyring entry.

    ``label`` names the account in messages, e.g. ``account "support" (imap)``; the
    username stands in when it is empty. ``keyring_service`` and ``username`` are the
    keyring entry's service and user.
    """
    who = label or f"user {username!r}"
    if command is not None:
        return _from_command(command, who, timeout)
    if keyring_service is not None:
        return _from_keyring(keyring_service, username, who)
    raise SecretError(f"{who}: no password_command or password_keyring is configured")


def server_secret(server: ServerConfig, label: str) -> str:
    """The password of an IMAP/SMTP server; keyring user is the login name."""
    return resolve_secret(
        command=server.password_command,
        keyring_service=server.password_keyring,
        username=server.username,
        label=label,
    )


def shop_secret(shop: ShopConfig) -> str:
    """A shop's API secret; keyring user is ``username``, or the shop's name when empty."""
    return resolve_secret(
        command=shop.password_command,
        keyring_service=shop.password_keyring,
        username=shop.username or shop.name,
        label=f'shop "{shop.name}"',
    )


def channel_token(channel: ChannelConfig) -> str:
    """A chat channel's token; keyring user is the channel's name."""
    return resolve_secret(
        command=channel.token_command,
        keyring_service=channel.token_keyring,
        username=channel.name,
        label=f'channel "{channel.name}"',
    )


def secret_sources(config: Config) -> list[tuple[str, Callable[[], str]]]:
    """Every credential the config needs, as (label, fetch) pairs; nothing runs yet."""
    found: list[tuple[str, Callable[[], str]]] = []
    for account in config.accounts:
        for role, server in (("imap", account.imap), ("smtp", account.smtp)):
            if server is not None:
                label = f'account "{account.name}" ({role})'
                found.append((label, partial(server_secret, server, label)))
    found += [(f'shop "{shop.name}"', partial(shop_secret, shop)) for shop in config.shops]
    found += [(f'channel "{c.name}"', partial(channel_token, c)) for c in config.channels]
    return found


def _from_command(command: str, who: str, timeout: float) -> str:
    source = f"password command {command!r}"
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise SecretError(f"{who}: {source} cannot be split into words: {exc}") from exc
    if not argv:
        raise SecretError(f"{who}: the password command is empty")
    argv[0] = os.path.expanduser(argv[0])
    try:
        # Own session: on timeout the whole process group goes, so a helper it started
        # cannot keep the pipe open and hang us.
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise SecretError(f"{who}: {source} could not start: {exc.strerror or exc}") from exc
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        process.communicate()
        raise SecretError(f"{who}: {source} gave no answer within {timeout:g} s") from exc
    if process.returncode != 0:
        reason = _last_line(err)
        detail = f": {reason}" if reason else ""
        raise SecretError(f"{who}: {source} failed with exit status {process.returncode}{detail}")
    first = out.decode("utf-8", "replace").splitlines()[:1]
    secret = first[0].rstrip("\r") if first else ""
    if not secret:
        raise SecretError(f"{who}: {source} printed nothing on its first line")
    return secret


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    if hasattr(os, "killpg"):
        try:
            os.killpg(process.pid, signal.SIGKILL)
            return
        except OSError:
            pass
    process.kill()


def _last_line(err: bytes) -> str:
    """The last non-empty stderr line (usually the reason), shortened; stdout is never shown."""
    lines = [line.strip() for line in err.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    text = "".join(ch for ch in lines[-1] if ch.isprintable())
    return text if len(text) <= 200 else text[:197] + "..."


def _from_keyring(service: str, username: str, who: str) -> str:
    source = f"keyring entry (service {service!r}, user {username!r})"
    try:
        import keyring  # optional; imported only when a keyring entry is configured
    except ImportError as exc:
        raise SecretError(
            f"{who}: reading the {source} needs the keyring package: "
            "pip install 'csconsole[keyring]' (or use password_command)"
        ) from exc
    backend: Any = keyring
    try:
        secret = backend.get_password(service, username)
    except Exception as exc:  # the backends raise many kinds; each means "not available"
        raise SecretError(f"{who}: the {source} could not be read: {exc}") from exc
    if not secret:
        raise SecretError(f"{who}: there is no {source}; add one with `keyring set`")
    return str(secret)
