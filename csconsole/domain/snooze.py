"""When a snooze ends: the presets the console offers and the times an agent can type.

Local times ("tomorrow 09:00") are read in the agent's time zone and returned as
aware UTC datetimes, ready for the store.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from csconsole.domain.text import to_ascii_digits

MORNING = time(9, 0)
PRESETS = {"1h": "in one hour", "tomorrow": "tomorrow 09:00", "next_week": "next Monday 09:00"}

_SPAN = re.compile(r"^(\d+)\s*([mhdw])$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, zone).astimezone(UTC)


def preset_time(preset: str, now: datetime, timezone: str = "UTC") -> datetime:
    """The end of a preset snooze: '1h', 'tomorrow' (09:00) or 'next_week' (Monday 09:00)."""
    zone = _zone(timezone)
    local = now.astimezone(zone)
    if preset == "1h":
        return (now + timedelta(hours=1)).astimezone(UTC)
    if preset == "tomorrow":
        return _at(local.date() + timedelta(days=1), MORNING, zone)
    if preset == "next_week":
        days = 7 - local.weekday()  # Monday after today, never today
        return _at(local.date() + timedelta(days=days), MORNING, zone)
    raise ValueError(f"unknown snooze preset {preset!r}")


def parse_snooze(text: str, now: datetime, timezone: str = "UTC") -> datetime:
    """A typed snooze end: '3h', '2d', '45m', '1w', '14:30', '2026-12-01', '2026-12-01 14:30',
    'tomorrow', 'next week'. Raises ValueError with a hint for anything else or the past.
    """
    cleaned = " ".join(to_ascii_digits(text).strip().lower().split())
    zone = _zone(timezone)
    local = now.astimezone(zone)
    result: datetime | None = None
    if cleaned in ("tomorrow", "next week", "next_week", "1h"):
        return preset_time(cleaned.replace(" ", "_"), now, timezone)
    if match := _SPAN.match(cleaned):
        amount, unit = int(match[1]), match[2]
        span = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}.get(
            unit, timedelta(weeks=1)
        )
        result = now + amount * span
    elif match := _CLOCK.match(cleaned):
        moment = _clock(int(match[1]), int(match[2]))
        result = _at(local.date(), moment, zone)
        if result <= now:
            result = _at(local.date() + timedelta(days=1), moment, zone)
    else:
        day_text, _, clock_text = cleaned.partition(" ")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise ValueError(
                f"cannot read {text!r} as a time: try 3h, 2d, 14:30, tomorrow, 2026-12-01 09:00"
            ) from None
        moment = MORNING
        if clock_text:
            clock = _CLOCK.match(clock_text)
            if not clock:
                raise ValueError(f"cannot read the time of day in {text!r}: use HH:MM")
            moment = _clock(int(clock[1]), int(clock[2]))
        result = _at(day, moment, zone)
    if result <= now:
        raise ValueError(f"{text!r} is in the past")
    return result.astimezone(UTC)


def _clock(hour: int, minute: int) -> time:
    if hour > 23 or minute > 59:
        raise ValueError(f"{hour:02}:{minute:02} is not a time of day")
    return time(hour, minute)
