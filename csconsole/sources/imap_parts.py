"""Fetching on demand what the sync left on the server: a whole body part or an attachment."""

from __future__ import annotations

from csconsole.sources import imap_commands as cmd
from csconsole.sources.imap_connection import CsImapClient
from csconsole.sources.imap_message import decode_transfer

MAX_PART_BYTES = 50 * 1024 * 1024  # larger parts are refused rather than filling the disk


class PartTooLarge(Exception):
    """The part is bigger than we are willing to download in one go."""


def fetch_part(
    client: CsImapClient, folder: str, uid: int, part: str, *, encoding: str | None, size: int
) -> bytes:
    """The decoded bytes of one MIME part (EXAMINE: reading never marks mail as seen)."""
    if size > MAX_PART_BYTES:
        raise PartTooLarge(f"part {part} is {size} bytes; the limit is {MAX_PART_BYTES}")
    if not all(piece.isdigit() for piece in part.split(".")):
        raise ValueError(f"not a MIME part number: {part!r}")
    cmd.select(client, folder, readonly=True)
    data = cmd.uid_fetch(client, str(uid), f"(UID BODY.PEEK[{part}])").get(uid, {})
    raw = data.get(f"BODY[{part}]".encode()) or b""
    decoded, _warning = decode_transfer(bytes(raw), encoding, truncated=False)
    return decoded
