"""Fetching messages in batches: metadata first, then only the text part of each message.

Per batch two commands go out (the metadata FETCH, then one ``BODY.PEEK[part]<0.cap>``
FETCH per distinct part number), and from the second batch on the next batch's
metadata FETCH is pipelined behind the body fetches, so on a long-RTT link a batch
costs about one round trip.
A batch whose answer cannot be parsed is retried message by message, and a message
that still fails is handed on with what we have (the caller stores it with a warning).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from imapclient.exceptions import ProtocolError

from csconsole.sources import imap_commands as cmd
from csconsole.sources.imap_connection import CsImapClient
from csconsole.sources.imap_message import META_ITEMS, body_item, wanted_parts
from csconsole.sources.imap_uidset import compact

MessageData = dict[bytes, Any]
MINIMAL_ITEMS = "(UID FLAGS RFC822.SIZE INTERNALDATE)"


def _meta_items(condstore: bool) -> str:
    return META_ITEMS[:-1] + " MODSEQ)" if condstore else META_ITEMS


def _body_requests(metas: dict[int, MessageData], body_cap: int) -> list[tuple[str, str]]:
    by_part: dict[str, list[int]] = {}
    for uid, data in metas.items():
        try:
            parts = wanted_parts(data.get(b"BODYSTRUCTURE"))
        except Exception:  # a structure we cannot read: no body, the message still stored
            parts = []
        for part in parts:
            by_part.setdefault(part, []).append(uid)
    return [(compact(uids), f"(UID {body_item(part, body_cap)})") for part, uids in by_part.items()]


def fetch_batches(
    client: CsImapClient,
    batches: Sequence[Sequence[int]],
    *,
    body_cap: int,
    condstore: bool = False,
) -> Iterator[tuple[list[int], dict[int, MessageData]]]:
    """Yield (batch, {uid: FETCH data}) for each batch, in order; UIDs that no longer
    exist on the server are simply absent from the data.

    Servers may answer pipelined FETCHes interleaved, so every answer goes into one
    stash keyed by UID and each batch takes its own UIDs out once its commands are done.
    From the second batch on, the next batch's bodies are asked for before a batch is
    handed over, so the server reads them while the caller stores (the first batch is
    handed over at once: on a slow link the newest mail shows first). For the same
    reason the second batch's metadata is asked for only once the first batch's bodies
    are in: Dovecot interleaves pipelined answers, which at 64 kbit/s kept the newest 50
    messages waiting behind 250 messages of metadata.
    """
    items = _meta_items(condstore)
    stash: dict[int, MessageData] = {}
    pending: str | None = None
    if batches:
        pending = cmd.send(client, "UID", "FETCH", compact(batches[0]), items)
    ahead: _Started | None = None
    for index, batch in enumerate(batches):
        if ahead is None:
            ahead = _start(client, batches, index, pending, items, stash, body_cap)
        metas, requests, tags, pending = ahead
        ahead = None
        failed = False
        for tag in tags:
            try:
                cmd.complete(client, "FETCH", tag)
            except cmd.ImapCommandError:
                failed = True
        try:
            _merge(stash, cmd.take_fetches(client))
        except ProtocolError:
            failed = True
        if failed:
            # Settle the pipelined metadata, then fetch these bodies one message at a time.
            client.transport.untagged_responses.pop("FETCH", None)
            if pending is not None:
                try:
                    cmd.complete(client, "FETCH", pending)
                except cmd.ImapCommandError:
                    pass
                client.transport.untagged_responses.pop("FETCH", None)
                pending = None
                for uid in batches[index + 1]:
                    stash.pop(uid, None)  # refetched one by one by _complete_meta
            _merge(stash, _bodies_one_by_one(client, requests))
        for uid in batch:
            data = stash.pop(uid, None)
            if data is not None and uid in metas:
                metas[uid].update(data)
        if index == 0 and len(batches) > 1:
            # Asked for only now: the server would interleave the next batch's metadata
            # with this batch's bodies, and on a slow link the newest mail would wait.
            pending = cmd.send(client, "UID", "FETCH", compact(batches[1]), items)
        lost: BaseException | None = None
        if index and pending is not None:
            try:
                ahead = _start(client, batches, index + 1, pending, items, stash, body_cap)
            except (client.transport.abort, OSError) as error:
                lost = error  # this batch is complete: hand it over, then report the loss
        yield list(batch), metas
        if lost is not None:
            raise lost


# (metadata by UID, body requests, their tags, tag of the next batch's metadata FETCH)
_Started = tuple[dict[int, MessageData], list[tuple[str, str]], list[str], str | None]


def _start(
    client: CsImapClient,
    batches: Sequence[Sequence[int]],
    index: int,
    tag: str | None,
    items: str,
    stash: dict[int, MessageData],
    body_cap: int,
) -> _Started:
    """Read a batch's metadata, then send its body FETCHes and (after the first batch)
    the next batch's metadata FETCH behind them."""
    metas = _complete_meta(client, tag, list(batches[index]), items, stash)
    requests = _body_requests(metas, body_cap)
    tags = [cmd.send(client, "UID", "FETCH", uid_set, what) for uid_set, what in requests]
    pending = None
    if 0 < index < len(batches) - 1:
        pending = cmd.send(client, "UID", "FETCH", compact(batches[index + 1]), items)
    return metas, requests, tags, pending


def _merge(stash: dict[int, MessageData], fetched: dict[int, MessageData]) -> None:
    for uid, data in fetched.items():
        stash.setdefault(uid, {}).update(data)


def _complete_meta(
    client: CsImapClient,
    tag: str | None,
    batch: list[int],
    items: str,
    stash: dict[int, MessageData],
) -> dict[int, MessageData]:
    if tag is not None:
        try:
            cmd.complete(client, "FETCH", tag)
            _merge(stash, cmd.take_fetches(client))
            return {uid: stash.pop(uid) for uid in batch if uid in stash}
        except (cmd.ImapCommandError, ProtocolError):
            client.transport.untagged_responses.pop("FETCH", None)
            for uid in batch:
                stash.pop(uid, None)
    # One unparsable message must not cost the whole batch: go message by message.
    result: dict[int, MessageData] = {}
    for uid in batch:
        for what in (items, MINIMAL_ITEMS):
            try:
                data = cmd.uid_fetch(client, str(uid), what).get(uid)
            except (cmd.ImapCommandError, ProtocolError):
                client.transport.untagged_responses.pop("FETCH", None)
                continue
            if data is not None:
                result[uid] = data
            break
    return result


def _bodies_one_by_one(
    client: CsImapClient, requests: list[tuple[str, str]]
) -> dict[int, MessageData]:
    client.transport.untagged_responses.pop("FETCH", None)
    merged: dict[int, MessageData] = {}
    for uid_set, what in requests:
        for uid_text in uid_set.split(","):
            try:
                for uid, data in cmd.uid_fetch(client, uid_text, what).items():
                    merged.setdefault(uid, {}).update(data)
            except (cmd.ImapCommandError, ProtocolError):
                client.transport.untagged_responses.pop("FETCH", None)
    return merged


def fetch_flags(
    client: CsImapClient, uid_set: str, *, changed_since: int | None = None
) -> dict[int, tuple[tuple[str, ...], int | None]]:
    """{uid: (flags, modseq)} for a UID set, optionally only those changed since a MODSEQ."""
    items = "(UID FLAGS MODSEQ)" if changed_since is not None else "(UID FLAGS)"
    modifiers = f"(CHANGEDSINCE {changed_since})" if changed_since is not None else None
    return flags_of(cmd.uid_fetch(client, uid_set, items, modifiers))


def uids_and_flags(
    client: CsImapClient, local: set[int], *, exists: int
) -> tuple[list[int], dict[int, tuple[tuple[str, ...], int | None]]]:
    """The server's UID list and the flags of the messages we hold, pipelined (servers
    without CONDSTORE: the compact flag check of RFC 4549)."""
    if not exists:
        return [], {}
    with client.transport.corked():
        search_tag = cmd.send_search(client)
        flags_tag = (
            cmd.send(client, "UID", "FETCH", compact(local), "(UID FLAGS)") if local else None
        )
    uids = cmd.search_result(client, search_tag)
    if flags_tag is None:
        return uids, {}
    cmd.complete(client, "FETCH", flags_tag)
    return uids, flags_of(cmd.take_fetches(client))


def flags_of(fetched: dict[int, MessageData]) -> dict[int, tuple[tuple[str, ...], int | None]]:
    """Flags and MODSEQ out of FETCH data (e.g. QRESYNC's changes on SELECT)."""
    result: dict[int, tuple[tuple[str, ...], int | None]] = {}
    for uid, data in fetched.items():
        if b"FLAGS" not in data:
            continue
        flags = session_free(data[b"FLAGS"])
        modseq = data.get(b"MODSEQ")
        result[uid] = (flags, int(modseq[0]) if isinstance(modseq, tuple) and modseq else None)
    return result


def session_free(raw: Any) -> tuple[str, ...]:
    """Flags as text without \\Recent, which only describes this session."""
    flags = (f.decode("utf-8", "replace") if isinstance(f, bytes) else str(f) for f in raw or ())
    return tuple(f for f in flags if f.lower() != "\\recent")


def fetch_identities(client: CsImapClient) -> dict[int, MessageData]:
    """Message-ID, Date and size of every message, for re-matching after a UIDVALIDITY change."""
    return cmd.uid_fetch(
        client, "1:*", "(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID DATE)])"
    )


IDENTITY_KEY = b"BODY[HEADER.FIELDS (MESSAGE-ID DATE)]"
