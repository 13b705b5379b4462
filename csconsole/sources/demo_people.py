"""Demo customers: names in their own script, addresses, and contacts that never collide.

Phones are written the way people type them (spaces, a +country prefix, or
Persian and Arabic-Indic digits); uniqueness is checked on the digits, as the
store matches them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from csconsole.sources.demo_content import (
    ABROAD,
    CITIES,
    COUNTRIES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    STREETS,
)
from csconsole.sources.demo_records import native_digits


@dataclass
class Person:
    """A customer while being generated: names in both scripts and ways to reach them."""

    key: int
    language: str
    name: str
    first: str
    email: str
    phone: str
    city: str
    address: dict[str, str]
    address_text: str
    currency: str
    chat_id: str = ""


class Uniques:
    """Contacts handed out so far in one slice, and the slice's share of every number space.

    Large demos are generated in slices, in parallel and independently. Slice ``index``
    of ``slices`` only uses numbers ``n`` with ``n % slices == index`` for phones, chat
    ids and email suffixes, so contacts stay unique across slices without talking.
    """

    def __init__(self, index: int = 0, slices: int = 1) -> None:
        self.index = index
        self.slices = slices
        self.seen: set[str] = set()

    def number(self, rng: random.Random, low: int, high: int) -> int:
        """A number in [low, high) that belongs to this slice."""
        return rng.randrange(low // self.slices, high // self.slices) * self.slices + self.index

    def claim(self, key: str) -> bool:
        """True (and remembered) when ``key`` was still free in this slice."""
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def email(self, rng: random.Random, local: str, domain: str) -> str:
        if self.slices == 1:
            while not self.claim(f"{local}@{domain}"):
                local += str(rng.randint(0, 9))
            return f"{local}@{domain}"
        top = 100
        while True:  # 'name.<number of this slice>': unique across slices by construction
            address = f"{local}.{self.number(rng, self.slices, top * self.slices)}@{domain}"
            if self.claim(address):
                return address
            top *= 2


def _phone(rng: random.Random, lang: str, dial: str, uniques: Uniques) -> str:
    """A phone number as the customer typed it, unique by its digits."""
    while True:
        line = f"{uniques.number(rng, 0, 10_000_000):07d}"
        if lang == "fa":
            body = f"9{rng.choice('0123')}{rng.randint(0, 9)}{line}"
            digits = "98" + body
            typed = rng.choice(
                (
                    f"0{body[:3]} {body[3:6]} {body[6:]}",
                    f"+98 {body[:3]} {body[3:6]} {body[6:]}",
                    native_digits(f"0{body}", "fa"),
                )
            )
        elif lang == "ar":
            body = f"5{rng.choice('0345')}{line}"
            digits = "966" + body
            typed = rng.choice(
                (
                    f"+966 {body[:2]} {body[2:5]} {body[5:]}",
                    f"0{body}",
                    native_digits(f"0{body}", "ar"),
                )
            )
        else:
            body = f"{rng.randint(201, 989)}{line}"
            digits = dial + body
            if dial == "1":
                typed = f"+1 ({body[:3]}) {body[3:6]}-{body[6:]}"
            else:
                typed = f"+{dial} {body[:3]} {body[3:]}"
        if uniques.claim("tel:" + digits):
            return typed


def chat_id(rng: random.Random, uniques: Uniques) -> str:
    """A Telegram chat id no other customer has."""
    while True:
        chat = str(uniques.number(rng, 100_000_000, 7_999_999_999))
        if uniques.claim("tg:" + chat):
            return chat


def make_person(rng: random.Random, key: int, lang: str, uniques: Uniques) -> Person:
    first, first_latin = rng.choice(FIRST_NAMES[lang])
    last, last_latin = rng.choice(LAST_NAMES[lang])
    native = lang == "en" or rng.random() < 0.75
    name = f"{first} {last}" if native else f"{first_latin} {last_latin}"
    f_l, l_l = first_latin.lower(), last_latin.lower()
    local = rng.choice(
        (f"{f_l}.{l_l}", f"{f_l}{l_l}{rng.randint(60, 99)}", f"{f_l[0]}{l_l}", f"{f_l}_{l_l}")
    )
    email = uniques.email(rng, local, rng.choice(EMAIL_DOMAINS[lang]))
    city = rng.choice(CITIES[lang])
    if lang == "en":
        country, dial, currency = ABROAD[city]
    else:
        country, dial = COUNTRIES[lang], ""
        currency = "SAR" if lang == "ar" else rng.choice(("IRT", "IRT", "IRT", "IRR"))
    phone = _phone(rng, lang, dial, uniques)
    street = rng.choice(STREETS[lang])
    number = str(rng.randint(1, 120))
    postcode = str(rng.randint(10000, 99999))
    if lang == "fa":
        postcode += str(rng.randint(10000, 99999))
        text = f"{city}، {street}، پلاک {number}، کد پستی {postcode}"
    elif lang == "ar":
        text = f"{street}، مبنى {number}، {city} {postcode}"
    else:
        text = f"{number} {street}, {city} {postcode}"
    address = {
        "name": name,
        "address1": native_digits(text, lang),
        "city": city,
        "postcode": postcode,
        "country": country,
        "phone": phone,
    }
    greeting = first if native else first_latin
    return Person(
        key, lang, name, greeting, email, phone, city, address, native_digits(text, lang), currency
    )


def order_ref(rng: random.Random, number: str, lang: str, customer: bool) -> str:
    """How a customer (in one of several ways) or the shop (always with '#') names an order."""
    local = native_digits(number, lang)
    if lang == "fa":
        forms = (f"سفارش {local}", f"سفارش #{number}", f"سفارش شماره‌ی {local}", f"#{local}")
        return rng.choice(forms) if customer else f"سفارش #{number}"
    if lang == "ar":
        forms = (f"طلب رقم {local}", f"الطلب #{number}", f"رقم الطلب {local}", f"#{local}")
        return rng.choice(forms) if customer else f"الطلب #{number}"
    return f"#{number}"


def placed_words(placed: datetime, now: datetime, lang: str) -> str:
    days = max(1, (now - placed).days)
    if lang == "fa":
        return native_digits(f"{days} روز پیش", lang)
    if lang == "ar":
        return native_digits(f"{placed.day}/{placed.month}", lang)
    return placed.strftime("%d %B").lstrip("0")
