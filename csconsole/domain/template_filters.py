"""The fixed table of filters canned-response templates may use.

Each filter gets the value, the dict that held it (so ``order.total | money`` can
find ``order.currency``), the quoted arguments and the render settings. None of
them calls anything the template names; the table is the whole vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from csconsole.domain.localize import (
    Locale,
    format_date,
    format_money,
    format_number,
    join_list,
    localize_digits,
    to_datetime,
    to_decimal,
)


class FilterError(ValueError):
    """A filter was given a value it cannot format (message names the problem)."""


@dataclass(frozen=True)
class FilterContext:
    """What filters may read besides their value."""

    context: Mapping[str, object]
    locale: Locale


Filter = Callable[[object, object, tuple[str, ...], FilterContext], object]


def _money(value: object, parent: object, args: tuple[str, ...], run: FilterContext) -> object:
    amount = to_decimal(value)
    if amount is None:
        raise FilterError(f"money needs an amount, not {value!r}")
    currency = args[0] if args else ""
    if not currency and isinstance(parent, dict):
        currency = str(parent.get("currency") or "")
    shop = run.context.get("shop")
    if not currency and isinstance(shop, dict):
        currency = str(shop.get("currency") or "")
    return format_money(amount, currency, run.locale)


def _date(value: object, parent: object, args: tuple[str, ...], run: FilterContext) -> object:
    moment = to_datetime(value, run.locale)
    if moment is None:
        raise FilterError(f"date needs a date, not {value!r}")
    calendar = args[0].lower() if args else ""
    if calendar == "persian":
        calendar = "jalali"
    if calendar not in {"", "jalali", "gregorian"}:
        raise FilterError(f"date knows 'gregorian' and 'jalali', not {args[0]!r}")
    return format_date(moment, run.locale, calendar)


def _item_text(item: object, run: FilterContext) -> str:
    if isinstance(item, dict):
        name = str(item.get("name") or item.get("title") or "")
        quantity = item.get("quantity")
        if quantity not in (None, "", 1, "1"):
            return f"{name} × {localize_digits(str(quantity), run.locale)}"
        return name
    return str(item)


def _list(value: object, parent: object, args: tuple[str, ...], run: FilterContext) -> object:
    items = list(value) if isinstance(value, list | tuple) else [value]
    texts = [text for text in (_item_text(item, run) for item in items) if text]
    style = args[0] if args else "inline"
    if style == "lines":
        return "\n".join(f"• {text}" for text in texts)
    if style != "inline":
        raise FilterError(f"list knows 'inline' and 'lines', not {style!r}")
    return join_list(texts, run.locale)


def _number(value: object, parent: object, args: tuple[str, ...], run: FilterContext) -> object:
    amount = to_decimal(value)
    if amount is None:
        raise FilterError(f"number needs a number, not {value!r}")
    decimals = int(args[0]) if args and args[0].isdigit() else 0
    return format_number(amount, run.locale, decimals)


def _digits(value: object, parent: object, args: tuple[str, ...], run: FilterContext) -> object:
    return localize_digits(str(value), run.locale)


def _first(value: object, parent: object, args: tuple[str, ...], run: FilterContext) -> object:
    if isinstance(value, list | tuple):
        return value[0] if value else ""
    words = str(value).split()
    return words[0] if words else ""


def _upper(value: object, parent: object, args: tuple[str, ...], run: FilterContext) -> object:
    return str(value).upper()


def _lower(value: object, parent: object, args: tuple[str, ...], run: FilterContext) -> object:
    return str(value).lower()


def _default(value: object, parent: object, args: tuple[str, ...], run: FilterContext) -> object:
    return value  # applied by the renderer, which knows whether the value is missing


FILTERS: dict[str, Filter] = {
    "money": _money,
    "date": _date,
    "list": _list,
    "number": _number,
    "digits": _digits,
    "first": _first,
    "upper": _upper,
    "lower": _lower,
    "default": _default,
}
