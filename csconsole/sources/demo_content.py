"""Word banks for the demo shop: people, places, products, carriers and story shapes.

Kept apart from the generator so the text can grow without touching the logic.
Names come in the customer's script and a Latin spelling (used for email
addresses); products carry a name per language and a price in US dollars that
the generator converts into the order's currency.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "ar", "fa")
LANGUAGE_WEIGHTS = (35, 35, 30)

SHOP_NAME = "Demo Shop"
SHOP_EMAIL = "support@demo-shop.example"
SHOP_URL = "https://demo-shop.example"
AGENTS = ("sara", "omid", "layla", "reza", "noor")

# (native, latin) pairs.
FIRST_NAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": tuple(
        (n, n)
        for n in (
            "James Emily Olivia Daniel Sophie Liam Chloe Noah Grace Ethan Hannah Lucas Mia "
            "Jack Amelia Oscar Isabel Leo Zoe Samuel Clara Felix Ruby Adam Nina Tom Ella"
        ).split()
    ),
    "ar": (
        ("محمد", "Mohammed"),
        ("أحمد", "Ahmed"),
        ("عبدالله", "Abdullah"),
        ("خالد", "Khalid"),
        ("فهد", "Fahad"),
        ("سلطان", "Sultan"),
        ("عمر", "Omar"),
        ("يوسف", "Yousef"),
        ("فيصل", "Faisal"),
        ("ناصر", "Nasser"),
        ("نورة", "Noura"),
        ("فاطمة", "Fatimah"),
        ("سارة", "Sarah"),
        ("ريم", "Reem"),
        ("هند", "Hind"),
        ("لمى", "Lama"),
        ("مها", "Maha"),
        ("دانة", "Dana"),
        ("عائشة", "Aisha"),
        ("جود", "Joud"),
        ("ليان", "Layan"),
        ("تركي", "Turki"),
        ("بندر", "Bandar"),
        ("مريم", "Maryam"),
    ),
    "fa": (
        ("علی", "Ali"),
        ("رضا", "Reza"),
        ("محمد", "Mohammad"),
        ("حسین", "Hossein"),
        ("مهدی", "Mehdi"),
        ("امیر", "Amir"),
        ("سعید", "Saeed"),
        ("امید", "Omid"),
        ("فرهاد", "Farhad"),
        ("کاوه", "Kaveh"),
        ("سارا", "Sara"),
        ("مریم", "Maryam"),
        ("زهرا", "Zahra"),
        ("فاطمه", "Fatemeh"),
        ("نیلوفر", "Niloofar"),
        ("شیرین", "Shirin"),
        ("پریسا", "Parisa"),
        ("لیلا", "Leila"),
        ("مهسا", "Mahsa"),
        ("نرگس", "Narges"),
        ("آرش", "Arash"),
        ("بهاره", "Bahareh"),
        ("یاسمن", "Yasaman"),
        ("کیان", "Kian"),
    ),
}

LAST_NAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": tuple(
        (n, n)
        for n in (
            "Carter Bennett Hughes Murphy Fischer Rossi Novak Walsh Patel Nguyen Schmidt Dubois "
            "Jensen Kowalski Brooks Turner Meyer Costa Larsen Byrne Hoffmann Clarke Silva Moreau"
        ).split()
    ),
    "ar": (
        ("العتيبي", "Alotaibi"),
        ("القحطاني", "Alqahtani"),
        ("الشمري", "Alshammari"),
        ("الغامدي", "Alghamdi"),
        ("الزهراني", "Alzahrani"),
        ("الحربي", "Alharbi"),
        ("الدوسري", "Aldosari"),
        ("المطيري", "Almutairi"),
        ("السبيعي", "Alsubaie"),
        ("العنزي", "Alanazi"),
        ("الشهري", "Alshehri"),
        ("المالكي", "Almalki"),
        ("الخالدي", "Alkhalidi"),
        ("البلوشي", "Albalushi"),
        ("الكعبي", "Alkaabi"),
    ),
    "fa": (
        ("احمدی", "Ahmadi"),
        ("حسینی", "Hosseini"),
        ("رضایی", "Rezaei"),
        ("مرادی", "Moradi"),
        ("کریمی", "Karimi"),
        ("جعفری", "Jafari"),
        ("رحیمی", "Rahimi"),
        ("صادقی", "Sadeghi"),
        ("محمدی", "Mohammadi"),
        ("کاظمی", "Kazemi"),
        ("تهرانی", "Tehrani"),
        ("قربانی", "Ghorbani"),
        ("نوری", "Nouri"),
        ("اکبری", "Akbari"),
        ("یزدانی", "Yazdani"),
    ),
}

# Mail providers under the reserved .example top-level domain: realistic, never deliverable.
EMAIL_DOMAINS: dict[str, tuple[str, ...]] = {
    "en": ("gmail.example", "outlook.example", "icloud.example", "proton.example", "gmx.example"),
    "ar": ("gmail.example", "hotmail.example", "outlook.example", "stc.example"),
    "fa": ("gmail.example", "yahoo.example", "chmail.example", "outlook.example"),
}

CITIES: dict[str, tuple[str, ...]] = {
    "en": ("Berlin", "Amsterdam", "Toronto", "Dublin", "Austin", "Lyon", "Vienna", "Seattle"),
    "ar": ("الرياض", "جدة", "الدمام", "مكة المكرمة", "المدينة المنورة", "الخبر", "أبها"),
    "fa": ("تهران", "اصفهان", "شیراز", "مشهد", "تبریز", "کرج", "رشت", "یزد"),
}
# English-writing customers live abroad: country code, dialling code and currency by city.
ABROAD = {
    "Berlin": ("DE", "49", "EUR"),
    "Amsterdam": ("NL", "31", "EUR"),
    "Toronto": ("CA", "1", "USD"),
    "Dublin": ("IE", "353", "EUR"),
    "Austin": ("US", "1", "USD"),
    "Lyon": ("FR", "33", "EUR"),
    "Vienna": ("AT", "43", "EUR"),
    "Seattle": ("US", "1", "USD"),
}
COUNTRIES = {"ar": "SA", "fa": "IR"}

STREETS: dict[str, tuple[str, ...]] = {
    "en": (
        "Baker Street",
        "Mill Lane",
        "Kastanienallee",
        "Queen Street",
        "Elm Road",
        "Rue Mercière",
    ),
    "ar": (
        "حي النرجس، شارع الأمير سعود",
        "حي الروضة، شارع التحلية",
        "حي الصفا، طريق الملك فهد",
        "حي العليا، شارع الثلاثين",
        "حي الشاطئ، شارع الكورنيش",
    ),
    "fa": (
        "خیابان ولیعصر، کوچه‌ی نسترن",
        "خیابان چهارباغ، کوچه‌ی بهار",
        "بلوار کشاورز، کوچه‌ی یاس",
        "خیابان امام رضا، کوچه‌ی لاله",
        "خیابان زند، کوچه‌ی ارغوان",
    ),
}

COMPANIES: dict[str, tuple[str, ...]] = {
    "en": ("Carter & Sons Ltd", "Northwind Studio", "Bright Desk GmbH", "Harbour Events"),
    "ar": ("مؤسسة الأفق للتجارة", "شركة النخبة للاستشارات", "مؤسسة سنا للتسويق"),
    "fa": ("شرکت بازرگانی آریا", "شرکت نوآوران پارس", "گروه طراحی سپید"),
}


FINANCIAL_STATES = (
    "pending",
    "authorized",
    "paid",
    "partially_paid",
    "partially_refunded",
    "refunded",
    "voided",
)
FULFILLMENT_STATES = ("unfulfilled", "partial", "fulfilled", "returned")

# A story's order situation: (financial, fulfillment, shipment status or None).
OrderState = tuple[str, str, str | None]


@dataclass(frozen=True)
class Story:
    """A kind of conversation: its tags, channels and the order situations it fits."""

    key: str
    tags: tuple[str, ...]
    channels: tuple[str, ...]
    weight: int
    order_states: tuple[OrderState, ...] = ()  # empty: a question before buying

    @property
    def needs_order(self) -> bool:
        return bool(self.order_states)


STORIES: tuple[Story, ...] = (
    Story(
        "where_is_order",
        ("shipping",),
        ("email", "telegram"),
        22,
        (
            ("paid", "fulfilled", "in_transit"),
            ("paid", "fulfilled", "out_for_delivery"),
            ("paid", "fulfilled", "attempt_failed"),
            ("paid", "fulfilled", "exception"),
            ("paid", "partial", "in_transit"),
            ("paid", "fulfilled", "stale"),
            ("paid", "fulfilled", "label_created"),
            ("paid", "fulfilled", "pickup_ready"),
        ),
    ),
    Story(
        "wrong_size",
        ("returns", "exchange"),
        ("email", "telegram"),
        10,
        (
            ("paid", "fulfilled", "delivered"),
            ("partially_refunded", "returned", "delivered"),
            ("paid", "returned", "delivered"),
        ),
    ),
    Story(
        "refund",
        ("refund",),
        ("email", "telegram"),
        10,
        (
            ("refunded", "returned", "delivered"),
            ("partially_refunded", "fulfilled", "delivered"),
            ("paid", "returned", "delivered"),
        ),
    ),
    Story(
        "damaged",
        ("damaged", "claim"),
        ("email", "telegram"),
        7,
        (
            ("paid", "fulfilled", "delivered"),
            ("partially_refunded", "fulfilled", "delivered"),
        ),
    ),
    Story(
        "cod",
        ("cod", "payment"),
        ("email", "telegram", "shop"),
        8,
        (
            ("pending", "unfulfilled", None),
            ("pending", "fulfilled", "out_for_delivery"),
            ("pending", "partial", "in_transit"),
        ),
    ),
    Story(
        "address_change",
        ("address",),
        ("email", "telegram", "shop"),
        8,
        (
            ("paid", "unfulfilled", None),
            ("authorized", "unfulfilled", None),
            ("paid", "fulfilled", "label_created"),
        ),
    ),
    Story(
        "out_of_stock",
        ("stock",),
        ("email", "telegram"),
        6,
        (
            ("paid", "partial", "in_transit"),
            ("paid", "unfulfilled", None),
            ("partially_paid", "unfulfilled", None),
        ),
    ),
    Story(
        "invoice",
        ("invoice", "b2b"),
        ("email",),
        5,
        (
            ("paid", "fulfilled", "delivered"),
            ("partially_paid", "fulfilled", "delivered"),
        ),
    ),
    Story(
        "cancel",
        ("cancel",),
        ("email", "telegram"),
        6,
        (
            ("voided", "unfulfilled", None),
            ("refunded", "unfulfilled", None),
        ),
    ),
    Story(
        "order_note",
        ("order-note",),
        ("shop",),
        8,
        (
            ("paid", "unfulfilled", None),
            ("authorized", "unfulfilled", None),
            ("paid", "fulfilled", "in_transit"),
            ("pending", "unfulfilled", None),
        ),
    ),
    Story("presale", ("presale",), ("email", "telegram"), 10),
)
