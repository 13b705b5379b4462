"""Text from the wire made safe to show, and normalised for matching.

Two separate jobs live here because both must be applied to every string we get
from mail or an API:

* ``sanitize`` is an allow-list filter for display: no ESC/CSI/OSC, no C0 or C1
  controls, no bidi overrides or isolates that could hide or reorder text. ZWNJ
  and ZWJ stay (Persian needs them); tabs become spaces; newlines stay only where
  the caller allows multi-line text.
* ``normalize_for_search`` folds Arabic/Persian letter variants, digits, tatweel
  and harakat so that a search typed in one form finds text written in another.
  The original is always kept for display.
"""

from __future__ import annotations

import re
import unicodedata

# Explicit directional formatting characters (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) and
# the invisible marks that can disguise a subject. LRM/RLM/ALM are harmless and kept.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ALLOWED_FORMAT = frozenset("\u200c\u200d\u200e\u200f\u061c")  # ZWNJ ZWJ LRM RLM ALM

# CSI/OSC/DCS/other escape sequences, removed whole so no parameter bytes leak as text.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI ... final byte
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC ... BEL or ST (or unterminated)
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?     # DCS, SOS, PM, APC ... ST
    | \x1b[ -/]*[0-~]?                  # two- and three-byte escapes
    | \x9b[0-?]*[ -/]*[@-~]             # 8-bit CSI
    | \x9d[^\x07\x9c]*(?:\x07|\x9c)?    # 8-bit OSC
    """,
    re.VERBOSE,
)


def _allowed(char: str, multiline: bool) -> bool:
    if char == "\n":
        return multiline
    if char in _BIDI_CONTROLS:
        return False
    if char in _ALLOWED_FORMAT:
        return True
    category = unicodedata.category(char)
    # Cc: C0/C1 controls and DEL; Cf: other invisible formatting; Cs: lone surrogates;
    # Co/Cn: private use and unassigned code points a terminal may render as anything.
    return category not in {"Cc", "Cf", "Cs", "Co", "Cn"}


class _KeptCharacters(dict[int, str | None]):
    """A ``str.translate`` table that asks ``_allowed`` once per character seen, so
    filtering non-ASCII text is one pass in C instead of a Python call per character."""

    LIMIT = 100_000  # distinct characters remembered; hostile text cannot grow it further

    def __init__(self, multiline: bool) -> None:
        super().__init__()
        self.multiline = multiline

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        kept = char if _allowed(char, self.multiline) else None
        if len(self) >= self.LIMIT:
            self.clear()
        self[code] = kept
        return kept


_KEPT = {False: _KeptCharacters(False), True: _KeptCharacters(True)}


def sanitize(text: str, *, multiline: bool = False) -> str:
    """Return text that is safe to write to a terminal.

    Escape sequences are dropped whole, other disallowed characters are dropped,
    tabs become four spaces and CR/CRLF become newlines (or spaces when
    ``multiline`` is false).
    """
    if not text:
        return ""
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    if not multiline:
        text = text.replace("\n", " ")
    if text.isascii() and text.isprintable():
        return text
    return text.translate(_KEPT[multiline])


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_LETTER_FOLDS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh → Persian yeh
        "ى": "ی",  # alef maksura
        "ك": "ک",  # Arabic kaf → Persian keheh
        "ة": "ه",  # teh marbuta
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ی",
        "ۀ": "ه",
        "ـ": None,  # tatweel
        "\u200c": " ",  # ZWNJ separates word parts: index them as separate tokens
        "\u200d": None,
        "\u200e": None,
        "\u200f": None,
        "\u061c": None,
    }
)


def to_ascii_digits(text: str) -> str:
    """Replace Arabic-Indic and Persian digits with ASCII ones."""
    return text.translate(_DIGITS)


def normalize_for_search(text: str) -> str:
    """Fold case, Arabic/Persian letter variants, digits, harakat and accents for matching."""
    if not text:
        return ""
    # Decompose first so compatibility forms (Arabic presentation forms, styled
    # letters such as U+1D54A) fold like their plain letters; casefolding can produce
    # decomposable characters again, hence the second pass.
    compatible = unicodedata.normalize("NFKD", text)
    folded = compatible.translate(_LETTER_FOLDS).translate(_DIGITS).casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return unicodedata.normalize("NFC", stripped)


def normalize_for_index(text: str) -> str:
    """Search-normalised text plus the joined form of every ZWNJ compound.

    Persian users type ``می‌خواهم`` with ZWNJ, with a space or joined; the index
    holds the parts and the joined word so every spelling finds it.
    """
    # A plain split keeps this linear: a regex over word runs went quadratic on long words.
    compounds = (word.replace("\u200c", "") for word in text.split() if "\u200c" in word)
    joined = " ".join(compound for compound in compounds if compound)  # a lone ZWNJ adds nothing
    base = normalize_for_search(text)
    return f"{base} {normalize_for_search(joined)}" if joined else base


def normalize_query_words(text: str) -> str:
    """Normalise what the user typed; a ZWNJ compound is looked up in its joined form."""
    return normalize_for_search(text.replace("\u200c", ""))


def normalize_email(address: str) -> str:
    """Lower-case an address and strip the spaces and angle brackets people paste."""
    return address.strip().strip("<>").strip().lower()


def normalize_phone(number: str) -> str:
    """Keep a leading + and the digits (any script), so '+۹۸ ۹۱۲-۱۲۳' and '+98912123' match."""
    digits = to_ascii_digits(number.strip())
    kept = "".join(char for char in digits if char.isdigit())
    if digits.startswith("+"):
        return "+" + kept
    if digits.startswith("00") and len(kept) > 2:
        return "+" + kept[2:]
    return kept
