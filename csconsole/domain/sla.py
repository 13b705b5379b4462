"""Reply-time promises: when is a customer's unanswered message due?

A policy gives a first-response target and a next-response target in hours,
counted either on the calendar (every hour counts, as marketplaces do) or in
business hours from a weekly schedule in the shop's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BusinessHours:
    """Opening hours per weekday (0 = Monday) in one time zone; a day absent is closed."""

    timezone: str = "UTC"
    days: dict[int, tuple[time, time]] = field(default_factory=dict)

    def is_open_ever(self) -> bool:
        return any(start < end for start, end in self.days.values())


@dataclass(frozen=True)
class SlaPolicy:
    """Targets for one channel."""

    first_response_hours: float = 24.0
    next_response_hours: float = 24.0
    business_hours: BusinessHours | None = None  # None: calendar hours


def add_working_time(start: datetime, hours: float, schedule: BusinessHours | None) -> datetime:
    """The instant ``hours`` of working time after ``start`` (aware datetimes)."""
    if schedule is None or not schedule.is_open_ever():
        return start + timedelta(hours=hours)
    from zoneinfo import ZoneInfo  # with its tz path lookup, only for business hours

    zone = ZoneInfo(schedule.timezone)
    remaining = timedelta(hours=hours)
    cursor = start.astimezone(zone)
    # A week of schedule always contains some open time, so this loop ends; the bound
    # only guards against absurd targets.
    for _ in range(366 * 10):
        window = schedule.days.get(cursor.weekday())
        if window is not None:
            day_open = datetime.combine(cursor.date(), window[0], zone)
            day_close = datetime.combine(cursor.date(), window[1], zone)
            begin = max(cursor, day_open)
            if begin < day_close:
                available = day_close - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(start.tzinfo)
                remaining -= available
        next_day = cursor.date() + timedelta(days=1)
        cursor = datetime.combine(next_day, time(0), zone)
    raise ValueError("the business-hours schedule leaves no time to answer")


def due_at(
    policy: SlaPolicy, awaiting_since: datetime | None, *, first_response: bool
) -> datetime | None:
    """When the oldest unanswered message must be answered; None when nothing is waiting."""
    if awaiting_since is None:
        return None
    hours = policy.first_response_hours if first_response else policy.next_response_hours
    return add_working_time(awaiting_since, hours, policy.business_hours)


@dataclass(frozen=True)
class SlaPolicies:
    """Policies by channel, with a default for channels not named."""

    by_channel: dict[str, SlaPolicy] = field(default_factory=dict)
    default: SlaPolicy = field(default_factory=SlaPolicy)

    def for_channel(self, channel: str) -> SlaPolicy:
        return self.by_channel.get(channel, self.default)


@dataclass(frozen=True)
class Badge:
    """What the inbox shows about a conversation's deadline, and how loudly."""

    text: str
    level: str  # overdue | due_soon | ok | waiting | snoozed | none

    def __bool__(self) -> bool:
        return bool(self.text)


DUE_SOON = timedelta(hours=4)


def format_span(span: timedelta) -> str:
    """A short, rounded-down duration: '45m', '3h', '2d'."""
    minutes = max(0, int(span.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 48:
        return f"{hours}h"
    return f"{hours // 24}d"


def badge(
    status: str,
    due: datetime | None,
    now: datetime,
    *,
    snooze_until: datetime | None = None,
) -> Badge:
    """The SLA badge for a conversation at ``now`` (aware datetimes)."""
    if status == "pending":
        return Badge("waiting on customer", "waiting")
    if status == "snoozed":
        if snooze_until is None:
            return Badge("snoozed", "snoozed")
        return Badge(f"snoozed {format_span(snooze_until - now)}", "snoozed")
    if status == "closed" or due is None:
        return Badge("", "none")
    if due <= now:
        return Badge(f"overdue {format_span(now - due)}", "overdue")
    level = "due_soon" if due - now <= DUE_SOON else "ok"
    return Badge(f"due in {format_span(due - now)}", level)
