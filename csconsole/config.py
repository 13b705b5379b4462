"""The user's settings: one TOML file read into frozen dataclasses, strictly.

Strict because a mail console that silently ignores ``secuirty = "tls"`` would send a
password in the clear: unknown keys, wrong types and unsafe combinations are all
``ConfigError``s naming the file, the key path and what was expected. Secrets never
live in the file; ``password_command`` / ``*_keyring`` say how to fetch them
(``csconsole.secrets``). Defaults that are filled in while reading:

- ``port`` follows ``security`` (IMAP 993/143, SMTP 465/587/25);
- IMAP ``username`` defaults to the account's ``email``; SMTP's username and password
  source default to the IMAP ones;
- ``[sla.channels.X]`` takes any key it leaves out from ``[sla.default]``;
  ``business_hours = false`` there counts every hour again;
- relative ``ca_file`` paths start at the config file's folder.

This module holds the shapes; reading and checking a file (``config_read`` and the
``config_schema``/``config_sections``/``config_secrets`` helpers) loads only when
there is a file to read, so building a ``Config`` in code stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from csconsole.domain.sla import SlaPolicies

if TYPE_CHECKING:
    from csconsole.config_schema import ConfigError as ConfigError
    from csconsole.config_schema import is_loopback_host as is_loopback_host

__all__ = [
    "AccountConfig",
    "ChannelConfig",
    "Config",
    "ConfigError",
    "DisplayConfig",
    "RepliesConfig",
    "ServerConfig",
    "ShopConfig",
    "is_loopback_host",
    "load_config",
    "parse_config",
]

Security = Literal["tls", "starttls", "plain"]


def _empty_map() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class ServerConfig:
    """How to reach one IMAP or SMTP server."""

    host: str
    port: int
    security: Security
    username: str
    password_command: str | None = None
    password_keyring: str | None = None  # keyring service name; the keyring user is `username`
    allow_plaintext: bool = False
    timeout: float = 30.0
    ca_file: str | None = None  # an extra trust anchor (a private CA, the tests' CA)


@dataclass(frozen=True)
class AccountConfig:
    """One mailbox the team answers from."""

    name: str
    email: str
    imap: ServerConfig
    smtp: ServerConfig | None = None
    display_name: str = ""
    folders: tuple[str, ...] = ("INBOX",)
    sent_folder: str | None = None
    idle: bool = True
    poll_interval: float = 300.0
    body_cap: int = 65536
    signature: str = ""
    signatures: Mapping[str, str] = field(default_factory=_empty_map)  # by language code
    save_sent: Literal["auto", "always", "never"] = "auto"


@dataclass(frozen=True)
class ShopConfig:
    """A shop whose orders and order notes are polled."""

    name: str
    platform: Literal["woocommerce", "shopify"]
    url: str
    username: str  # WooCommerce consumer key; Shopify client id (may be empty)
    password_command: str | None = None
    password_keyring: str | None = None  # keyring user: `username`, or `name` when empty
    api_version: str = "2026-10"
    poll_interval: float = 300.0
    timeout: float = 30.0
    ca_file: str | None = None


@dataclass(frozen=True)
class ChannelConfig:
    """A chat channel (a Telegram bot) polled for customer messages."""

    name: str
    platform: Literal["telegram"]
    api_url: str = "https://api.telegram.org"
    token_command: str | None = None
    token_keyring: str | None = None  # keyring user: the channel's `name`
    poll_timeout: int = 25
    timeout: float = 35.0
    ca_file: str | None = None


@dataclass(frozen=True)
class DisplayConfig:
    """How text, dates and colours are shown."""

    bidi: Literal["auto", "app", "terminal", "off"] = "auto"
    calendar: Literal["gregorian", "jalali"] = "gregorian"
    theme: str = "textual-dark"
    low_bandwidth: bool = False
    timezone: str = "UTC"


@dataclass(frozen=True)
class RepliesConfig:
    """How replies are written and sent."""

    undo_seconds: float = 10.0
    quote_original: bool = True
    agent_name: str = ""


@dataclass(frozen=True)
class Config:
    """Everything the console was told; ``Config()`` is the state of no file at all."""

    accounts: tuple[AccountConfig, ...] = ()
    shops: tuple[ShopConfig, ...] = ()
    channels: tuple[ChannelConfig, ...] = ()
    sla: SlaPolicies = field(default_factory=SlaPolicies)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    replies: RepliesConfig = field(default_factory=RepliesConfig)
    keymap: Mapping[str, str] = field(default_factory=_empty_map)  # binding id -> keys
    source_path: Path | None = None


def load_config(path: Path | None = None) -> Config:
    """Read ``path`` (default: ``paths.config_file()``); a missing file means defaults."""
    from csconsole.config_read import load_config as read

    return read(path)


def parse_config(
    data: Mapping[str, object],
    *,
    file: str = "<config>",
    base: Path | None = None,
    source_path: Path | None = None,
) -> Config:
    """Build a ``Config`` from parsed TOML, or raise the first ``ConfigError``."""
    from csconsole.config_read import parse_config as parse

    return parse(data, file=file, base=base, source_path=source_path)


def __getattr__(name: str) -> Any:
    # The error type and the host check live with the readers (config_schema).
    if name in ("ConfigError", "is_loopback_host"):
        from csconsole import config_schema

        return getattr(config_schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
