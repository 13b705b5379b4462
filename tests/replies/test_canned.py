"""Canned-response files: clear errors, the starter set, language choice and the picker's search."""

from __future__ import annotations

import pytest

from csconsole.domain.canned import CannedError, parse_canned, pick_variant
from csconsole.domain.canned_search import search
from csconsole.domain.templates import render, variables
from csconsole.services.canned import builtin_dir, read_all

GOOD = """
[[response]]
id = "shipping/wism"
title = "Where is my order?"
shortcut = "wism"
intent = "shipping/where-is-my-order"
tags = ["shipping"]
actions = { status = "pending", snooze = "3d", add_tags = ["wism"], link_order = true }
body.en = "Hi {{ customer.first_name }}"
body.fa = "سلام {{ customer.first_name }}"
"""


def test_a_valid_file_parses_with_actions() -> None:
    (response,) = parse_canned(GOOD, "shipping.toml")
    assert response.id == "shipping/wism" and response.shortcut == "wism"
    assert response.actions.as_dict() == {
        "status": "pending",
        "snooze": "3d",
        "add_tags": ["wism"],
        "link_order": True,
    }
    assert set(response.bodies) == {"en", "fa"}


@pytest.mark.parametrize(
    ("change", "key", "hint"),
    [
        (('shortcut = "wism"', 'shortcut = "w i"'), "response[1].shortcut", "one word"),
        (('status = "pending"', 'status = "later"'), "response[1].actions.status", "one of"),
        (('snooze = "3d"', 'snooze = "soonish"'), "response[1].actions.snooze", "span"),
        (
            ('intent = "shipping/where-is-my-order"', 'intent = "Shipping"'),
            "response[1].intent",
            "area/name",
        ),
        (('tags = ["shipping"]', "tagz = []"), "response[1].tagz", "unknown key"),
        (
            ('body.fa = "سلام {{ customer.first_name }}"', 'body.fa = "{% if x %}"'),
            "response[1].body.fa",
            "never closed",
        ),
        (
            ('body.fa = "سلام {{ customer.first_name }}"', 'body.fa = "{{ x.__class__ }}"'),
            "response[1].body.fa",
            "not a variable name",
        ),
        (('id = "shipping/wism"', 'id = "Shipping Wism"'), "response[1].id", "lower-case"),
        (('title = "Where is my order?"\n', ""), "response[1].title", "non-empty"),
    ],
)
def test_errors_name_the_file_and_key(change: tuple[str, str], key: str, hint: str) -> None:
    text = GOOD.replace(*change)
    with pytest.raises(CannedError) as caught:
        parse_canned(text, "shipping.toml")
    message = str(caught.value)
    assert message.startswith(f"shipping.toml: {key}: "), message
    assert hint in message


def test_broken_toml_names_the_file() -> None:
    with pytest.raises(CannedError, match=r"^bad.toml: not valid TOML"):
        parse_canned("[[response]\nid=", "bad.toml")


def test_language_pick_falls_back_visibly() -> None:
    bodies = {"en": "Hello", "fa": "سلام"}
    assert pick_variant(bodies, {}, "fa-IR").language == "fa"
    chosen = pick_variant(bodies, {}, "ar")
    assert chosen.language == "en"
    assert chosen.fallback_note == "No Arabic version; using English"
    assert pick_variant(bodies, {}, None).fallback_note is None


DEMO = {
    "customer": {"first_name": "Sara", "name": "Sara Rezaei"},
    "order": {
        "number": "1001",
        "total": "1250000",
        "currency": "IRT",
        "refunded_total": "",
        "payment_status": "paid",
        "placed_at": "2026-11-20T10:00:00Z",
        "items": [{"name": "T-shirt", "quantity": 2}, {"name": "Mug", "quantity": 1}],
        "payment_method": "card",
        "shipping_address": {"city": "Tehran"},
    },
    "tracking": {
        "carrier": "Post",
        "number": "IR123",
        "url": "https://t.example/IR123",
        "eta": "2026-11-26",
    },
    "shop": {"name": "Demo Shop", "return_days": 14},
    "agent": {"name": "Mina Karimi", "first_name": "Mina"},
    "conversation": {"subject": "Order"},
}


def test_the_starter_set_is_complete_and_renders_with_a_demo_order() -> None:
    responses, errors = read_all([builtin_dir()])
    assert errors == []
    assert len(responses) >= 20
    intents = {r.intent for r in responses}
    for needed in (
        "shipping/where-is-my-order",
        "refund/request",
        "order/cancel",
        "order/damaged",
        "return/exchange",
        "payment/failed",
        "billing/invoice",
        "product/warranty",
        "presale/availability",
        "order/confirmation",
    ):
        assert needed in intents
    for response in responses:
        assert {"en", "ar", "fa"} <= set(response.bodies), response.id
        for language, body in response.bodies.items():
            text = render(body, DEMO, locale=language)
            assert "{{" not in text and "{%" not in text
            assert text.strip(), (response.id, language)
            if language == "fa":
                assert "سلام" in text
            if language in {"ar", "fa"} and "order.number" in variables(body):
                assert "1001" not in text  # the order number in the reader's digits
                assert ("۱۰۰۱" if language == "fa" else "١٠٠١") in text


def test_starter_set_uses_order_variables() -> None:
    responses, _ = read_all([builtin_dir()])
    used = set().union(*(variables(body) for r in responses for body in r.bodies.values()))
    assert {"order.number", "order.total", "order.items", "tracking.url", "tracking.eta"} <= used


def test_picker_search_finds_by_shortcut_title_intent_and_any_language() -> None:
    responses, _ = read_all([builtin_dir()])
    assert search(responses, "wism")[0].id == "shipping/where-is-my-order"
    assert search(responses, "damaged")[0].id == "order/damaged-parcel"
    assert search(responses, "refund")[0].intent in {"refund/request", "refund/status"}
    persian = search(responses, "کد رهگیری")  # Persian body text
    assert "shipping/tracking-number" in [r.id for r in persian]
    arabic = search(responses, "الدفع عند الاستلام")
    assert arabic[0].id == "order/cod-confirmation"
    assert search(responses, "zzzzqqq") == []
