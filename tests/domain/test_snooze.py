"""Snooze presets and typed snooze times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from csconsole.domain.clock import to_iso
from csconsole.domain.snooze import parse_snooze, preset_time

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # a Monday


def test_presets_in_the_agents_time_zone() -> None:
    assert to_iso(preset_time("1h", NOW)) == "2026-11-23T10:30:00Z"
    assert to_iso(preset_time("tomorrow", NOW)) == "2026-11-24T09:00:00Z"
    assert to_iso(preset_time("next_week", NOW)) == "2026-11-30T09:00:00Z"
    # 09:00 in Tehran (UTC+3:30) is 05:30 UTC.
    assert to_iso(preset_time("tomorrow", NOW, "Asia/Tehran")) == "2026-11-24T05:30:00Z"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3h", "2026-11-23T12:30:00Z"),
        ("۲d", "2026-11-25T09:30:00Z"),
        ("45m", "2026-11-23T10:15:00Z"),
        ("14:00", "2026-11-23T14:00:00Z"),
        ("08:00", "2026-11-24T08:00:00Z"),
        ("2026-12-01", "2026-12-01T09:00:00Z"),
        ("2026-12-01 16:45", "2026-12-01T16:45:00Z"),
        ("next week", "2026-11-30T09:00:00Z"),
    ],
)
def test_typed_times(typed: str, expected: str) -> None:
    assert to_iso(parse_snooze(typed, NOW)) == expected


@pytest.mark.parametrize("typed", ["soon", "2026-01-01", "25:00", "2026-12-01 9"])
def test_unreadable_or_past_times_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_snooze(typed, NOW)
