"""The mail a shop's support inbox receives, generated for the IMAP benchmark.

``realistic`` resembles what customers' mail programs send: display names in Latin,
Arabic and Persian script (RFC 2047 encoded when not ASCII), Message-IDs in the
shapes Gmail, Outlook and Apple Mail write, most messages as plain text plus an HTML
alternative, texts in UTF-8, windows-1256 and ISO-8859-1 with quoted-printable or
base64 transfer encoding, replies carrying their whole References chain, now and then
a Cc, a photo of the parcel or a multi-MB PDF. Its listing FETCH (ENVELOPE,
BODYSTRUCTURE, FLAGS, RFC822.SIZE) comes to about 800 bytes a message, the size of
real support mail.

``simple`` is the earlier, lighter mix (bare addresses, 8-character Message-IDs, one
message in five with HTML): about 430 bytes a message, kept so results stay comparable.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime

from tests.sync.helpers import day, mail

SHOP = Address("Shop Support", "support", "shop.example")

TEXTS = [
    "Hello, my order has not arrived yet. Could you check the tracking please?",
    "سلام، سفارش من هنوز نرسیده است. لطفا پیگیری کنید.",
    "مرحبا، لم يصل طلبي بعد. هل يمكنكم التحقق من رقم التتبع؟",
    "Guten Tag, die Lieferung war beschädigt. Können Sie Ersatz schicken?",
    "Bonjour, je voudrais retourner un article, quelle est la procédure ?",
]
# (language, first names, family names, subjects); {n} is the order number.
PEOPLE = [
    (
        "en",
        ["Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Mia", "Lucas"],
        ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clarke", "Evans"],
        ["Where is my order #{n}?", "Order #{n} arrived damaged", "Return request for #{n}"],
    ),
    (
        "fa",
        ["علی", "مریم", "رضا", "زهرا", "حسین", "فاطمه", "سارا"],
        ["محمدی", "حسینی", "احمدی", "رضایی", "کریمی", "موسوی"],
        ["پیگیری سفارش {n}", "سفارش {n} هنوز نرسیده", "درخواست مرجوعی سفارش {n}"],
    ),
    (
        "ar",
        ["محمد", "أحمد", "فاطمة", "خالد", "نور", "عمر", "ليلى"],
        ["العلي", "الحسن", "السيد", "الشمري", "المصري", "الخطيب"],
        ["استفسار عن الطلب {n}", "لم يصل الطلب رقم {n}", "إرجاع الطلب {n}"],
    ),
    (
        "de",
        ["Jonas", "Lena", "Lukas", "Hannah", "Felix", "Sophie"],
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber"],
        ["Bestellung #{n} beschädigt", "Wo bleibt Bestellung #{n}?"],
    ),
    (
        "fr",
        ["Léa", "Hugo", "Chloé", "Louis", "Camille", "Jules"],
        ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau"],
        ["Commande #{n} : retour", "Où est ma commande #{n} ?"],
    ),
]
# The body texts' charset by language: what older mail programs in each region send.
LEGACY_CHARSET = {
    "ar": "windows-1256",
    "fa": "windows-1256",
    "de": "iso-8859-1",
    "fr": "iso-8859-1",
}
PROVIDERS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "mail.ru"]
SIGNATURE = "\n\n--\nSent from my phone\n"
# Mail programs leave a long Message-ID on one line (RFC 5322 allows 998 octets); the
# 78-column default would turn In-Reply-To into encoded words no client writes.
POLICY = default.clone(max_line_length=998)


def _message_id(rng: random.Random, provider: str) -> str:
    """A Message-ID in the shape the sender's mail program writes."""
    alnum = string.ascii_letters + string.digits
    if provider == "gmail.com":
        tail = "".join(rng.choices(alnum + "+_-", k=50))
        return f"<CA{tail}@mail.gmail.com>"
    if provider in ("outlook.com", "hotmail.com"):
        server = f"AM0PR04MB{rng.randint(1000, 9999)}"
        head = "".join(rng.choices("0123456789ABCDEF", k=24))
        return f"<{server}{head}@{server}.eurprd04.prod.outlook.com>"
    hexes = "".join(rng.choices("0123456789ABCDEF", k=32))
    return f"<{hexes[:8]}-{hexes[8:12]}-{hexes[12:16]}-{hexes[16:20]}-{hexes[20:]}@{provider}>"


class _Customer:
    def __init__(self, rng: random.Random, index: int) -> None:
        self.language, firsts, families, self.subjects = PEOPLE[index % len(PEOPLE)]
        first, family = rng.choice(firsts), rng.choice(families)
        self.provider = rng.choice(PROVIDERS)
        user = f"{rng.choice('abcdefghijklmnopqrstuvwxyz')}{index}.{rng.randint(10, 9999)}"
        self.address = Address(f"{first} {family}", user, self.provider)


def realistic(count: int, seed: int = 7) -> Iterator[bytes]:
    """``count`` messages; one customer in three writes again, replying to their first."""
    rng = random.Random(seed)
    customers = [_Customer(rng, i) for i in range(count // 3 + 1)]
    threads: dict[int, tuple[str, list[str]]] = {}  # customer -> (subject, message ids)
    for i in range(count):
        who = i % len(customers)
        customer = customers[who]
        message = EmailMessage(policy=POLICY)
        message["From"] = customer.address
        message["To"] = SHOP
        if rng.random() < 0.08:
            message["Cc"] = Address(rng.choice(["Family", "Office"]), f"cc{i}", customer.provider)
        message_id = _message_id(rng, customer.provider)
        if who in threads:
            subject, chain = threads[who]
            message["Subject"] = "Re: " + subject
            message["In-Reply-To"] = chain[-1]
            message["References"] = " ".join(chain[-10:])
            chain.append(message_id)
        else:
            subject = rng.choice(customer.subjects).format(n=10000 + who)
            message["Subject"] = subject
            threads[who] = (subject, [message_id])
        message["Message-ID"] = message_id
        message["Date"] = format_datetime(day(i))
        message["MIME-Version"] = "1.0"
        text = (
            rng.choice(TEXTS)
            + "\n\n"
            + (" ".join(rng.choice(TEXTS).split()[:8]) + " ") * rng.randint(1, 6)
            + SIGNATURE
        )
        charset = "utf-8"
        if customer.language in LEGACY_CHARSET and rng.random() < 0.3:
            charset = LEGACY_CHARSET[customer.language]
            text = text.encode(charset, "replace").decode(charset)
        cte = rng.choice(["quoted-printable", "base64"])
        message.set_content(text, charset=charset, cte=cte)
        if rng.random() < 0.75:
            html = '<div dir="auto">' + text.replace("\n", "<br>\n") + "</div>"
            message.add_alternative(html, subtype="html", charset=charset, cte=cte)
        if i % 500 == 499:
            message.add_attachment(
                rng.randbytes(2_000_000),
                maintype="application",
                subtype="pdf",
                filename="invoice.pdf",
            )
        elif rng.random() < 0.05:
            message.add_attachment(
                rng.randbytes(rng.randint(40_000, 200_000)),
                maintype="image",
                subtype="jpeg",
                filename=f"IMG_{rng.randint(1000, 9999)}.jpg",
            )
        yield bytes(message)


def simple(count: int, seed: int = 7) -> Iterator[bytes]:
    """The earlier, lighter mix: bare addresses, short ids, HTML in one message in five."""
    rng = random.Random(seed)
    for i in range(count):
        customer = f"customer{i % (count // 3 + 1)}@example.com"
        text = (
            rng.choice(TEXTS) + "\n\n" + " ".join(rng.choice(TEXTS).split()[:8]) * rng.randint(1, 6)
        )
        subject = f"Order #{10000 + i % (count // 3 + 1)}"
        kwargs: dict[str, object] = {"sender": customer, "when": day(i), "message_id": f"<m{i}@x>"}
        if i >= count // 3:
            parent = i - count // 3
            kwargs.update(in_reply_to=f"<m{parent}@x>", references=f"<m{parent}@x>")
            subject = "Re: " + subject
        if i % 5 == 0:
            kwargs["html"] = "<p>" + text.replace("\n", "<br>") + "</p>"
        if i % 500 == 499:
            kwargs["attachment"] = rng.randbytes(2_000_000)
        yield mail(subject, text, **kwargs)  # type: ignore[arg-type]


MIXES = {"realistic": realistic, "simple": simple}
