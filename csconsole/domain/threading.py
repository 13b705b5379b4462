"""Which conversation a message belongs to: reference chains, subjects, order numbers.

Threading follows References/In-Reply-To first (``thread_candidates``), then Outlook's
Thread-Index, then a normalised subject; ``find_order_numbers`` links a message to a
shop order. All pure functions over data passed in: the IMAP engine and the store
decide what to look up.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable

from csconsole.domain.text import normalize_for_search, sanitize

# Reply and forward prefixes as mail clients write them, in many languages. They are
# folded with normalize_for_search before use, so Arabic/Persian spelling variants match.
_PREFIX_WORDS = (
    # English and generic
    "re", "fw", "fwd", "fwrd", "forward",
    # German, Dutch, Scandinavian, Finnish
    "aw", "wg", "antw", "antwoord", "doorst", "sv", "vs", "vb", "vl", "rif", "ynt",
    # Romance, Slavic, Turkish, Greek, Hebrew
    "rv", "tr", "enc", "res", "odp", "pd", "ilt", "ΑΠ", "ΣΧΕΤ", "ΠΡΘ", "תשובה", "הועבר",
    # Chinese and Japanese
    "回复", "回覆", "答复", "转发", "轉寄", "轉送",
    # Arabic
    "رد", "ر", "ج", "جواب", "الرد", "تحويل", "إعادة توجيه", "اعادة توجيه", "إعادة إرسال",
    "ت", "توجيه",
    # Persian
    "پاسخ", "پ", "جواب", "فوروارد", "ارسال", "ارسال مجدد", "بازارسال", "هدایت", "ارجاع",
)  # fmt: skip
_FOLDED_PREFIXES = sorted({normalize_for_search(word) for word in _PREFIX_WORDS}, key=len)[::-1]
_PREFIX = re.compile(
    r"^\s*(?:"
    + "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in _FOLDED_PREFIXES)
    + r")\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\^\d{1,4})?\s*[:：]\s*"
)
_TAG = re.compile(r"^\s*(\[[^\[\]]{1,40}\])\s*")
_SPACES = re.compile(r"\s+")


def normalize_subject(subject: str) -> str:
    """Subject without any stack of reply/forward prefixes, folded for matching.

    ``'RE: Fwd: AW: رد: Order'`` and ``'order'`` give the same key; case, Arabic/Persian
    letter variants, digits and spacing are folded. Mailing-list tags such as
    ``[support]`` go too; tags with a number (``[#1001]``) identify something and stay,
    in front.
    """
    text = _SPACES.sub(" ", normalize_for_search(sanitize(subject or ""))[:2000]).strip()
    kept: list[str] = []
    while True:
        prefix = _PREFIX.match(text)
        if prefix is not None:
            text = text[prefix.end() :]
            continue
        tag = _TAG.match(text)
        if tag is None:
            break
        if any(char.isdigit() for char in tag.group(1)):
            kept.append(tag.group(1))
        text = text[tag.end() :]
    return " ".join([*kept, text]).strip()


# Subjects too generic to join two messages into one conversation by subject alone.
_GENERIC_SUBJECTS = frozenset(
    normalize_for_search(word)
    for word in (
        "", "hi", "hello", "question", "order", "help", "thanks", "thank you", "urgent",
        "no subject", "(no subject)", "سلام", "مرحبا", "سوال", "سؤال", "استفسار", "طلب",
        "سفارش", "بدون موضوع", "بدون عنوان", "(بدون موضوع)", "شكرا", "ممنون", "مرسی",
    )
)  # fmt: skip


def subject_thread_key(subject: str) -> str | None:
    """The normalised subject when it is specific enough to thread on, else None."""
    key = normalize_subject(subject)
    if len(key) < 4 or key in _GENERIC_SUBJECTS:
        return None
    return key


# --- order numbers ---------------------------------------------------------------------

_NUMBER = r"(\d{3,10})(?![\d])(?![.,/\-]\d)"
_ORDER_WORD = r"(?:order|سفارش|طلب(?:یه|یت|ی)?|الطلب(?:یه)?)"
_NUMBER_WORD = r"(?:no\b\.?|nr\b\.?|num\b\.?|number|id\b|ref\b\.?|رقم|شماره|ش\b\.?|№)"
_ORDER_PATTERNS = (
    # order 1001, order no. 1001, Order #1001, سفارش ۱۰۰۱, سفارش شماره ۱۰۰۱, طلب رقم ١٠٠١
    re.compile(rf"(?<![^\W\d_]){_ORDER_WORD}\s*(?:{_NUMBER_WORD})?\s*[:#\-]?\s*#?\s*{_NUMBER}"),
    # رقم الطلب 1001, شماره سفارش ۱۰۰۱, کد سفارش 1001
    re.compile(
        rf"(?<![^\W\d_])(?:رقم|شماره|کد)\s*(?:ال)?(?:طلب(?:یه)?|سفارش)\s*[:#\-]?\s*#?\s*{_NUMBER}"
    ),
    # #1001 (not an HTML entity, a URL fragment or a hashtag glued to a word)
    re.compile(rf"(?<![\w&/#])#\s?{_NUMBER}"),
)


def find_order_numbers(text: str) -> list[str]:
    """Order numbers mentioned in text: ASCII digits, no duplicates, in order of appearance.

    A number counts only next to an order keyword (English, Persian, Arabic) or a '#',
    so phone numbers, years, prices and postcodes are left alone.
    """
    folded = normalize_for_search(text[:200_000])
    found: list[tuple[int, str]] = []
    for pattern in _ORDER_PATTERNS:
        found.extend((match.start(1), match.group(1)) for match in pattern.finditer(folded))
    return list(dict.fromkeys(number for _, number in sorted(found)))


# --- reference chains --------------------------------------------------------------------


def thread_candidates(
    message_id: str | None, in_reply_to: str | None, references: Iterable[str]
) -> list[str]:
    """Message-IDs to look up, most specific first, to find the parent conversation.

    The direct parent (In-Reply-To) first, then References from the newest to the
    root; the message's own id is never its own parent.
    """
    ordered = [in_reply_to, *reversed(list(references))]
    own = message_id or None
    return [mid for mid in dict.fromkeys(m for m in ordered if m) if mid != own]


def thread_root(
    message_id: str | None, in_reply_to: str | None, references: Iterable[str]
) -> str | None:
    """The id that starts this message's thread: the first reference, else the parent."""
    refs = [ref for ref in references if ref and ref != message_id]
    if refs:
        return refs[0]
    return in_reply_to or message_id or None


def thread_index_key(thread_index: str | None) -> str | None:
    """Outlook's Thread-Index conversation key (its first 22 bytes, as hex), if valid.

    Outlook replies often omit References; every message in one Outlook conversation
    shares these 22 bytes.
    """
    if not thread_index:
        return None
    try:
        data = base64.b64decode(thread_index.strip()[:400], validate=False)
    except (binascii.Error, ValueError):
        return None
    if len(data) < 22:
        return None
    return data[:22].hex()
