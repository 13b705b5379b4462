"""Fixtures for the shop and chat poller tests: loopback fakes and a store with accounts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlite_utils import Database

from csconsole.store.inbox import ensure_account
from tests.servers.fake_shopify import FakeShopify, fixture_orders


class Sleeps(list[float]):
    """Records the waits a client asked for instead of sleeping (tests stay fast)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def shopify() -> Iterator[FakeShopify]:
    fake = FakeShopify(fixture_orders())
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def shop_account(fresh_store: Database) -> int:
    with fresh_store.atomic():
        return ensure_account(fresh_store, "souq", "shopify", address="https://souq.example")
