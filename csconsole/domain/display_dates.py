"""Dates as the console prints them, in the agent's time zone and calendar.

``display.calendar = "jalali"`` shows Solar Hijri dates (``1405/09/02``), the
calendar Iranian agents read; the conversion lives in ``domain.calendars``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from csconsole.domain.calendars import JALALI_MONTHS_EN, to_jalali
from csconsole.domain.clock import from_iso
from csconsole.domain.sla import format_span

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _local(iso: str, timezone: str) -> datetime:
    if timezone == "UTC":  # the default: no zoneinfo, no time-zone file to find and read
        return from_iso(iso).astimezone(UTC)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return from_iso(iso).astimezone(zone)


def _ymd(moment: datetime, calendar: str) -> tuple[int, int, int]:
    if calendar == "jalali":
        return to_jalali(moment.date())
    return moment.year, moment.month, moment.day


def format_full(iso: str | None, *, calendar: str = "gregorian", timezone: str = "UTC") -> str:
    """``2026-11-23 09:00`` or, in the Jalali calendar, ``1405/09/02 09:00``."""
    if not iso:
        return ""
    moment = _local(iso, timezone)
    year, month, day = _ymd(moment, calendar)
    separator = "/" if calendar == "jalali" else "-"
    return f"{year:04}{separator}{month:02}{separator}{day:02} {moment:%H:%M}"


def format_short(
    iso: str | None, now: datetime, *, calendar: str = "gregorian", timezone: str = "UTC"
) -> str:
    """A list column: the time today, ``23 Nov`` (``2 Azar``) this year, else the full date."""
    if not iso:
        return ""
    moment = _local(iso, timezone)
    today = _local(now.isoformat(), timezone)
    if moment.date() == today.date():
        return f"{moment:%H:%M}"
    year, month, day = _ymd(moment, calendar)
    this_year = _ymd(today, calendar)[0]
    if year == this_year:
        names = JALALI_MONTHS_EN if calendar == "jalali" else _MONTHS
        return f"{day} {names[month - 1][:6]}"
    return format_full(iso, calendar=calendar, timezone=timezone).split(" ")[0]


def age(iso: str | None, now: datetime) -> str:
    """How long ago: ``45m``, ``3h``, ``2d``."""
    if not iso:
        return ""
    return format_span(max(now - from_iso(iso), timedelta(0)))
