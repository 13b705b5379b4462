"""Reading the TOML config file into ``csconsole.config``'s dataclasses, strictly.

``csconsole.config.load_config`` comes here; see that module for the rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Literal, cast

from csconsole.config import (
    AccountConfig,
    ChannelConfig,
    Config,
    DisplayConfig,
    RepliesConfig,
    Security,
    ServerConfig,
    ShopConfig,
)
from csconsole.config_schema import ConfigError, Table, describe, is_loopback_host
from csconsole.config_secrets import read_remote, secret_source
from csconsole.config_sections import check_unique_names, read_keymap, read_sla, source_name
from csconsole.paths import config_file

SECURITIES = ("tls", "starttls", "plain")
DEFAULT_PORTS = {
    "imap": {"tls": 993, "starttls": 143, "plain": 143},
    "smtp": {"tls": 465, "starttls": 587, "plain": 25},
}
_PASSWORD_HINT = 'password_command = "pass show mail/work" or password_keyring = "csconsole"'
_TOKEN_HINT = 'token_command = "pass show telegram/bot" or token_keyring = "csconsole"'
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def load_config(path: Path | None = None) -> Config:
    """Read ``path`` (default: ``paths.config_file()``); a missing file means defaults."""
    path = config_file() if path is None else path
    name = str(path)
    if not path.exists():
        return Config()
    import tomllib  # only when there is a file to read

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ConfigError(name, "", "a readable file", exc.strerror or str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(name, f"byte {exc.start}", "UTF-8 text", "other bytes") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at (line \d+, column \d+)\)", message)
        where = found.group(1) if found else "(syntax)"
        reason = message[: found.start()].strip() if found else message
        raise ConfigError(name, where, "valid TOML", reason) from exc
    return parse_config(data, file=name, base=path.parent, source_path=path)


def parse_config(
    data: Mapping[str, object],
    *,
    file: str = "<config>",
    base: Path | None = None,
    source_path: Path | None = None,
) -> Config:
    """Build a ``Config`` from parsed TOML, or raise the first ``ConfigError``."""
    root = Table(data, "", file)
    accounts = tuple(_account(t, base) for t in root.tables("accounts"))
    shops = tuple(_shop(t, base) for t in root.tables("shops"))
    channels = tuple(_channel(t, base) for t in root.tables("channels"))
    check_unique_names(root)
    config = Config(
        accounts=accounts,
        shops=shops,
        channels=channels,
        sla=read_sla(root.table("sla")),
        display=_display(root.table("display")),
        replies=_replies(root.table("replies")),
        keymap=read_keymap(root.table("keymap")),
        source_path=source_path,
    )
    root.finish()
    return config


def _server(
    t: Table, kind: str, default_username: str, inherit: ServerConfig | None, base: Path | None
) -> ServerConfig:
    t.reject_secrets(_PASSWORD_HINT)
    host = t.string("host").strip()
    if any(ch.isspace() or ch in "/@" for ch in host):
        t.fail("host", 'a host name or address such as "imap.example.com"', describe(host))
    security = cast(Security, t.choice("security", SECURITIES, "tls"))
    port = t.integer("port", DEFAULT_PORTS[kind][security], low=1, high=65535)
    username = t.string("username", default_username)
    inherited = (inherit.password_command, inherit.password_keyring) if inherit else None
    remote = read_remote(t, base, "the password", _PASSWORD_HINT, inherited)
    allow_plaintext = t.boolean("allow_plaintext", False)
    if security == "plain" and not allow_plaintext and not is_loopback_host(host):
        t.fail(
            "security",
            '"tls" or "starttls" for a host that is not loopback '
            "(or allow_plaintext = true to send the password unencrypted)",
            f'"plain" for {host}',
        )
    server = ServerConfig(
        host=host,
        port=port,
        security=security,
        username=username,
        allow_plaintext=allow_plaintext,
        **remote,
    )
    t.finish()
    return server


def _account(t: Table, base: Path | None) -> AccountConfig:
    t.reject_secrets(f"{_PASSWORD_HINT} inside [accounts.imap] / [accounts.smtp]")
    name = source_name(t)
    email = t.string("email").strip()
    local, _, domain = email.partition("@")
    if not local or not domain or any(ch.isspace() for ch in email) or "@" in domain:
        t.fail("email", 'a mail address such as "support@example.com"', describe(email))
    imap_table = t.table("imap", required=True)
    assert imap_table is not None  # required=True raised otherwise
    imap = _server(imap_table, "imap", email, None, base)
    smtp_table = t.table("smtp")
    smtp = _server(smtp_table, "smtp", imap.username, imap, base) if smtp_table else None
    signatures: dict[str, str] = {}
    sig_table = t.table("signatures")
    if sig_table is not None:
        for language in sig_table.data:
            if not _LANGUAGE.match(language):
                sig_table.fail(language, 'a language code such as "fa", "ar" or "en"')
            signatures[language] = sig_table.string(language, allow_empty=True)
    account = AccountConfig(
        name=name,
        email=email,
        imap=imap,
        smtp=smtp,
        display_name=t.string("display_name", "", allow_empty=True),
        folders=_folders(t),
        sent_folder=t.optional_string("sent_folder"),
        idle=t.boolean("idle", True),
        poll_interval=t.number("poll_interval", 300.0, low=1, high=86400),
        body_cap=t.integer("body_cap", 65536, low=1024, high=64 * 1024 * 1024),
        signature=t.string("signature", "", allow_empty=True),
        signatures=MappingProxyType(signatures),
        save_sent=cast(
            Literal["auto", "always", "never"],
            t.choice("save_sent", ("auto", "always", "never"), "auto"),
        ),
    )
    t.finish()
    return account


def _folders(t: Table) -> tuple[str, ...]:
    folders = t.string_list("folders", ("INBOX",))
    if not folders:
        t.fail("folders", 'at least one folder, e.g. ["INBOX"]', "an empty array")
    return folders


def _shop(t: Table, base: Path | None) -> ShopConfig:
    t.reject_secrets(_PASSWORD_HINT)
    name = source_name(t)
    platform = cast(
        Literal["woocommerce", "shopify"], t.choice("platform", ("woocommerce", "shopify"))
    )
    url = t.url("url")
    if platform == "woocommerce":
        username = t.string("username")  # the consumer key (ck_...)
    else:
        username = t.string("username", "", allow_empty=True)
    remote = read_remote(t, base, "the API secret", _PASSWORD_HINT)
    api_version = t.string("api_version", "2026-10")
    if not re.match(r"^(\d{4}-\d{2}|unstable)$", api_version):
        t.fail("api_version", 'a Shopify API version such as "2026-10"', describe(api_version))
    shop = ShopConfig(
        name=name,
        platform=platform,
        url=url,
        username=username,
        api_version=api_version,
        poll_interval=t.number("poll_interval", 300.0, low=1, high=86400),
        **remote,
    )
    t.finish()
    return shop


def _channel(t: Table, base: Path | None) -> ChannelConfig:
    t.reject_secrets(_TOKEN_HINT)
    name = source_name(t)
    platform = cast(Literal["telegram"], t.choice("platform", ("telegram",)))
    api_url = t.url("api_url", "https://api.telegram.org")
    command, keyring = secret_source(t, "token", "the bot token", _TOKEN_HINT)
    poll_timeout = t.integer("poll_timeout", 25, low=0, high=50)
    timeout = t.number("timeout", 35.0, low=0.1, high=600)
    if timeout <= poll_timeout:
        t.fail("timeout", f"more seconds than poll_timeout ({poll_timeout})", f"{timeout:g}")
    channel = ChannelConfig(
        name=name,
        platform=platform,
        api_url=api_url,
        token_command=command,
        token_keyring=keyring,
        poll_timeout=poll_timeout,
        timeout=timeout,
        ca_file=t.file_path("ca_file", base),
    )
    t.finish()
    return channel


def _display(t: Table | None) -> DisplayConfig:
    if t is None:
        return DisplayConfig()
    display = DisplayConfig(
        bidi=cast(
            Literal["auto", "app", "terminal", "off"],
            t.choice("bidi", ("auto", "app", "terminal", "off"), "auto"),
        ),
        calendar=cast(
            Literal["gregorian", "jalali"],
            t.choice("calendar", ("gregorian", "jalali"), "gregorian"),
        ),
        theme=t.string("theme", "textual-dark"),
        low_bandwidth=t.boolean("low_bandwidth", False),
        timezone=t.timezone("timezone", "UTC"),
    )
    t.finish()
    return display


def _replies(t: Table | None) -> RepliesConfig:
    if t is None:
        return RepliesConfig()
    replies = RepliesConfig(
        undo_seconds=t.number("undo_seconds", 10.0, low=0, high=300),
        quote_original=t.boolean("quote_original", True),
        agent_name=t.string("agent_name", "", allow_empty=True),
    )
    t.finish()
    return replies
