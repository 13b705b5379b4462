"""``RUNNERS`` entries for shops (Shopify, WooCommerce) and chat channels (Telegram).

Clients are kept per configured source for the life of the process: a Shopify
token then lasts a day instead of one poll (an unchanged shop costs one request),
and a password command runs once, not every five minutes. A refused credential
drops the cached client so the next pass asks for the secret again.

The first Telegram pass of a process drains pending updates without waiting (so
``csconsole sync --once`` returns at once); later passes long-poll.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from csconsole.config import ChannelConfig, Config, ShopConfig
from csconsole.secrets import SecretError
from csconsole.sources.http_client import AuthError, SourceError
from csconsole.sources.shopify import ShopifyClient
from csconsole.sources.telegram import TelegramClient
from csconsole.store.inbox import ensure_account, set_account_sync_state
from csconsole.sync.shop_clients import make_shop_client, make_telegram_client
from csconsole.sync.shop_sync import sync_shopify, sync_woocommerce
from csconsole.sync.telegram_sync import sync_telegram

if TYPE_CHECKING:
    from sqlite_utils import Database

    from csconsole.services.sync import SourceResult, SyncCallback

_lock = threading.Lock()
_clients: dict[Any, Any] = {}
_polled_once: set[ChannelConfig] = set()


def _cached(key: ShopConfig | ChannelConfig, make: Any) -> Any:
    with _lock:
        if key not in _clients:
            _clients[key] = make(key)
        return _clients[key]


def _forget(key: ShopConfig | ChannelConfig) -> None:
    with _lock:
        client = _clients.pop(key, None)
    if client is not None:
        client.close()


def _fail(db: Database, account_id: int, result: SourceResult, error: Exception) -> None:
    result.error = str(error) or type(error).__name__
    if isinstance(error, SecretError):  # source errors are recorded by the sync itself
        with db.atomic():
            set_account_sync_state(db, account_id, "error", error=result.error)


def sync_shop_source(
    db: Database, config: Config, name: str, progress: SyncCallback
) -> SourceResult:
    """One poll of the shop called ``name``."""
    from csconsole.services.sync import SourceResult, SyncEvent

    shop = next((s for s in config.shops if s.name == name), None)
    if shop is None:
        raise KeyError(f"no shop named {name!r} in the config")
    result = SourceResult(source=name, kind=shop.platform)
    with db.atomic():
        account_id = ensure_account(db, name, shop.platform, address=shop.url)
    progress(SyncEvent(name, "connect"))

    def relay(done: int, message: str) -> None:
        progress(SyncEvent(name, "changes", done=done, message=message))

    try:
        client = _cached(shop, make_shop_client)
        if isinstance(client, ShopifyClient):
            polled = sync_shopify(db, account_id, name, client, sla=config.sla, progress=relay)
        else:
            polled = sync_woocommerce(db, account_id, name, client, sla=config.sla, progress=relay)
        result.changed = polled.orders_changed
        progress(
            SyncEvent(name, "done", done=polled.orders_seen, message=f"{polled.requests} requests")
        )
    except (SecretError, SourceError) as error:
        if isinstance(error, AuthError | SecretError):
            _forget(shop)
        _fail(db, account_id, result, error)
        progress(SyncEvent(name, "error", message=result.error or ""))
    return result


def sync_telegram_channel(
    db: Database, config: Config, name: str, progress: SyncCallback
) -> SourceResult:
    """One ``getUpdates`` round of the channel called ``name``."""
    from csconsole.services.sync import SourceResult, SyncEvent

    channel = next((c for c in config.channels if c.name == name), None)
    if channel is None:
        raise KeyError(f"no channel named {name!r} in the config")
    result = SourceResult(source=name, kind=channel.platform)
    with db.atomic():
        account_id = ensure_account(db, name, channel.platform, address=channel.api_url)
    try:
        client: TelegramClient = _cached(channel, make_telegram_client)
        with _lock:
            first = channel not in _polled_once
            _polled_once.add(channel)
        polled = sync_telegram(db, account_id, client, timeout=0 if first else None, sla=config.sla)
        result.new = polled.messages
        progress(SyncEvent(name, "done", done=polled.messages))
    except (SecretError, SourceError) as error:
        if isinstance(error, AuthError | SecretError):
            _forget(channel)
        _fail(db, account_id, result, error)
        progress(SyncEvent(name, "error", message=result.error or ""))
    return result


def close_clients() -> None:
    """Close every cached client (at the end of ``sync`` or when the console quits)."""
    with _lock:
        clients = list(_clients.values())
        _clients.clear()
    for client in clients:
        client.close()
