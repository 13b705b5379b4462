"""The demo shop's catalogue: products, currencies, carriers and shipment states.

Prices are kept in US dollars and converted into the order's currency, so one
product list serves the Saudi, Iranian and European customers alike.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    """One catalogue entry; ``sizes`` is empty for items sold in one size."""

    sku: str
    names: dict[str, str]
    usd: float
    sizes: tuple[str, ...] = ()


_CLOTHES = ("S", "M", "L", "XL")
_SHOES = ("38", "39", "40", "41", "42", "43", "44")

PRODUCTS: tuple[Product, ...] = (
    Product(
        "RUN-ARIA-01",
        {"en": "Aria running shoes", "ar": "حذاء الجري آريا", "fa": "کفش رانینگ آریا"},
        79,
        _SHOES,
    ),
    Product(
        "LIN-SHIRT-02", {"en": "linen shirt", "ar": "قميص كتان", "fa": "پیراهن کتان"}, 39, _CLOTHES
    ),
    Product(
        "ABY-CREPE-03",
        {"en": "black crepe abaya", "ar": "عباية كريب سوداء", "fa": "مانتو کرپ مشکی"},
        95,
        _CLOTHES,
    ),
    Product("SCF-SILK-04", {"en": "silk scarf", "ar": "شال حرير", "fa": "روسری ابریشمی"}, 29),
    Product(
        "BAG-TOTE-05", {"en": "leather tote bag", "ar": "حقيبة جلدية", "fa": "کیف دستی چرمی"}, 120
    ),
    Product(
        "THB-WHITE-06",
        {"en": "white thobe", "ar": "ثوب أبيض", "fa": "پیراهن بلند سفید"},
        65,
        _CLOTHES,
    ),
    Product(
        "WCH-CLASSIC-07",
        {"en": "classic wristwatch", "ar": "ساعة يد كلاسيكية", "fa": "ساعت مچی کلاسیک"},
        149,
    ),
    Product(
        "PRF-OUD-08", {"en": "oud perfume 50 ml", "ar": "عطر عود ٥٠ مل", "fa": "عطر عود ۵۰ میل"}, 59
    ),
    Product(
        "KTL-STEEL-09", {"en": "steel tea kettle", "ar": "غلاية شاي ستيل", "fa": "کتری استیل"}, 45
    ),
    Product(
        "RUG-KASHAN-10",
        {"en": "Kashan wool rug 2x3 m", "ar": "سجادة كاشان صوف", "fa": "فرش دستباف کاشان ۲×۳"},
        480,
    ),
    Product("CSE-PHONE-11", {"en": "phone case", "ar": "غطاء جوال", "fa": "قاب گوشی"}, 15),
    Product(
        "EAR-BUDS-12", {"en": "wireless earbuds", "ar": "سماعات لاسلكية", "fa": "هندزفری بی‌سیم"}, 69
    ),
    Product(
        "HOD-GREY-13", {"en": "grey hoodie", "ar": "هودي رمادي", "fa": "هودی طوسی"}, 49, _CLOTHES
    ),
    Product(
        "SAF-GRAM-14", {"en": "saffron 4.6 g", "ar": "زعفران ٤٫٦ غرام", "fa": "زعفران ۴.۶ گرمی"}, 25
    ),
    Product(
        "JNS-SLIM-15",
        {"en": "slim blue jeans", "ar": "جينز أزرق", "fa": "شلوار جین آبی"},
        55,
        ("28", "30", "32", "34", "36"),
    ),
    Product(
        "MUG-CERAMIC-16",
        {"en": "ceramic mug set", "ar": "طقم أكواب سيراميك", "fa": "ست ماگ سرامیکی"},
        32,
    ),
)

# How many units of each currency a US dollar buys, and how many decimals it is written with.
CURRENCIES: dict[str, tuple[float, int]] = {
    "USD": (1.0, 2),
    "EUR": (0.92, 2),
    "SAR": (3.75, 2),
    "IRT": (62_000.0, 0),  # toman, what Iranian shops usually quote
    "IRR": (620_000.0, 0),
}


@dataclass(frozen=True)
class Carrier:
    """A courier, how its tracking numbers look and where they are followed."""

    name: str
    url: str  # with {n} for the tracking number
    prefix: str
    digits: int
    suffix: str = ""


CARRIERS: dict[str, tuple[Carrier, ...]] = {
    "SAR": (
        Carrier(
            "SMSA Express", "https://www.smsaexpress.com/trackingdetails?tracknumbers={n}", "29", 10
        ),
        Carrier("Aramex", "https://www.aramex.com/track/results?ShipmentNumber={n}", "4", 10),
        Carrier("SPL", "https://splonline.com.sa/en/shipment-tracking/?tid={n}", "RR", 9, "SA"),
    ),
    "IRT": (
        Carrier("Tipax", "https://tipaxco.com/tracking?code={n}", "10", 10),
        Carrier("Iran Post", "https://tracking.post.ir/?id={n}", "", 24),
        Carrier("Chapar", "https://chaparnet.com/track/{n}", "5", 9),
    ),
    "USD": (
        Carrier(
            "DHL Express",
            "https://www.dhl.com/global-en/home/tracking.html?tracking-id={n}",
            "",
            10,
        ),
        Carrier("UPS", "https://www.ups.com/track?tracknum={n}", "1Z", 16),
    ),
    "EUR": (
        Carrier("DPD", "https://tracking.dpd.de/status/en_US/parcel/{n}", "0", 13),
        Carrier(
            "DHL Express",
            "https://www.dhl.com/global-en/home/tracking.html?tracking-id={n}",
            "",
            10,
        ),
    ),
}
CARRIERS["IRR"] = CARRIERS["IRT"]

# Platform-style raw values kept beside the canonical shipment status.
SHIPMENT_RAW = {
    "label_created": "LABEL_PRINTED",
    "in_transit": "IN_TRANSIT",
    "out_for_delivery": "OUT_FOR_DELIVERY",
    "pickup_ready": "READY_FOR_PICKUP",
    "attempt_failed": "ATTEMPTED_DELIVERY",
    "delivered": "DELIVERED",
    "exception": "FAILURE",
    "stale": "DELAYED",
}
