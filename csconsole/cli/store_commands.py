"""Commands that read the local store: ``stats`` and ``search``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    del app  # filled in below as the commands land
