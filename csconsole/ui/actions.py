"""The one table of every keyboard action: id, default keys, description, screen.

Screens build their ``BINDINGS`` from it, the help screen lists it, and the config's
``[keymap]`` remaps ids (``"inbox.next" = "ctrl+n"``) through ``App.set_keymap``.
Vim keys and arrows sit in one key string, so both always work.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Action:
    """One remappable action."""

    id: str
    action: str  # the Textual action the binding runs
    keys: str  # default keys, comma separated
    description: str
    screen: str  # app | inbox | conversation | compose
    show: bool = True  # in the footer
    priority: bool = False  # wins over the focused widget (the compose editor's own keys)


GROUP_TITLES = {
    "app": "Everywhere",
    "inbox": "Inbox",
    "conversation": "Conversation",
    "compose": "Compose (reply, reply-all, note, new message)",
}

ACTIONS: tuple[Action, ...] = (
    Action("app.help", "app.show_help", "question_mark,f1", "Help", "app"),
    Action("app.quit", "app.quit", "ctrl+q", "Quit", "app", show=False),
    Action("app.palette", "app.command_palette", "ctrl+p", "Commands", "app", show=False),
    # Inbox list
    Action("inbox.next", "cursor_down", "j,down", "Next conversation", "inbox", show=False),
    Action("inbox.prev", "cursor_up", "k,up", "Previous conversation", "inbox", show=False),
    Action("inbox.page-down", "page_down", "pagedown,ctrl+f,space", "Page down", "inbox", False),
    Action("inbox.page-up", "page_up", "pageup,ctrl+b", "Page up", "inbox", show=False),
    Action("inbox.first", "first", "g,home", "First conversation", "inbox", show=False),
    Action("inbox.last", "last", "G,end", "Last conversation", "inbox", show=False),
    Action("inbox.open", "open", "enter,l,right", "Open", "inbox"),
    Action("inbox.search", "search", "slash", "Search", "inbox"),
    Action("inbox.clear", "clear_filters", "escape", "Clear search and filters", "inbox", False),
    Action("inbox.view-next", "view_step(1)", "right_square_bracket", "Next view", "inbox"),
    Action("inbox.view-prev", "view_step(-1)", "left_square_bracket", "Previous view", "inbox"),
    Action("inbox.view-open", "view('open')", "1", "View: open", "inbox", show=False),
    Action("inbox.view-due-soon", "view('due_soon')", "2", "View: due soon", "inbox", False),
    Action("inbox.view-overdue", "view('overdue')", "3", "View: overdue", "inbox", show=False),
    Action("inbox.view-pending", "view('pending')", "4", "View: pending", "inbox", show=False),
    Action("inbox.view-snoozed", "view('snoozed')", "5", "View: snoozed", "inbox", show=False),
    Action("inbox.view-closed", "view('closed')", "6", "View: closed", "inbox", show=False),
    Action("inbox.view-all", "view('all')", "7", "View: all", "inbox", show=False),
    Action("inbox.sort", "cycle_sort", "s", "Sort: urgency/newest/oldest", "inbox"),
    Action("inbox.filter-channel", "cycle_channel", "f", "Filter by channel", "inbox", False),
    Action("inbox.filter-tag", "filter_tag", "number_sign", "Filter by tag", "inbox", False),
    Action("inbox.saved-views", "saved_views", "v", "Saved views", "inbox", show=False),
    Action("inbox.save-view", "save_view", "V", "Save this view", "inbox", show=False),
    Action("inbox.refresh", "refresh_list", "ctrl+r", "Refresh", "inbox", show=False),
    # Changes to a conversation: on the highlighted row in the inbox, or the open thread.
    Action("conversation.close", "close_conversation", "x", "Close", "conversation"),
    Action("conversation.reopen", "reopen", "o", "Reopen", "conversation", show=False),
    Action("conversation.pending", "pending", "p", "Pending (waiting on customer)", "conversation"),
    Action("conversation.snooze", "snooze", "z", "Snooze", "conversation"),
    Action("conversation.tag", "tag", "t", "Tag", "conversation"),
    Action("conversation.untag", "untag", "T", "Remove a tag", "conversation", show=False),
    Action("conversation.note", "note", "n", "Internal note", "conversation"),
    Action("conversation.toggle-read", "toggle_read", "u", "Mark read/unread", "conversation"),
    Action("conversation.link-order", "link_order", "L", "Link an order", "conversation", False),
    Action(
        "conversation.unlink-order", "unlink_order", "U", "Unlink an order", "conversation", False
    ),
    Action("conversation.reply", "reply", "r", "Reply", "conversation"),
    Action("conversation.reply-all", "reply_all", "e", "Reply to all", "conversation", False),
    Action("conversation.new-message", "new_message", "m", "New message", "conversation", False),
    # Only inside an open conversation.
    Action("conversation.back", "back", "escape,q,h", "Back to the inbox", "conversation", False),
    Action(
        "conversation.next",
        "step(1)",
        "J,right_square_bracket",
        "Next conversation",
        "conversation",
        False,
    ),
    Action(
        "conversation.prev",
        "step(-1)",
        "K,left_square_bracket",
        "Previous conversation",
        "conversation",
        False,
    ),
    Action(
        "conversation.scroll-down",
        "scroll_thread(1)",
        "j,down",
        "Scroll down",
        "conversation",
        False,
    ),
    Action(
        "conversation.scroll-up", "scroll_thread(-1)", "k,up", "Scroll up", "conversation", False
    ),
    Action(
        "conversation.toggle-quotes",
        "toggle_quotes",
        "backslash",
        "Show/fold quotes",
        "conversation",
        False,
    ),
    Action(
        "conversation.headers", "toggle_headers", "H", "Show/hide headers", "conversation", False
    ),
    Action(
        "conversation.save-attachment",
        "save_attachment",
        "a",
        "Save attachments",
        "conversation",
        False,
    ),
    Action(
        "conversation.open-attachment",
        "open_attachment",
        "A",
        "Open an attachment",
        "conversation",
        False,
    ),
    Action(
        "order.copy-tracking", "copy_tracking", "y", "Copy tracking link", "conversation", False
    ),
    # The first linked order; each shows a confirm dialog before anything is sent.
    Action("order.note", "order_note", "M", "Order: add note", "conversation", False),
    Action("order.complete", "order_complete", "C", "Order: mark completed", "conversation", False),
    Action("order.hold", "order_hold", "O", "Order: put on hold", "conversation", False),
    Action("order.cancel", "order_cancel", "X", "Order: cancel", "conversation", False),
    Action("order.refund", "order_refund", "F", "Order: refund", "conversation", False),
    # The compose screen: Ctrl keys, so typing never triggers them (the editor has focus).
    Action("reply.send", "send", "ctrl+s", "Send", "compose", priority=True),
    Action("reply.canned", "canned", "ctrl+t", "Canned (or ::)", "compose", priority=True),
    Action("reply.editor", "editor", "ctrl+e", "$EDITOR", "compose", priority=True),
    Action(
        "reply.switch-kind",
        "switch_kind",
        "ctrl+r",
        "Kind: reply/all/note",
        "compose",
        priority=True,
    ),
    Action("reply.undo", "undo", "ctrl+z", "Undo send", "compose", priority=True),
    Action("reply.close", "close", "escape", "Close (keeps draft)", "compose"),
)

THREAD_ONLY = frozenset(
    a.id
    for a in ACTIONS
    if a.screen == "conversation"
    and a.id.split(".")[1]
    in {
        "back",
        "next",
        "prev",
        "scroll-down",
        "scroll-up",
        "toggle-quotes",
        "headers",
        "save-attachment",
        "open-attachment",
    }
) | {a.id for a in ACTIONS if a.id.startswith("order.")}

BY_ID = {action.id: action for action in ACTIONS}


def _binding(action: Action) -> Binding:
    return Binding(
        action.keys,
        action.action,
        action.description,
        show=action.show,
        priority=action.priority,
        id=action.id,
        tooltip=action.description,
    )


def bindings_for(*screens: str, exclude: frozenset[str] = frozenset()) -> list[BindingType]:
    """Bindings, with ids, for the actions of the given screens."""
    return [_binding(a) for a in ACTIONS if a.screen in screens and a.id not in exclude]


def keys_for(action_id: str, keymap: dict[str, str] | None = None) -> str:
    """The keys that run an action now, as the help screen shows them."""
    keys = (keymap or {}).get(action_id) or BY_ID[action_id].keys
    return ", ".join(key.strip() for key in keys.split(","))


def unknown_ids(keymap: dict[str, str]) -> list[str]:
    """Keymap entries that name no action (a typo would otherwise be ignored silently)."""
    return sorted(set(keymap) - set(BY_ID))
