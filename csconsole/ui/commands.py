"""Command-palette entries that depend on the screen, named "noun: verb".

Providers read what the screen already holds; they never touch the network.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

PaletteEntry = tuple[str, str, Callable[[], object]]


def conversation_entries(screen: Any) -> Iterator[PaletteEntry]:
    """Commands for the highlighted or open conversation."""
    act = screen.run_action
    for name, action, help_text in (
        ("conversation: close", "close_conversation", "Close it; a reply reopens it"),
        ("conversation: reopen", "reopen", "Back to Open"),
        ("conversation: mark pending", "pending", "Waiting on the customer"),
        ("conversation: mark read or unread", "toggle_read", ""),
        ("conversation: tag…", "tag", "Add a tag"),
        ("conversation: remove tag…", "untag", ""),
        ("conversation: add internal note…", "note", "Customers never see notes"),
        ("conversation: link order…", "link_order", "Link an order by its number"),
        ("conversation: unlink order…", "unlink_order", ""),
        ("conversation: snooze until…", "snooze", "Presets or a typed time"),
        ("conversation: reply", "reply", ""),
        ("conversation: reply to all", "reply_all", "Everyone on the customer's last mail"),
        ("conversation: new message to the customer…", "new_message", "A fresh thread"),
    ):
        yield name, help_text, partial(act, action)
    snooze_with = screen.snooze_with
    yield "conversation: snooze for an hour", "", partial(snooze_with, "1h")
    yield "conversation: snooze until tomorrow", "09:00 tomorrow", partial(snooze_with, "tomorrow")
    yield "conversation: snooze until next week", "Monday 09:00", partial(snooze_with, "next_week")


class InboxCommands(Provider):
    """Views, sorting and the highlighted conversation."""

    def entries(self) -> list[PaletteEntry]:
        screen = self.screen
        act = screen.run_action
        entries = list(conversation_entries(screen))
        for number, (view, label) in enumerate(
            [
                ("open", "Open"),
                ("due_soon", "Due soon"),
                ("overdue", "Overdue"),
                ("pending", "Pending"),
                ("snoozed", "Snoozed"),
                ("closed", "Closed"),
                ("all", "All"),
            ],
            1,
        ):
            entries.append(
                (f"view: {label.lower()}", f"key {number}", partial(act, f"view('{view}')"))
            )
        entries.append(("view: save current view…", "", partial(act, "save_view")))
        entries.append(("view: open saved view…", "", partial(act, "saved_views")))
        entries.append(
            ("inbox: change sort order", "urgency, newest, oldest", partial(act, "cycle_sort"))
        )
        entries.append(("inbox: filter by channel", "", partial(act, "cycle_channel")))
        entries.append(("inbox: filter by tag…", "", partial(act, "filter_tag")))
        entries.append(("inbox: search…", "", partial(act, "search")))
        return entries

    async def discover(self) -> Hits:
        for name, help_text, callback in self.entries():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class ConversationCommands(InboxCommands):
    """The open conversation, its orders and attachments."""

    def entries(self) -> list[PaletteEntry]:
        screen = self.screen
        act = screen.run_action
        entries = list(conversation_entries(screen))
        entries.append(("conversation: next", "", partial(act, "step(1)")))
        entries.append(("conversation: previous", "", partial(act, "step(-1)")))
        entries.append(("conversation: show or fold quotes", "", partial(act, "toggle_quotes")))
        entries.append(("conversation: show or hide headers", "", partial(act, "toggle_headers")))
        entries.append(
            ("attachment: save all", "to the download folder", partial(act, "save_attachment"))
        )
        entries.append(
            ("attachment: open", "with the system opener", partial(act, "open_attachment"))
        )
        if getattr(screen, "tracking_links", lambda: [])():
            entries.append(("order: copy tracking link", "", partial(act, "copy_tracking")))
        for name, action, help_text in (
            ("order: add note…", "order_note", "First linked order; staff only"),
            ("order: mark completed", "order_complete", "WooCommerce; asks to confirm"),
            ("order: put on hold", "order_hold", "WooCommerce; asks to confirm"),
            ("order: cancel…", "order_cancel", "Shows what happens; asks a reason"),
            ("order: refund…", "order_refund", "Shows amount and gateway; asks a reason"),
        ):
            entries.append((name, help_text, partial(act, action)))
        return entries
