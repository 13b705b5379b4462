"""Raw IMAP commands imapclient lacks: QRESYNC SELECT, VANISHED, ESEARCH, ranged UID FETCH.

Commands can be pipelined: ``send`` several, then ``complete`` each in order, so a
batch of part fetches costs one round trip instead of one per command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from imapclient import imap_utf7

from csconsole.sources import imap_uidset
from csconsole.sources.imap_connection import CsImapClient
from csconsole.sources.imap_parse import parse_fetch


class ImapCommandError(Exception):
    """The server answered NO or BAD to a command."""


@dataclass
class SelectResult:
    """What SELECT told us about a folder, plus QRESYNC's changes since our cursor."""

    uidvalidity: int
    uidnext: int | None
    exists: int
    highestmodseq: int | None
    permanent_flags: tuple[str, ...]
    vanished: list[int] = field(default_factory=list)
    changed: dict[int, dict[bytes, Any]] = field(default_factory=dict)
    nomodseq: bool = False
    all_uids: list[int] | None = None  # when the SELECT was pipelined with a UID SEARCH


def quote_mailbox(name: str) -> str:
    """A folder name as an IMAP quoted string in modified UTF-7."""
    encoded = str(imap_utf7.encode(name).decode("ascii"))
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def send(client: CsImapClient, *args: str) -> str:
    """Send one command without waiting; returns its tag."""
    tag: str = client.transport._command(*args)
    return tag


def complete(client: CsImapClient, name: str, tag: str) -> None:
    """Wait for the tagged answer of ``tag``; raise on NO/BAD."""
    transport = client.transport
    try:
        typ, data = transport._command_complete(name, tag)
    except transport.abort:
        raise  # the connection is gone: not a refusal of this command
    except transport.error as error:  # imaplib raises on BAD
        raise ImapCommandError(f"{name} failed: {error}") from error
    if typ != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode(errors="replace")
        raise ImapCommandError(f"{name} failed: {detail[:200]}")


def take(client: CsImapClient, kind: str) -> list[Any]:
    """Remove and return the untagged responses of one kind collected so far."""
    items: list[Any] = client.transport.untagged_responses.pop(kind, [])
    return items


def take_fetches(client: CsImapClient) -> dict[int, dict[bytes, Any]]:
    """Parse every FETCH response collected so far, keyed by UID (unsolicited ones too)."""
    data = take(client, "FETCH")
    if not data:
        return {}
    # Keyed by sequence number first: an unsolicited FETCH without a UID must not be
    # mistaken for the message whose UID happens to equal its sequence number.
    # Times keep the offset they were sent with; stored as UTC whatever the local zone.
    by_seq = parse_fetch(data, False, False)
    by_uid: dict[int, dict[bytes, Any]] = {}
    for item in by_seq.values():
        uid = item.get(b"UID")
        if isinstance(uid, int):
            by_uid.setdefault(uid, {}).update(item)
    return by_uid


def take_vanished(client: CsImapClient) -> list[int]:
    """UIDs from ``* VANISHED [(EARLIER)] <set>`` responses collected so far."""
    uids: set[int] = set()
    for item in take(client, "VANISHED"):
        text = item.decode("ascii", "replace") if isinstance(item, bytes) else str(item)
        text = re.sub(r"^\(EARLIER\)\s*", "", text.strip(), flags=re.I)
        uids.update(imap_uidset.parse(text))
    return sorted(uids)


def take_expunged_seqs(client: CsImapClient) -> list[int]:
    """Sequence numbers from ``* n EXPUNGE`` collected so far (they force a UID recheck)."""
    return [int(item) for item in take(client, "EXPUNGE")]


def _int_code(client: CsImapClient, name: str) -> int | None:
    values = take(client, name)
    for value in reversed(values):
        try:
            return int(value)
        except (TypeError, ValueError):
            continue
    return None


def select(
    client: CsImapClient,
    folder: str,
    *,
    qresync: tuple[int, int] | None = None,
    condstore: bool = False,
    readonly: bool = False,
    search: bool = False,
) -> SelectResult:
    """SELECT (or EXAMINE) a folder, with ``(QRESYNC (uidvalidity modseq))`` when given.

    ``search`` pipelines a ``UID SEARCH ALL`` behind it (a first sync needs the UID list):
    both answers arrive in one round trip.
    """
    transport = client.transport
    for stale in (
        "FETCH",
        "VANISHED",
        "EXPUNGE",
        "EXISTS",
        "UIDNEXT",
        "UIDVALIDITY",
        "HIGHESTMODSEQ",
        "NOMODSEQ",
        "PERMANENTFLAGS",
    ):
        transport.untagged_responses.pop(stale, None)
    command = "EXAMINE" if readonly else "SELECT"
    args = [command, quote_mailbox(folder)]
    if qresync is not None:
        args.append(f"(QRESYNC ({qresync[0]} {qresync[1]}))")
    elif condstore:
        args.append("(CONDSTORE)")
    search_tag = None
    with transport.corked():
        tag = send(client, *args)
        if search:
            previous, transport.state = transport.state, "SELECTED"  # imaplib checks the state
            search_tag = send_search(client)
            transport.state = previous
    try:
        complete(client, command, tag)
    except ImapCommandError:
        if search_tag is not None:
            try:
                complete(client, "SEARCH", search_tag)
            except ImapCommandError:
                pass
        raise
    transport.state = "SELECTED"
    transport.is_readonly = readonly
    for mode in ("READ-ONLY", "READ-WRITE"):  # imaplib refuses commands while these linger
        transport.untagged_responses.pop(mode, None)
    uidvalidity = _int_code(client, "UIDVALIDITY")
    if uidvalidity is None:
        raise ImapCommandError(f"SELECT {folder!r}: the server sent no UIDVALIDITY")
    exists = _int_code(client, "EXISTS") or 0
    flags_raw = take(client, "PERMANENTFLAGS")
    permanent: tuple[str, ...] = ()
    if flags_raw and isinstance(flags_raw[-1], bytes):
        permanent = tuple(flags_raw[-1].decode(errors="replace").strip("()").split())
    nomodseq = bool(take(client, "NOMODSEQ"))
    result = SelectResult(
        uidvalidity=uidvalidity,
        uidnext=_int_code(client, "UIDNEXT"),
        exists=exists,
        highestmodseq=_int_code(client, "HIGHESTMODSEQ"),
        permanent_flags=permanent,
        nomodseq=nomodseq,
    )
    result.vanished = take_vanished(client)
    result.changed = take_fetches(client)
    take_expunged_seqs(client)
    if search_tag is not None:
        result.all_uids = search_result(client, search_tag)
    return result


def send_search(client: CsImapClient, criteria: str = "ALL") -> str:
    """Send a UID SEARCH (ESEARCH form when offered); read it with ``search_result``."""
    if client.has_capability("ESEARCH"):
        return send(client, "UID", "SEARCH", "RETURN", "(ALL)", criteria)
    return send(client, "UID", "SEARCH", criteria)


def search_result(client: CsImapClient, tag: str) -> list[int]:
    """The UIDs answered to ``send_search``."""
    complete(client, "SEARCH", tag)
    found: set[int] = set()
    for item in take(client, "ESEARCH"):
        text = item.decode("ascii", "replace") if isinstance(item, bytes) else str(item)
        match = re.search(r"\bALL\s+([0-9:,*]+)", text, flags=re.I)
        if match:
            found.update(imap_uidset.parse(match.group(1)))
    for item in take(client, "SEARCH"):
        text = item.decode("ascii", "replace") if isinstance(item, bytes) else str(item)
        found.update(int(token) for token in text.split() if token.isdigit())
    return sorted(found)


def search_uids(client: CsImapClient, criteria: str = "ALL") -> list[int]:
    """UIDs matching ``criteria``; ESEARCH keeps the answer compact (``1:10000``)."""
    return search_result(client, send_search(client, criteria))


def uid_fetch(
    client: CsImapClient, uid_set: str, items: str, modifiers: str | None = None
) -> dict[int, dict[bytes, Any]]:
    """``UID FETCH <set> <items> [<modifiers>]`` with a raw set (ranges and ``*`` allowed)."""
    args = ["UID", "FETCH", uid_set, items]
    if modifiers:
        args.append(modifiers)
    tag = send(client, *args)
    complete(client, "FETCH", tag)
    return take_fetches(client)


def pipelined_fetch(
    client: CsImapClient, requests: list[tuple[str, str]]
) -> dict[int, dict[bytes, Any]]:
    """Several ``UID FETCH <set> <items>`` sent back to back; results merged by UID."""
    tags = [send(client, "UID", "FETCH", uid_set, items) for uid_set, items in requests]
    merged: dict[int, dict[bytes, Any]] = {}
    error: ImapCommandError | None = None
    for tag in tags:
        try:
            complete(client, "FETCH", tag)
        except ImapCommandError as failure:
            error = error or failure
    for uid, data in take_fetches(client).items():
        merged.setdefault(uid, {}).update(data)
    if error is not None and not merged:
        raise error
    return merged
