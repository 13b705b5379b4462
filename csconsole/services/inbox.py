"""Inbox queries and the state changes an agent makes, for the console and the CLI.

Reads return the frozen shapes of ``domain.inbox_models``. Each change runs in one
transaction with its event-log entry. Attachment content is fetched by a hook that
the mail sync registers (``set_attachment_fetcher``); without one, saving an
attachment that was never downloaded fails with a clear ``AttachmentUnavailable``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from csconsole import paths
from csconsole.domain.clock import to_iso
from csconsole.domain.inbox_models import (
    AccountStatus,
    ConversationFilter,
    ConversationSummary,
    NotFound,
    SavedView,
    Sort,
    View,
)
from csconsole.store import console_status, conversations

if TYPE_CHECKING:
    import sqlite3

    from sqlite_utils import Database

    from csconsole.domain.detail_models import ConversationDetail
    from csconsole.domain.models import Status
    from csconsole.services import Services

__all__ = [
    "AttachmentUnavailable",
    "InboxService",
    "NoOpener",
    "NotFound",
    "open_with_system",
    "set_attachment_fetcher",
    "set_attachment_opener",
]

AttachmentFetcher = Callable[["Services", int], bytes]
AttachmentOpener = Callable[[Path], None]
_fetcher: AttachmentFetcher | None = None


class AttachmentUnavailable(RuntimeError):
    """The attachment was never downloaded and nothing can fetch it now."""


def set_attachment_fetcher(fetcher: AttachmentFetcher | None) -> None:
    """Register how to download an attachment's content (the mail sync provides it)."""
    global _fetcher
    _fetcher = fetcher


class NoOpener(RuntimeError):
    """This system has no program that opens files by type."""


def open_with_system(path: Path) -> None:
    """Hand one saved file to the desktop's opener; no shell, the path is one argument."""
    opener = "open" if sys.platform == "darwin" else shutil.which("xdg-open")
    if not opener:
        raise NoOpener(f"saved {path} (no system opener found)")
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


_opener: AttachmentOpener = open_with_system


def set_attachment_opener(opener: AttachmentOpener | None) -> None:
    """Replace how saved files are opened (tests; a desktop without xdg-open)."""
    global _opener
    _opener = opener or open_with_system


def safe_filename(name: str, fallback: str = "attachment") -> str:
    """A file name with no directories, controls or bidi tricks, never hidden or empty."""
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    name = re.sub(r'[<>:"|?*]', "_", name).strip().strip(".")
    return name[:150] or fallback


def unused_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name (2)`` and so on when that file exists: never overwrite."""
    candidate = folder / name
    stem, suffix = candidate.stem, candidate.suffix
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    return candidate


class InboxService:
    """The inbox as the console sees it."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def _db(self) -> Database:
        # Changes import store.conversation_state where they run: it loads sqlite-utils.
        return self._services.db()

    def _reader(self) -> sqlite3.Connection:
        # Reads need no sqlite-utils: the first inbox page paints before it loads.
        return self._services.connection()

    def _now(self) -> datetime:
        return self._services.clock()

    @property
    def _actor(self) -> str:
        return self._services.actor

    # ---- reads -------------------------------------------------------------------
    def page(self, spec: ConversationFilter, offset: int, limit: int) -> list[ConversationSummary]:
        return conversations.list_page(
            self._reader(), spec, offset=offset, limit=limit, now=self._now()
        )

    def count(self, spec: ConversationFilter) -> int:
        return conversations.count(self._reader(), spec, now=self._now())

    def counts(self, spec: ConversationFilter) -> dict[View, int]:
        return conversations.counts_by_view(self._reader(), spec, now=self._now())

    def position(self, spec: ConversationFilter, conversation_id: int) -> int | None:
        return conversations.position_of(self._reader(), spec, conversation_id, now=self._now())

    def summary(self, conversation_id: int) -> ConversationSummary | None:
        return conversations.summary(self._reader(), conversation_id)

    def detail(self, conversation_id: int) -> ConversationDetail | None:
        from csconsole.store import conversation_detail  # loads when a thread first opens

        return conversation_detail.detail(self._reader(), conversation_id)

    def tags(self) -> list[str]:
        return conversations.all_tags(self._reader())

    def accounts(self) -> list[AccountStatus]:
        return console_status.account_statuses(self._reader())

    def outbox_waiting(self) -> int:
        return console_status.outbox_waiting(self._reader())

    # ---- status ------------------------------------------------------------------
    def _status(self, conversation_id: int, status: Status, until: str | None = None) -> str:
        from csconsole.store import conversation_state

        db = self._db()
        with db.atomic():
            return conversation_state.set_status(
                db, conversation_id, status, actor=self._actor, snooze_until=until
            )

    def close(self, conversation_id: int) -> str:
        from csconsole.domain.models import Status  # with the other store models, on first use

        return self._status(conversation_id, Status.CLOSED)

    def reopen(self, conversation_id: int) -> str:
        from csconsole.domain.models import Status  # with the other store models, on first use

        return self._status(conversation_id, Status.OPEN)

    def set_pending(self, conversation_id: int) -> str:
        """Waiting on the customer: off the Open list until they write."""
        from csconsole.domain.models import Status

        return self._status(conversation_id, Status.PENDING)

    def snooze(self, conversation_id: int, until: datetime) -> datetime:
        from csconsole.domain.models import Status

        self._status(conversation_id, Status.SNOOZED, to_iso(until))
        return until

    def snooze_preset(self, conversation_id: int, preset: str) -> datetime:
        """Snooze for '1h', until 'tomorrow' 09:00 or 'next_week' (Monday 09:00)."""
        from csconsole.domain.snooze import preset_time  # with its calendars, on first use

        until = preset_time(preset, self._now(), self._services.config.display.timezone)
        return self.snooze(conversation_id, until)

    def snooze_typed(self, conversation_id: int, text: str) -> datetime:
        """Snooze until a typed time; ValueError explains what could not be read."""
        from csconsole.domain.snooze import parse_snooze

        until = parse_snooze(text, self._now(), self._services.config.display.timezone)
        return self.snooze(conversation_id, until)

    def wake_due_snoozes(self) -> list[int]:
        """Reopen every conversation whose snooze has ended; call it periodically."""
        from csconsole.store import conversation_state

        db = self._db()
        with db.atomic():
            return conversation_state.wake_due_snoozes(db, to_iso(self._now()))

    # ---- tags, read state, notes, orders ---------------------------------------
    def tag(self, conversation_id: int, tag: str) -> bool:
        from csconsole.store import conversation_state

        tag = " ".join(tag.split()).lower()
        if not tag:
            raise ValueError("a tag cannot be empty")
        db = self._db()
        with db.atomic():
            return conversation_state.add_tag(db, conversation_id, tag, actor=self._actor)

    def untag(self, conversation_id: int, tag: str) -> bool:
        from csconsole.store import conversation_state

        db = self._db()
        with db.atomic():
            return conversation_state.remove_tag(
                db, conversation_id, " ".join(tag.split()).lower(), actor=self._actor
            )

    def mark_read(self, conversation_id: int, read: bool = True) -> None:
        from csconsole.store import conversation_state

        db = self._db()
        with db.atomic():
            conversation_state.set_read(db, conversation_id, read, actor=self._actor)

    def add_note(self, conversation_id: int, body: str) -> int:
        """An internal note; customers never see it."""
        from csconsole.store import conversation_state

        if not body.strip():
            raise ValueError("a note cannot be empty")
        db = self._db()
        author = self._actor.removeprefix("agent:")
        with db.atomic():
            return conversation_state.add_note(
                db, conversation_id, body.strip(), author=author, actor=self._actor
            )

    def link_order(self, conversation_id: int, number: str) -> int:
        from csconsole.store import conversation_state

        db = self._db()
        with db.atomic():
            return conversation_state.link_order(db, conversation_id, number, actor=self._actor)

    def unlink_order(self, conversation_id: int, number: str) -> int:
        from csconsole.store import conversation_state

        db = self._db()
        with db.atomic():
            return conversation_state.unlink_order(db, conversation_id, number, actor=self._actor)

    # ---- saved views -------------------------------------------------------------
    def saved_views(self) -> list[SavedView]:
        from csconsole.store import conversation_state

        return conversation_state.saved_views(self._db())

    def save_view(self, name: str, spec: ConversationFilter) -> int:
        from csconsole.store import conversation_state

        query = json.dumps(
            {k: v for k, v in spec.__dict__.items() if v not in (None, "")}, ensure_ascii=False
        )
        db = self._db()
        with db.atomic():
            return conversation_state.save_view(db, name.strip(), query)

    def delete_view(self, name: str) -> bool:
        from csconsole.store import conversation_state

        db = self._db()
        with db.atomic():
            return conversation_state.delete_view(db, name)

    @staticmethod
    def view_filter(view: SavedView) -> ConversationFilter:
        """A saved view's filter; a query that is not our JSON is searched as text."""
        try:
            data = json.loads(view.query)
        except ValueError:
            return ConversationFilter(view=View.ALL, text=view.query)
        if not isinstance(data, dict):
            return ConversationFilter(view=View.ALL, text=view.query)
        return ConversationFilter(
            view=View(data.get("view", View.ALL)),
            channel=data.get("channel"),
            account_id=data.get("account_id"),
            tag=data.get("tag"),
            text=str(data.get("text", "")),
            sort=Sort(data.get("sort", Sort.URGENCY)),
        )

    # ---- attachments -------------------------------------------------------------
    def save_attachment(self, attachment_id: int, folder: Path | None = None) -> Path:
        """Write an attachment to the download folder under a safe, unused name."""
        from csconsole.store.conversation_detail import attachment_content

        row = attachment_content(self._db(), attachment_id)
        if row is None:
            raise NotFound(f"no attachment {attachment_id}")
        filename, content = row
        if content is None:
            if _fetcher is None:
                raise AttachmentUnavailable(
                    "this attachment was not downloaded yet and no mail account is connected "
                    "to fetch it; run `csconsole sync` and try again"
                )
            content = _fetcher(self._services, attachment_id)
        target_dir = folder or paths.download_dir()
        target_dir.mkdir(parents=True, exist_ok=True)
        target = unused_path(target_dir, safe_filename(filename, f"attachment-{attachment_id}"))
        handle = target.open("xb")  # "x": never replace a file that appeared meanwhile
        try:
            with handle:
                handle.write(bytes(content))
        except OSError as error:  # a full disk: no half-written file that looks complete
            target.unlink(missing_ok=True)
            raise OSError(error.errno, f"{target.name} not saved: {error.strerror}") from error
        return target

    def attachment_ids(self, conversation_id: int) -> list[int]:
        """Every attachment of a conversation, oldest message first."""
        detail = self.detail(conversation_id)
        if detail is None:
            raise NotFound(f"no conversation {conversation_id}")
        return [a.id for m in detail.messages for a in m.attachments]

    def open_attachment(self, path: Path) -> None:
        """Open a file ``save_attachment`` wrote, with the system's opener (explicit only)."""
        _opener(path)
