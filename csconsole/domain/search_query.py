"""The search box's little language, parsed into a structure the store can run.

``from:ali order:1001 tag:refund status:open channel:email before:2026-11-01
after:2026-10-01 "damaged parcel" سفارش`` — filters are ``key:value`` (values may
be quoted), everything else is free text. Unknown ``key:`` prefixes are kept as
free text so that a pasted URL or a time like ``10:30`` still searches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from csconsole.domain.models import Channel, Status
from csconsole.domain.text import to_ascii_digits

FILTER_KEYS = ("from", "order", "tag", "status", "channel", "before", "after")

_TOKEN = re.compile(r'(?P<key>[A-Za-z]+):(?P<kv>"[^"]*"?|\S*)|"(?P<phrase>[^"]*)"?|(?P<word>\S+)')


class QueryError(ValueError):
    """A filter value that cannot mean anything (an unknown status, a bad date)."""


@dataclass(frozen=True)
class SearchQuery:
    """What the user asked for; empty fields mean "no constraint"."""

    terms: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    orders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    before: date | None = None
    after: date | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def is_empty(self) -> bool:
        return not any(
            [self.terms, self.people, self.orders, self.tags, self.statuses, self.channels]
        ) and (self.before is None and self.after is None)


def _parse_date(key: str, value: str) -> date:
    try:
        return date.fromisoformat(to_ascii_digits(value))
    except ValueError:
        raise QueryError(f"{key}: expects a date like 2026-11-01, not {value!r}") from None


def _choices(key: str, value: str, allowed: tuple[str, ...]) -> list[str]:
    values = [part.strip().lower() for part in value.split(",") if part.strip()]
    for item in values:
        if item not in allowed:
            raise QueryError(f"{key}: expects one of {', '.join(allowed)}, not {item!r}")
    return values


def parse_query(text: str) -> SearchQuery:
    """Parse the search box; raises QueryError for filters whose value is meaningless."""
    found: dict[str, list[str]] = {key: [] for key in (*FILTER_KEYS, "terms")}
    before: date | None = None
    after: date | None = None
    for match in _TOKEN.finditer(text):
        key = (match.group("key") or "").lower()
        if key in FILTER_KEYS:
            value = match.group("kv").strip('"').strip()
            if not value:
                continue
            if key == "before":
                before = _parse_date(key, value)
            elif key == "after":
                after = _parse_date(key, value)
            elif key == "status":
                found[key] += _choices(key, value, tuple(s.value for s in Status))
            elif key == "channel":
                found[key] += _choices(key, value, tuple(c.value for c in Channel))
            elif key == "order":
                found[key].append(to_ascii_digits(value).lstrip("#"))
            else:
                found[key].append(value)
        elif match.group("key"):
            found["terms"].append(match.group(0).strip('"'))
        elif match.group("phrase") is not None:
            if match.group("phrase").strip():
                found["terms"].append(match.group("phrase").strip())
        else:
            found["terms"].append(match.group("word"))
    return SearchQuery(
        terms=tuple(found["terms"]),
        people=tuple(found["from"]),
        orders=tuple(found["order"]),
        tags=tuple(found["tag"]),
        statuses=tuple(dict.fromkeys(found["status"])),
        channels=tuple(dict.fromkeys(found["channel"])),
        before=before,
        after=after,
    )
