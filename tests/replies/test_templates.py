"""The template language: what it renders, what it refuses, and that it cannot run code."""

from __future__ import annotations

import string
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csconsole.domain.calendars import from_jalali, to_jalali
from csconsole.domain.templates import (
    MissingVariable,
    TemplateError,
    TemplateSyntaxError,
    render,
    variables,
)

ORDER = {
    "customer": {"first_name": "Sara"},
    "order": {
        "number": "1001",
        "total": "1250000",
        "currency": "IRT",
        "placed_at": "2026-11-23T09:00:00Z",
        "items": [{"name": "T-shirt", "quantity": 2}, {"name": "Mug", "quantity": 1}],
    },
    "tracking": {"url": ""},
}


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "1,250,000 tomans"),
        ("fa", "۱٬۲۵۰٬۰۰۰ تومان"),
        ("ar", "١٬٢٥٠٬٠٠٠ تومان"),
        ("ar-u-nu-latn", "1,250,000 تومان"),
    ],
)
def test_money_uses_the_readers_digits_and_currency_name(locale: str, expected: str) -> None:
    assert render("{{ order.total | money }}", ORDER, locale=locale) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        ("1250.5", "SAR", "ar", "١٬٢٥٠٫٥٠ ر.س"),
        ("1250.5", "SAR", "en", "SAR 1,250.50"),
        ("1250.5", "SAR", "ar-u-nu-latn", "1,250.50 ر.س"),
        ("12500000", "IRR", "fa", "۱۲٬۵۰۰٬۰۰۰ ریال"),
        ("99.999", "IRR", "en", "100 rials"),  # rials have no decimals
    ],
)
def test_money_formats(amount: str, currency: str, locale: str, expected: str) -> None:
    context = {"o": {"total": amount, "currency": currency}}
    assert render("{{ o.total | money }}", context, locale=locale) == expected


def test_dates_in_gregorian_and_jalali() -> None:
    assert render("{{ order.placed_at | date }}", ORDER, locale="en") == "23 November 2026"
    assert render('{{ order.placed_at | date("jalali") }}', ORDER, locale="en") == "2 Azar 1405"
    assert render("{{ order.placed_at | date }}", ORDER, locale="fa") == "۲ آذر ۱۴۰۵"
    assert render("{{ order.placed_at | date }}", ORDER, locale="ar") == "٢٣ نوفمبر ٢٠٢٦"
    assert (
        render('{{ order.placed_at | date("gregorian") }}', ORDER, locale="fa") == "۲۳ نوامبر ۲۰۲۶"
    )


def test_dates_follow_the_shop_time_zone() -> None:
    from csconsole.domain.localize import Locale

    late = {"at": "2026-11-23T22:30:00Z"}
    tehran = Locale.parse("en", timezone="Asia/Tehran")
    assert render("{{ at | date }}", late, locale=tehran) == "24 November 2026"


def test_lists_conditions_loops_and_defaults() -> None:
    template = (
        "Hi {{ customer.first_name }}: {{ order.items | list }}.\n"
        "{% if tracking.url %}\nTrack: {{ tracking.url }}\n{% else %}\nNo tracking yet.\n"
        "{% endif %}\n{% for item in order.items %}- {{ item.name }}\n{% endfor %}"
        'Bye {{ agent.name | default("the team") }}'
    )
    assert render(template, ORDER) == (
        "Hi Sara: T-shirt × 2 and Mug.\nNo tracking yet.\n- T-shirt\n- Mug\nBye the team"
    )
    assert render("{{ order.items | list }}", ORDER, locale="fa") == "T-shirt × ۲ و Mug"


def test_missing_and_empty_values_are_all_reported() -> None:
    with pytest.raises(MissingVariable) as caught:
        render("{{ tracking.url }} {{ order.nope }} {{ customer.first_name }}", ORDER)
    assert caught.value.names == ("order.nope", "tracking.url")


def test_confirmed_fallbacks_fill_missing_values() -> None:
    text = render("See {{ tracking.url }}", ORDER, fallbacks={"tracking.url": "our site"})
    assert text == "See our site"


def test_variables_lists_what_a_template_uses() -> None:
    template = (
        "{{ a.b }}{% if c %}{{ d | money }}{% endif %}"
        "{% for x in e.items %}{{ x.name }}{% endfor %}"
    )
    assert variables(template) == {"a.b", "c", "d", "e.items"}


@pytest.mark.parametrize(
    "attack",
    [
        "{{ __class__ }}",
        "{{ x.__init__ }}",
        "{{ x.__class__.__mro__ }}",
        "{{ x._private }}",
        "{{ x.upper() }}",
        "{{ x | attr('y') }}",
        "{% import os %}",
        "{{ x[0] }}",
        "{% for a in x %}{{ a.__dict__ }}{% endfor %}",
    ],
)
def test_sandbox_rejects_code_like_templates(attack: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        render(attack, {"x": {"y": "z"}})


def test_python_objects_in_the_context_are_not_walked() -> None:
    class Secret:
        password = "hunter2"

    with pytest.raises(MissingVariable):
        render("{{ s.password }}", {"s": Secret()})
    with pytest.raises(TemplateError):
        render("{{ s }}", {"s": Secret()})


def test_syntax_errors_name_the_line() -> None:
    with pytest.raises(TemplateSyntaxError, match="line 3"):
        render("a\nb\n{% if x %}never closed", {})


_NAME = st.text(string.ascii_lowercase, min_size=1, max_size=6)
_PLAIN = st.text(
    st.characters(blacklist_characters="{}%", blacklist_categories=("Cs",)), max_size=40
)


@given(_PLAIN)
def test_text_without_tags_renders_unchanged(text: str) -> None:
    assert render(text, {}) == text


@given(
    st.dictionaries(_NAME, st.text(min_size=1, max_size=10).filter(str.strip), max_size=4),
    st.lists(_NAME, min_size=1, max_size=5),
)
def test_missing_variable_detection_is_exact(values: dict[str, str], used: list[str]) -> None:
    template = " ".join(f"{{{{ v.{name} }}}}" for name in used)
    context = {"v": values}
    missing = {f"v.{name}" for name in used if name not in values}
    assert variables(template) == {f"v.{name}" for name in used}
    if missing:
        with pytest.raises(MissingVariable) as caught:
            render(template, context)
        assert set(caught.value.names) == missing
    else:
        assert render(template, context) == " ".join(values[name] for name in used)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["en", "fa", "ar"]))
def test_money_round_trips_to_the_same_amount(amount: int, locale: str) -> None:
    text = render('{{ x | money("IRR") }}', {"x": str(amount)}, locale=locale)
    digits = "".join(ch for ch in text if ch.isdigit())
    assert int(digits.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2))) == amount


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_jalali_conversion_round_trips(day: date) -> None:
    year, month, dom = to_jalali(day)
    assert from_jalali(year, month, dom) == day
    assert to_jalali(day + timedelta(days=1)) != (year, month, dom)


def test_known_nowruz_dates() -> None:
    assert to_jalali(date(2025, 3, 21)) == (1404, 1, 1)
    assert to_jalali(date(2026, 3, 21)) == (1405, 1, 1)
    assert to_jalali(date(2025, 3, 20)) == (1403, 12, 30)  # 1403 was a leap year
