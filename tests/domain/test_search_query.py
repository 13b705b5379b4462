"""The search box's filters mean what the help says."""

from __future__ import annotations

from datetime import date

import pytest

from csconsole.domain.search_query import QueryError, parse_query


def test_filters_and_free_text_separate() -> None:
    query = parse_query(
        "from:ali order:#۱۰۰۱ tag:refund status:open,pending channel:email "
        'before:2026-11-01 after:۲۰۲۶-10-01 "damaged parcel" سفارش'
    )
    assert query.people == ("ali",)
    assert query.orders == ("1001",)
    assert query.tags == ("refund",)
    assert query.statuses == ("open", "pending")
    assert query.channels == ("email",)
    assert query.before == date(2026, 11, 1)
    assert query.after == date(2026, 10, 1)
    assert query.terms == ("damaged parcel", "سفارش")


def test_unknown_prefixes_stay_text() -> None:
    assert parse_query("https://example.test 10:30").terms == ("https://example.test", "10:30")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("status:lost", "status: expects one of open, pending, snoozed, closed"),
        ("channel:fax", "channel: expects one of email, telegram, shop"),
        ("before:yesterday", "before: expects a date"),
    ],
)
def test_meaningless_values_are_explained(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(text)


def test_empty_query() -> None:
    assert parse_query("   ").is_empty()
    assert not parse_query("tag:x").is_empty()
