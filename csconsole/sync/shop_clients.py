"""Builds API clients from the config, fetching their secrets the configured way.

The secret is fetched once per client (a password command may prompt or be slow);
callers keep the client for the life of a poller or a console session.
"""

from __future__ import annotations

from csconsole.config import ChannelConfig, ShopConfig
from csconsole.secrets import resolve_secret
from csconsole.sources.shopify import ShopifyClient
from csconsole.sources.telegram import TelegramClient
from csconsole.sources.woocommerce import WooCommerceClient

ShopClient = ShopifyClient | WooCommerceClient


def make_shop_client(shop: ShopConfig, *, secret: str | None = None) -> ShopClient:
    """A client for the shop; ``secret`` skips the lookup (tests, the benchmark)."""
    if secret is None:
        secret = resolve_secret(
            command=shop.password_command,
            keyring_service=shop.password_keyring,
            username=shop.username or shop.name,
            label=f'shop "{shop.name}" ({shop.platform})',
        )
    if shop.platform == "shopify":
        return ShopifyClient(
            shop_url=shop.url,
            client_id=shop.username,
            secret=secret,
            api_version=shop.api_version,
            timeout=shop.timeout,
            ca_file=shop.ca_file,
        )
    return WooCommerceClient(
        site_url=shop.url,
        consumer_key=shop.username,
        consumer_secret=secret,
        timeout=shop.timeout,
        ca_file=shop.ca_file,
    )


def make_telegram_client(channel: ChannelConfig, *, token: str | None = None) -> TelegramClient:
    """A bot client for the channel; ``token`` skips the lookup."""
    if token is None:
        token = resolve_secret(
            command=channel.token_command,
            keyring_service=channel.token_keyring,
            username=channel.name,
            label=f'channel "{channel.name}" (telegram)',
        )
    return TelegramClient(
        token=token,
        api_url=channel.api_url,
        timeout=channel.timeout,
        poll_timeout=channel.poll_timeout,
        ca_file=channel.ca_file,
    )
