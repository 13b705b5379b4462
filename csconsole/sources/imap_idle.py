"""Waiting for new mail with IDLE: renewed every 9 minutes, and a dead link noticed.

RFC 2177 servers may drop an IDLE after 30 minutes and NAT boxes forget quiet
connections sooner, so we end and restart IDLE well before that. Ending it must not
hang on a dead link (imapclient's ``idle_done`` can): the DONE answer is awaited with
the socket timeout and the connection is closed when it does not come.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from csconsole.sources.imap_connection import CsImapClient

RENEW_AFTER = 9 * 60.0
_CHANGE = re.compile(rb"^\* (?:\d+ (?:EXISTS|EXPUNGE|FETCH)|VANISHED)\b", re.I)


class IdleLinkLost(Exception):
    """The connection died while idling; reconnect and resync."""


@dataclass(frozen=True)
class IdleResult:
    """Why an IDLE wait ended."""

    changed: bool  # the server announced new, changed or removed mail
    lines: tuple[bytes, ...] = ()
    woken: bool = False  # ``wake`` asked for the connection (e.g. flag changes to push)


def idle_wait(
    client: CsImapClient,
    timeout: float,
    *,
    stop: threading.Event | None = None,
    renew_after: float = RENEW_AFTER,
    tick: float = 1.0,
    wake: Callable[[], bool] | None = None,
) -> IdleResult:
    """IDLE on the selected folder until a change, ``timeout``, ``renew_after``, ``stop``,
    or ``wake()`` turning true (asked about once per ``tick``: the console queued work
    for this connection, such as flags to store, and should not wait for new mail).

    Returns after sending DONE and reading the tagged answer, so the connection is
    ready for the next command. Raises ``IdleLinkLost`` when the link is dead.
    """
    transport = client.transport
    try:
        tag = transport._command("IDLE")
        continuation = transport._get_response()
        if continuation is not None:
            raise IdleLinkLost(f"the server refused IDLE: {continuation!r}")
        deadline = time.monotonic() + min(timeout, renew_after)
        lines: list[bytes] = []
        changed = woken = False
        while not changed and time.monotonic() < deadline:
            if stop is not None and stop.is_set():
                break
            if wake is not None and wake():
                woken = True
                break
            wait = max(0.0, min(tick, deadline - time.monotonic()))
            if not transport.wait_readable(wait):
                continue
            line = transport._get_line()
            lines.append(line)
            changed = bool(_CHANGE.match(line))
            if line.startswith(b"* BYE"):
                raise IdleLinkLost("the server ended the session")
        transport.send(b"DONE\r\n")
        typ, _ = transport._command_complete("IDLE", tag)
    except IdleLinkLost:
        client.close_now()
        raise
    except (OSError, transport.abort, transport.error) as error:
        client.close_now()
        raise IdleLinkLost(f"connection lost while idling: {error}") from error
    # imaplib filed the untagged answers away; the next sync re-reads the folder anyway.
    for kind in ("EXISTS", "EXPUNGE", "FETCH", "VANISHED", "RECENT"):
        transport.untagged_responses.pop(kind, None)
    return IdleResult(changed=changed or typ != "OK", lines=tuple(lines), woken=woken)
