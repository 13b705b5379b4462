"""What the compose screen hands to the outside: ``$EDITOR`` and the background sender."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported

from csconsole.services import Services
from csconsole.services.replies import RepliesService


def edit_externally(app: App[Any], text: str) -> str:
    """Run ``$VISUAL``/``$EDITOR`` on ``text`` in a temporary file and return what it saved."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile(
        "w", suffix=".txt", prefix="csconsole-reply-", encoding="utf-8", delete=False
    ) as handle:
        handle.write(text)
        path = Path(handle.name)
    try:
        try:
            with app.suspend():
                subprocess.run([*shlex.split(command), str(path)], check=False)
        except SuspendNotSupported:  # headless (tests) or a driver that cannot suspend
            subprocess.run([*shlex.split(command), str(path)], check=False)
        return path.read_text(encoding="utf-8").rstrip("\n")
    finally:
        path.unlink(missing_ok=True)


def send_now(app: App[Any], services: Services) -> None:
    """Drain the outbox: through the console's sender worker, else in a thread of its own."""
    drain = getattr(app, "drain_outbox", None)
    if callable(drain):  # the console runs its own sender worker
        drain()
        return
    # A thread that outlives the closed editor (and a quitting app).
    threading.Thread(target=_drain_sync, args=(services,), name="outbox", daemon=True).start()


def _drain_sync(services: Services) -> None:
    try:
        RepliesService(services).outbox.drain()
    finally:
        services.close_thread()
