"""One inbox row as segments: glyph, customer, subject and preview, order, tags, age, SLA.

Every field from the wire is sanitised and passed through the bidi transform on its
own, so an Arabic subject next to a Latin order number stays readable, and widths
are counted on the displayed text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.segment import Segment
from rich.style import Style

from csconsole.domain.clock import from_iso
from csconsole.domain.display_dates import format_short
from csconsole.domain.inbox_models import ConversationSummary
from csconsole.domain.sla import Badge, badge
from csconsole.domain.text import sanitize
from csconsole.ui.rtl import fit

GLYPHS = {"email": "@", "telegram": "»", "shop": "$"}
CUSTOMER_WIDTH = 16
# The cursor highlights only the left columns (gutter to customer): moving it rewrites
# about 20 cells per row instead of the whole line, which matters on a 64 kbit/s link.
HIGHLIGHT_WIDTH = 4 + CUSTOMER_WIDTH
BADGE_WIDTH = 20


@dataclass(frozen=True)
class RowStyles:
    """Rich styles resolved from the list's component classes."""

    base: Style
    cursor: Style
    unread: Style
    muted: Style
    overdue: Style
    due_soon: Style
    tag: Style


@dataclass(frozen=True)
class RowContext:
    now: datetime
    bidi: str
    calendar: str
    timezone: str


def row_badge(row: ConversationSummary, now: datetime) -> Badge:
    return badge(
        row.status,
        from_iso(row.sla_due_at) if row.sla_due_at else None,
        now,
        snooze_until=from_iso(row.snooze_until) if row.snooze_until else None,
    )


def _badge_style(level: str, styles: RowStyles) -> Style:
    if level == "overdue":
        return styles.overdue
    if level == "due_soon":
        return styles.due_soon
    return styles.muted


def render_row(
    row: ConversationSummary | None,
    width: int,
    *,
    cursor: bool,
    styles: RowStyles,
    context: RowContext,
) -> list[Segment]:
    """The segments of one row, exactly ``width`` cells wide."""
    if row is None:
        return [Segment(" " * width, styles.base)]
    mode = context.bidi
    left_style = styles.cursor if cursor else (styles.unread if row.unread else styles.base)
    gutter = "▌" if cursor else " "
    unread = "●" if row.unread else " "
    glyph = GLYPHS.get(row.channel, "?")
    customer = fit(sanitize(row.customer) or "(unknown)", CUSTOMER_WIDTH, mode)
    segments = [Segment(f"{gutter}{unread}{glyph} {customer}", left_style)]
    shown_badge = row_badge(row, context.now)
    when = format_short(
        row.last_message_at, context.now, calendar=context.calendar, timezone=context.timezone
    )
    right = f" {when:>6} "
    badge_text = f"{shown_badge.text:>{BADGE_WIDTH - 1}} " if width >= 70 else ""
    order = f" #{sanitize(row.order_number)}" if row.order_number else ""
    tags = (" " + " ".join(f"[{sanitize(tag)}]" for tag in row.tags))[:16] if row.tags else ""
    middle = width - HIGHLIGHT_WIDTH - len(right) - len(badge_text)
    if middle <= 0:
        return [*segments, Segment(" " * max(0, width - HIGHLIGHT_WIDTH), styles.base)]
    subject_style = styles.unread if row.unread else styles.base
    segments.append(Segment(" ", styles.base))
    middle -= 1
    text_width = max(0, middle - len(order) - len(tags))
    subject = sanitize(row.subject) or "(no subject)"
    preview = sanitize(row.preview)
    subject_width = min(text_width, max(24, text_width * 3 // 5)) if preview else text_width
    segments.append(Segment(fit(subject, subject_width, mode), subject_style))
    if preview and text_width - subject_width > 3:
        preview_width = text_width - subject_width - 1
        segments.append(Segment(" " + fit(preview, preview_width, mode), styles.muted))
    elif text_width - subject_width > 0:
        segments.append(Segment(" " * (text_width - subject_width), styles.base))
    if order:
        segments.append(Segment(order, styles.base))
    if tags:
        segments.append(Segment(tags, styles.tag))
    segments.append(Segment(right, styles.muted))
    if badge_text:
        segments.append(Segment(badge_text, _badge_style(shown_badge.level, styles)))
    return segments
