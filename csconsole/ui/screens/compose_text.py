"""What the compose screen shows around the editor: the header block and the RTL preview."""

from __future__ import annotations

from csconsole.domain.outgoing import KIND_LABELS, ReplyKind, ReplyPlan
from csconsole.domain.text import sanitize
from csconsole.ui import rtl


def header_block(plan: ReplyPlan, bidi: str) -> str:
    """Kind, From, To, Cc, Subject and language of what is being written."""
    label = KIND_LABELS[plan.kind]
    if plan.kind is ReplyKind.NOTE:
        return f"{label} (never sent to the customer)"
    if plan.kind is ReplyKind.NEW:
        email = plan.channel == "email"
        label += " (a new thread in this conversation)" if email else " (sent in the chat)"
    lines = [
        label,
        f"From: {plan.from_name} <{plan.from_addr}>" if plan.from_addr else "",
        f"To: {', '.join(plan.to)}" + ("" if plan.channel == "email" else f" ({plan.channel})"),
        f"Cc: {', '.join(plan.cc)}" if plan.cc else "",
        ""
        if plan.kind is ReplyKind.NEW or plan.channel != "email"
        else f"Subject: {rtl.display(plan.subject, bidi)}",
        f"Language: {plan.language or 'unknown'}",
    ]
    return sanitize("\n".join(line for line in lines if line), multiline=True)


def rtl_preview(text: str, width: int, bidi: str) -> str | None:
    """``text`` shaped and reordered as it will read, or None when it needs no preview
    (no right-to-left letters, or the terminal reorders text itself)."""
    if not rtl.has_rtl(text) or bidi not in rtl.APP_MODES:
        return None
    lines: list[str] = []
    for paragraph in text.split("\n"):
        for shown, right in rtl.wrap(paragraph, width, bidi) or [("", False)]:
            lines.append(shown.rjust(width) if right else shown)
    return sanitize("\n".join(lines), multiline=True)
