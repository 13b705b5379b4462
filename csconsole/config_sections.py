"""Config sections that build shared values: SLA policies, the keymap and source names.

Split from ``config.py`` to keep each module small; these readers produce domain
types (``SlaPolicies``) or plain mappings, so they need none of the config dataclasses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from types import MappingProxyType

from csconsole.config_schema import Table, describe
from csconsole.domain.models import Channel
from csconsole.domain.sla import WEEKDAYS, BusinessHours, SlaPolicies, SlaPolicy

_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
# Binding ids such as "inbox.next" or "inbox.page-down".
_BINDING_ID = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$")


def check_unique_names(root: Table) -> None:
    """Names key the store's accounts table, so one name may serve one source only."""
    seen: dict[str, str] = {}
    for section in ("accounts", "shops", "channels"):
        for item in root.tables(section):
            name = str(item.data["name"]).strip().casefold()
            if name in seen:
                item.fail(
                    "name",
                    f"a name no other account, shop or channel uses ({seen[name]} has it)",
                    describe(item.data["name"]),
                )
            seen[name] = f"{item.path}.name"


def source_name(t: Table) -> str:
    """The name an account, shop or channel is shown and stored under."""
    name = t.string("name").strip()
    if len(name) > 64 or any((ch.isspace() and ch != " ") or not ch.isprintable() for ch in name):
        t.fail("name", "a short printable name (at most 64 characters)", describe(name))
    return name


def read_sla(t: Table | None) -> SlaPolicies:
    """``[sla.default]`` and ``[sla.channels.<channel>]`` as domain policies."""
    if t is None:
        return SlaPolicies()
    default_table = t.table("default")
    default = _policy(default_table, SlaPolicy()) if default_table else SlaPolicy()
    by_channel: dict[str, SlaPolicy] = {}
    channels = t.table("channels")
    if channels is not None:
        known = [c.value for c in Channel]
        for key in channels.data:
            if key not in known:
                channels.fail(key, "a channel: " + ", ".join(known), "an unknown channel")
            table = channels.table(key, required=True)
            assert table is not None
            by_channel[key] = _policy(table, default)
        channels.finish()
    for key in t.data:
        if key in {c.value for c in Channel}:
            t.fail(key, f"channel targets under [sla.channels.{key}]", "a table here")
    t.finish()
    return SlaPolicies(by_channel=by_channel, default=default)


def _policy(t: Table, base: SlaPolicy) -> SlaPolicy:
    first = t.number("first_response_hours", base.first_response_hours, low=0.01, high=8760)
    following = t.number("next_response_hours", base.next_response_hours, low=0.01, high=8760)
    hours = base.business_hours
    if t.has("business_hours") and t.data["business_hours"] is False:
        t.boolean("business_hours")
        hours = None
    elif t.has("business_hours"):
        if not isinstance(t.data["business_hours"], Mapping):
            t.fail(
                "business_hours",
                'a table of opening hours ({ timezone = "...", mon = "09:00-17:00" }) or false',
                describe(t.data["business_hours"]),
            )
        table = t.table("business_hours")
        assert table is not None
        hours = _business_hours(table)
    t.finish()
    return SlaPolicy(
        first_response_hours=first, next_response_hours=following, business_hours=hours
    )


def _business_hours(t: Table) -> BusinessHours:
    zone = t.timezone("timezone")
    days: dict[int, tuple[time, time]] = {}
    for index, day in enumerate(WEEKDAYS):
        if not t.has(day):
            continue
        text = t.string(day).strip()
        if text.lower() == "closed":
            continue
        days[index] = _opening_hours(t, day, text)
    t.allow(*WEEKDAYS)
    t.finish()
    if not days:
        t.fail(WEEKDAYS[0], 'opening hours on at least one day, e.g. mon = "09:00-17:00"')
    return BusinessHours(timezone=zone, days=days)


def _opening_hours(t: Table, day: str, text: str) -> tuple[time, time]:
    expected = 'opening hours as "HH:MM-HH:MM" (e.g. "09:00-17:00"), or "closed"'
    found = _HOURS.match(text)
    if found is None:
        t.fail(day, expected, describe(text))
    h1, m1, h2, m2 = (int(part) for part in found.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
        t.fail(day, expected, describe(text))
    start = time(h1, m1)
    end = time.max if h2 == 24 else time(h2, m2)
    if end <= start:
        t.fail(day, "a closing time after the opening time on the same day", describe(text))
    return start, end


def read_keymap(t: Table | None) -> Mapping[str, str]:
    """Binding id -> keys; ``inbox.next = "j"`` (a nested table in TOML) is flattened."""
    keymap: dict[str, str] = {}

    def walk(table: Table, prefix: str) -> None:
        for key in table.data:
            binding = f"{prefix}.{key}" if prefix else key
            if isinstance(table.data[key], Mapping):
                nested = table.table(key)
                assert nested is not None
                walk(nested, binding)
                continue
            if not _BINDING_ID.match(binding):
                table.fail(key, 'a binding id such as "inbox.next"', describe(binding))
            keys = table.string(key)
            if any(ch.isspace() for ch in keys) or "" in keys.split(","):
                table.fail(key, 'keys such as "j" or "ctrl+n" or "j,down"', describe(keys))
            keymap[binding] = keys
        table.finish()

    if t is not None:
        walk(t, "")
    return MappingProxyType(keymap)
