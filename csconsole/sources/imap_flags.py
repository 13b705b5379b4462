"""Writing flags back: read state, \\Answered, and the console's own keywords.

``$CSPending``/``$CSClosed`` are stored as IMAP keywords only where the folder's
PERMANENTFLAGS allow new keywords (``\\*``) or list them; otherwise the state stays
local, and a second client simply does not see it.
"""

from __future__ import annotations

from collections.abc import Iterable

from csconsole.sources import imap_commands as cmd
from csconsole.sources.imap_connection import CsImapClient

PENDING = "$CSPending"
CLOSED = "$CSClosed"


def storable(flags: Iterable[str], permanent: Iterable[str]) -> list[str]:
    """The flags among ``flags`` the server will keep for this folder."""
    allowed = {f.lower() for f in permanent}
    return [
        f for f in flags if f.lower() in allowed or ("\\*" in allowed and not f.startswith("\\"))
    ]


def set_flags(
    client: CsImapClient,
    folder: str,
    uids: list[int],
    *,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
) -> list[str]:
    """Add/remove flags on messages of ``folder``; returns the flags actually written."""
    if not uids:
        return []
    selected = cmd.select(client, folder)
    wanted_add = storable(add, selected.permanent_flags)
    wanted_remove = storable(remove, selected.permanent_flags)
    if wanted_add:
        client.add_flags(uids, wanted_add, silent=True)
    if wanted_remove:
        client.remove_flags(uids, wanted_remove, silent=True)
    return wanted_add + wanted_remove
