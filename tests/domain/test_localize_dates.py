"""Day-and-month dates in the reader's language and calendar (Persian, Arabic, English)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from csconsole.domain.localize import Locale, format_date, format_day_month

MOMENT = datetime(2026, 11, 20, 7, 15, tzinfo=UTC)  # 29 Aban 1405


@pytest.mark.parametrize(
    ("tag", "calendar", "expected"),
    [
        ("en", "gregorian", "20 Nov"),
        ("en", "jalali", "29 Aban"),
        ("fa", "", "۲۹ آبان"),  # Persian readers get the Solar Hijri calendar by default
        ("fa", "gregorian", "۲۰ نوامبر"),
        ("fa-u-nu-latn", "jalali", "29 آبان"),
        ("ar", "gregorian", "٢٠ نوفمبر"),
        ("ar-u-nu-latn", "", "20 نوفمبر"),
        ("ar", "jalali", "٢٩ آبان"),
    ],
)
def test_day_and_month_in_each_language(tag: str, calendar: str, expected: str) -> None:
    assert format_day_month(MOMENT, Locale.parse(tag), calendar) == expected


def test_persian_month_names_follow_the_jalali_calendar_through_the_year() -> None:
    nowruz = datetime(2026, 3, 21, 12, tzinfo=UTC)
    last_of_esfand = datetime(2026, 3, 20, 12, tzinfo=UTC)
    assert format_day_month(nowruz, Locale.parse("fa")) == "۱ فروردین"
    assert format_day_month(last_of_esfand, Locale.parse("fa")) == "۲۹ اسفند"
    assert format_date(nowruz, Locale.parse("fa")) == "۱ فروردین ۱۴۰۵"
    assert format_date(MOMENT, Locale.parse("ar")) == "٢٠ نوفمبر ٢٠٢٦"
