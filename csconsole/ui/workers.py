"""Blocking work off the UI thread, with one way back: ``post_message``.

Every worker is exclusive within a named group, never takes the app down
(``exit_on_error=False``), and closes its thread's store connection when done.
``report_worker_error`` is the one place an unexpected worker failure is shown.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.message import Message
from textual.worker import Worker, WorkerState

from csconsole.ui.messages import ActionFailed, InboxChanged, SnoozesWoke, StatusRefreshed

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from csconsole.services import Services

log = logging.getLogger(__name__)
T = TypeVar("T")


def run_in_thread(
    node: DOMNode,
    services: Services,
    job: Callable[[], Message | None],
    *,
    group: str,
    name: str = "",
) -> Worker[None]:
    """Run ``job`` in a thread worker and post the message it returns to ``node``."""

    def work() -> None:
        try:
            message = job()
        finally:
            services.close_thread()
        if message is not None:
            node.post_message(message)

    return node.run_worker(
        work, name=name or group, group=group, thread=True, exclusive=True, exit_on_error=False
    )


def wake_snoozes(node: DOMNode, services: Services) -> Worker[None]:
    """Reopen snoozes whose time has come (called from a slow timer)."""

    def job() -> Message | None:
        woke = services.inbox.wake_due_snoozes()
        return SnoozesWoke(tuple(woke)) if woke else StatusRefreshed()

    return run_in_thread(node, services, job, group="snooze")


def report_worker_error(node: DOMNode, event: Worker.StateChanged) -> None:
    """Turn a crashed worker into a visible message instead of a silent stop."""
    if event.state is not WorkerState.ERROR:
        return
    error = event.worker.error
    log.error("worker %s failed: %r", event.worker.name, error)
    node.post_message(ActionFailed(event.worker.name, str(error) or type(error).__name__))


def start_sync(app: DOMNode, services: Services, stop: threading.Event) -> Worker[None] | None:
    """Keep every configured source in sync in the background until ``stop`` is set.

    Progress events become ``InboxChanged`` and ``StatusRefreshed`` messages (both
    coalesce), so a big first sync does not flood the UI thread. The sync machinery
    (sqlite-utils, the IMAP, SMTP and HTTP clients) is imported on the worker's thread.
    """
    config = services.config
    if not (config.accounts or config.shops or config.channels):
        return None

    def progress(_event: object) -> None:
        app.post_message(InboxChanged())
        app.post_message(StatusRefreshed())

    def work() -> None:
        from csconsole.services import sync_watch

        sync_watch.watch(services.store_path, config, stop, progress=progress)

    return app.run_worker(
        work, name="sync", group="sync", thread=True, exclusive=True, exit_on_error=False
    )
