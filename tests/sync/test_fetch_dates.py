"""The FETCH parser's own date reading gives exactly imapclient's datetimes."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from imapclient.datetime_util import parse_to_datetime

from csconsole.sources.imap_parse import parse_fetch

_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _theirs(raw: bytes, normalise: bool) -> datetime | None:
    try:
        return parse_to_datetime(raw, normalise=normalise)
    except ValueError:
        return None


def _same(ours: datetime | None, theirs: datetime | None) -> None:
    """The same wall time and the same zone (asked of the zone itself: an offset of a
    day or more, which both parsers let through, makes datetime comparison raise)."""
    assert (ours is None) == (theirs is None)
    if ours is not None and theirs is not None:
        assert ours.replace(tzinfo=None) == theirs.replace(tzinfo=None)
        assert (ours.tzinfo is None) == (theirs.tzinfo is None)
        if ours.tzinfo is not None and theirs.tzinfo is not None:
            assert ours.tzinfo.utcoffset(None) == theirs.tzinfo.utcoffset(None)
            assert ours.tzinfo.tzname(None) == theirs.tzinfo.tzname(None)


def _fetch_dates(envelope_date: bytes, internal: bytes, normalise: bool) -> tuple[object, object]:
    line = (
        b'1 (UID 7 INTERNALDATE "' + internal + b'" ENVELOPE ("' + envelope_date + b'" "s" '
        b"NIL NIL NIL NIL NIL NIL NIL NIL))"
    )
    data = parse_fetch([line], normalise, True)[7]
    return data[b"ENVELOPE"].date, data[b"INTERNALDATE"]


@settings(max_examples=400, deadline=None)
@given(
    day_name=st.sampled_from(["", *(d + ", " for d in _DAYS), "mon, "]),
    day=st.integers(0, 40),
    month=st.sampled_from([*_MONTHS, "jan", "Foo"]),
    year=st.integers(0, 9999),
    hour=st.integers(0, 25),
    minute=st.integers(0, 61),
    second=st.integers(0, 61),
    sign=st.sampled_from(["+", "-"]),
    zone=st.integers(0, 2399),
    pad=st.booleans(),
    normalise=st.booleans(),
)
def test_dates_read_as_imapclient_reads_them(
    day_name: str,
    day: int,
    month: str,
    year: int,
    hour: int,
    minute: int,
    second: int,
    sign: str,
    zone: int,
    pad: bool,
    normalise: bool,
) -> None:
    clock = f"{hour:02d}:{minute:02d}:{second:02d} {sign}{zone:04d}"
    day_text = f"{day:02d}" if pad else str(day)
    envelope = f"{day_name}{day_text} {month} {year:04d} {clock}".encode()
    internal = f"{day:2d}-{month}-{year:04d} {clock}".encode()
    ours = _fetch_dates(envelope, internal, normalise)
    _same(ours[0], _theirs(envelope, normalise))  # type: ignore[arg-type]
    _same(ours[1], _theirs(internal, normalise))  # type: ignore[arg-type]


def test_unusual_dates_still_read() -> None:
    """Forms outside the strict shape go through imapclient's own parsing."""
    for raw in (
        b"Sat, 8 May 2010 16.03.09 +0200",
        b"8 May 10 16:03 +0200",
        b"Sat, 08 May 2010 16:03:09 -0000",
        b"Sat, 08 May 2010 16:03:09 +0200 (CEST)",
        b"Sat, 08 May 2010 16:03:09 GMT",
    ):
        ours = _fetch_dates(raw, b"08-May-2010 16:03:09 +0200", False)
        _same(ours[0], _theirs(raw, False))  # type: ignore[arg-type]
    assert _fetch_dates(b"Mon, 23 Nov 2026 17:55:23 +0330", b"x", False)[
        0
    ] == datetime.fromisoformat("2026-11-23T17:55:23+03:30")
