"""SLA deadlines and the badges the inbox shows for them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from csconsole.domain.sla import (
    BusinessHours,
    SlaPolicy,
    add_working_time,
    badge,
    due_at,
    format_span,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
)
spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))
WEEKDAYS_9_TO_5_ZONE = ZoneInfo("Asia/Tehran")
WEEKDAYS_9_TO_5 = BusinessHours("Asia/Tehran", {d: (time(9), time(17)) for d in range(5)})


@given(moments, spans)
def test_overdue_exactly_when_the_deadline_has_passed(now: datetime, span: timedelta) -> None:
    late = badge("open", now - span, now)
    assert late.level == "overdue" and late.text.startswith("overdue ")
    early = badge("open", now + span + timedelta(seconds=1), now)
    assert early.level in ("due_soon", "ok") and early.text.startswith("due in ")


@given(moments, spans)
def test_badge_states_the_time_left_rounded_down(now: datetime, span: timedelta) -> None:
    text = badge("open", now + span + timedelta(seconds=1), now).text
    assert text == f"due in {format_span(span + timedelta(seconds=1))}"


@given(spans, spans)
def test_spans_never_grow_as_the_deadline_approaches(a: timedelta, b: timedelta) -> None:
    small, large = sorted([a, b])

    def minutes(text: str) -> int:
        value, unit = int(text[:-1]), text[-1]
        return value * {"m": 1, "h": 60, "d": 1440}[unit]

    assert minutes(format_span(small)) <= minutes(format_span(large))


@given(st.sampled_from(["pending", "snoozed", "closed"]), st.none() | moments, moments)
def test_status_decides_before_the_clock(status: str, due: datetime | None, now: datetime) -> None:
    shown = badge(status, due, now)
    assert shown.level == {"pending": "waiting", "snoozed": "snoozed", "closed": "none"}[status]
    if status == "pending":
        assert shown.text == "waiting on customer"


def test_examples_read_naturally() -> None:
    assert badge("open", NOW + timedelta(hours=3, minutes=20), NOW).text == "due in 3h"
    assert badge("open", NOW - timedelta(hours=2, minutes=5), NOW).text == "overdue 2h"
    assert badge("open", NOW + timedelta(minutes=25), NOW).level == "due_soon"
    assert badge("open", NOW + timedelta(days=3), NOW).text == "due in 3d"
    assert badge("open", None, NOW).text == ""
    assert not badge("closed", NOW, NOW)
    assert badge("snoozed", None, NOW, snooze_until=NOW + timedelta(hours=5)).text == "snoozed 5h"


@given(moments, st.floats(min_value=0, max_value=200))
def test_business_hours_deadline_is_never_before_calendar_deadline(
    start: datetime, hours: float
) -> None:
    calendar = add_working_time(start, hours, None)
    business = add_working_time(start, hours, WEEKDAYS_9_TO_5)
    assert business >= calendar - timedelta(microseconds=1)


@given(moments)
def test_business_deadline_falls_inside_opening_hours(start: datetime) -> None:
    due = due_at(SlaPolicy(4, 4, WEEKDAYS_9_TO_5), start, first_response=True)
    assert due is not None
    local = due.astimezone(WEEKDAYS_9_TO_5_ZONE)
    assert local.weekday() < 5 and time(9) <= local.time() <= time(17)
