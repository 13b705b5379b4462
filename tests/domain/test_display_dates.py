"""Dates in the agent's calendar and time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from csconsole.domain.display_dates import age, format_full, format_short

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_jalali_dates_match_the_iranian_calendar() -> None:
    # 1 Farvardin 1405 (Nowruz) is 21 March 2026; 2 Azar 1405 is 23 November 2026.
    assert format_full("2026-03-20T21:00:00Z", calendar="jalali", timezone="Asia/Tehran") == (
        "1405/01/01 00:30"
    )
    assert format_full("2026-11-23T09:00:00Z", calendar="jalali") == "1405/09/02 09:00"
    assert format_full("2026-11-23T09:00:00Z") == "2026-11-23 09:00"


def test_short_form_depends_on_how_recent() -> None:
    assert format_short("2026-11-23T07:15:00Z", NOW) == "07:15"
    assert format_short("2026-11-20T07:15:00Z", NOW) == "20 Nov"
    assert format_short("2026-11-20T07:15:00Z", NOW, calendar="jalali") == "29 Aban"
    assert format_short("2025-01-02T07:15:00Z", NOW) == "2025-01-02"
    # Just after midnight in Tehran the day has already changed.
    assert format_short("2026-11-23T08:00:00Z", NOW, timezone="Asia/Tehran") == "11:30"


def test_age() -> None:
    assert age("2026-11-23T06:00:00Z", NOW) == "3h"
    assert age("2026-11-21T06:00:00Z", NOW) == "2d"
    assert age(None, NOW) == ""
