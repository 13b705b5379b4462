"""Fixtures for the sync tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from csconsole.sources.imap_connection import forget_compression_failures


@pytest.fixture(autouse=True)
def _compression_memory() -> Iterator[None]:
    """A COMPRESS failure remembered in one test (proxy ports get reused) must not leak."""
    forget_compression_failures()
    yield
    forget_compression_failures()
