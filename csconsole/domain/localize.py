"""Numbers, money, dates and lists written the way a customer's language writes them.

A locale is a BCP 47 tag with the two Unicode extensions that matter here:
``-u-nu-latn`` / ``-u-nu-arab`` / ``-u-nu-arabext`` pick the digits (Persian
defaults to Persian digits, Arabic to Arabic-Indic ones, many Gulf and Maghreb
shops prefer Latin digits in Arabic) and ``-u-ca-persian`` makes the Solar Hijri
calendar the default for dates. ``fa-u-nu-latn-ca-persian`` is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from csconsole.domain.calendars import (
    GREGORIAN_MONTHS_AR,
    GREGORIAN_MONTHS_EN,
    GREGORIAN_MONTHS_FA,
    JALALI_MONTHS_EN,
    JALALI_MONTHS_FA,
    to_jalali,
)

_DIGIT_SETS = {
    "latn": "0123456789",
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
}
_DEFAULT_DIGITS = {"fa": "arabext", "ar": "arab", "ur": "arabext", "ps": "arabext"}

# Minor units; IRR and IRT are never written with decimals.
_DECIMALS = {"IRR": 0, "IRT": 0, "JPY": 0, "KWD": 3, "BHD": 3, "OMR": 3, "IQD": 0}

# How the currency is named after the amount, per language ("{n}" is the amount).
_CURRENCY_FORMS: dict[str, dict[str, str]] = {
    "IRR": {"fa": "{n} ریال", "ar": "{n} ريال إيراني", "en": "{n} rials"},
    "IRT": {"fa": "{n} تومان", "ar": "{n} تومان", "en": "{n} tomans"},
    "SAR": {"fa": "{n} ریال سعودی", "ar": "{n} ر.س", "en": "SAR {n}"},
    "AED": {"fa": "{n} درهم", "ar": "{n} د.إ", "en": "AED {n}"},
    "USD": {"fa": "{n} دلار", "ar": "{n} دولار أمريكي", "en": "${n}"},
    "EUR": {"fa": "{n} یورو", "ar": "{n} يورو", "en": "€{n}"},
    "GBP": {"fa": "{n} پوند", "ar": "{n} جنيه إسترليني", "en": "£{n}"},
}

_LIST_WORDS = {"fa": ("، ", " و "), "ar": ("، ", " و "), "en": (", ", " and ")}


@dataclass(frozen=True)
class Locale:
    """How to write numbers, dates and lists for one reader."""

    language: str = "en"
    digits: str = "latn"
    calendar: str = "gregorian"  # gregorian | jalali
    timezone: str = "UTC"

    @classmethod
    def parse(cls, tag: str | None, *, timezone: str = "UTC", calendar: str = "") -> Locale:
        """Read a tag such as ``fa``, ``ar-SA``, ``ar-u-nu-latn`` or ``fa-u-ca-persian``."""
        parts = (tag or "en").replace("_", "-").lower().split("-")
        language = parts[0] or "en"
        digits = _DEFAULT_DIGITS.get(language, "latn")
        # Iranian readers expect Solar Hijri dates; ``fa-u-ca-gregory`` asks otherwise.
        chosen_calendar = calendar or ("jalali" if language == "fa" else "gregorian")
        if "u" in parts:
            extension = parts[parts.index("u") + 1 :]
            for key, value in pairwise(extension):
                if key == "nu" and value in _DIGIT_SETS:
                    digits = value
                elif key == "ca" and not calendar:
                    chosen_calendar = "jalali" if value in {"persian", "jalali"} else "gregorian"
        return cls(language, digits, chosen_calendar, timezone)

    @property
    def base(self) -> str:
        """The language whose words we use: en for every language we have no words for."""
        return self.language if self.language in {"fa", "ar"} else "en"


def localize_digits(text: str, locale: Locale) -> str:
    """Write ASCII digits in the locale's digit set (other characters unchanged)."""
    if locale.digits == "latn":
        return text
    return text.translate(str.maketrans("0123456789", _DIGIT_SETS[locale.digits]))


def to_decimal(value: object) -> Decimal | None:
    """A money amount from decimal text or a number; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float | str):
        text = str(value).strip().replace(",", "")
        text = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"))
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return None
        return amount if amount.is_finite() else None
    return None


def format_number(amount: Decimal, locale: Locale, decimals: int = 0) -> str:
    """Group thousands and round; separators follow the digit set (٬ and ٫ for non-Latin)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    latin = locale.digits == "latn"
    text = ("," if latin else "٬").join(groups)
    if fraction:
        text += ("." if latin else "٫") + fraction
    return sign + localize_digits(text, locale)


def format_money(amount: Decimal, currency: str, locale: Locale) -> str:
    """An amount with its currency, e.g. ``۱٬۲۵۰٬۰۰۰ تومان`` or ``SAR 1,250.50``."""
    code = currency.strip().upper()
    number = format_number(amount, locale, _DECIMALS.get(code, 2))
    forms = _CURRENCY_FORMS.get(code)
    if forms is None:
        return f"{number} {code}".strip()
    return forms.get(locale.base, forms["en"]).replace("{n}", number)


def to_datetime(value: object, locale: Locale) -> datetime | None:
    """An aware datetime in the locale's time zone from stored ISO text or a date."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    elif isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        if len(text) == 10:  # a plain date has no time zone to convert
            return moment
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    else:
        return None
    try:
        zone = ZoneInfo(locale.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone)


def format_date(moment: datetime, locale: Locale, calendar: str = "") -> str:
    """A day written out: ``23 November 2026``, ``۲ آذر ۱۴۰۵``, ``٢٣ نوفمبر ٢٠٢٦``."""
    calendar = calendar or locale.calendar
    if calendar == "jalali":
        year, month, day = to_jalali(moment.date())
        names = JALALI_MONTHS_EN if locale.base == "en" else JALALI_MONTHS_FA
    else:
        year, month, day = moment.year, moment.month, moment.day
        names = {"fa": GREGORIAN_MONTHS_FA, "ar": GREGORIAN_MONTHS_AR}.get(
            locale.base, GREGORIAN_MONTHS_EN
        )
    return localize_digits(f"{day} {names[month - 1]} {year}", locale)


def format_day_month(moment: datetime, locale: Locale, calendar: str = "") -> str:
    """A list column's day this year: ``20 Nov``, ``۲۹ آبان``, ``٢٠ نوفمبر``, ``29 Aban``.

    English keeps three-letter Gregorian months (the column is six cells wide);
    Persian and Arabic month names are short enough to be written in full.
    """
    calendar = calendar or locale.calendar
    if calendar == "jalali":
        _, month, day = to_jalali(moment.date())
        names = JALALI_MONTHS_EN if locale.base == "en" else JALALI_MONTHS_FA
    else:
        month, day = moment.month, moment.day
        names = {"fa": GREGORIAN_MONTHS_FA, "ar": GREGORIAN_MONTHS_AR}.get(
            locale.base, GREGORIAN_MONTHS_EN
        )
    name = names[month - 1][:3] if names is GREGORIAN_MONTHS_EN else names[month - 1]
    return localize_digits(f"{day} {name}", locale)


def join_list(items: list[str], locale: Locale) -> str:
    """``a, b and c`` / ``الف، ب و ج`` / ``أ، ب و ج``."""
    separator, conjunction = _LIST_WORDS.get(locale.base, _LIST_WORDS["en"])
    if len(items) <= 1:
        return "".join(items)
    if locale.base == "en" and len(items) > 2:
        return separator.join(items[:-1]) + "," + conjunction + items[-1]
    return separator.join(items[:-1]) + conjunction + items[-1]
