"""Turn bytes from mail into text, whatever charset label (or none) came with them.

Mail from Arabic- and Persian-speaking customers arrives in windows-1256, ISO-8859-6
under labels Python does not know (``iso-8859-6-i``, ``x-mac-arabic``…), or as
windows-1256 bytes that a webmail mislabelled as ISO-8859-1 or left unlabelled, which
shows as ``ÚíÈ ãÕäÚí`` mojibake. ``decode_bytes`` maps the WHATWG labels, refuses the
codecs that are not charsets (``unicode_escape``, ``idna``…), recognises the common
mislabellings, and never raises: the worst case is replacement characters and a warning
the agent can see.
"""

from __future__ import annotations

import codecs
import unicodedata

# WHATWG Encoding Standard labels (and a few mail-only ones) mapped to Python codecs.
# Labels Python already knows under the same meaning are left to codecs.lookup.
_LABELS: dict[str, str] = {
    # UTF-8 and UTF-16
    "unicode-1-1-utf-8": "utf-8",
    "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "utf8": "utf-8",
    "unicodefffe": "utf-16-be",
    "unicodefeff": "utf-16-le",
    "csunicode": "utf-16-le",
    "iso-10646-ucs-2": "utf-16-le",
    "ucs-2": "utf-16-le",
    "unicode": "utf-16-le",
    # Arabic
    "iso-8859-6-i": "iso8859-6",
    "iso-8859-6-e": "iso8859-6",
    "csiso88596i": "iso8859-6",
    "csiso88596e": "iso8859-6",
    "csisolatinarabic": "iso8859-6",
    "iso88596": "iso8859-6",
    "iso_8859-6:1987": "iso8859-6",
    "x-cp1256": "cp1256",
    "cp-1256": "cp1256",
    "windows1256": "cp1256",
    "win-1256": "cp1256",
    "win1256": "cp1256",
    "ms-arab": "cp1256",
    "x-mac-arabic": "mac-arabic",
    "macarabic": "mac-arabic",
    "x-mac-farsi": "mac-farsi",
    "macfarsi": "mac-farsi",
    "dos-720": "cp720",
    # Hebrew
    "iso-8859-8-i": "iso8859-8",
    "iso-8859-8-e": "iso8859-8",
    "csiso88598i": "iso8859-8",
    "csiso88598e": "iso8859-8",
    "logical": "iso8859-8",
    "visual": "iso8859-8",
    "x-cp1255": "cp1255",
    # Western: WHATWG (and every mail client) reads ISO-8859-1/ASCII as windows-1252
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso88591": "cp1252",
    "iso_8859-1": "cp1252",
    "iso_8859-1:1987": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "cp819": "cp1252",
    "ibm819": "cp1252",
    "csisolatin1": "cp1252",
    "iso-ir-100": "cp1252",
    "x-cp1252": "cp1252",
    "iso-8859-9": "cp1254",
    "iso8859-9": "cp1254",
    "latin5": "cp1254",
    "x-cp1254": "cp1254",
    "iso-8859-11": "cp874",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "dos-874": "cp874",
    "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman",
    "mac": "mac-roman",
    "csmacintosh": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-ukrainian": "mac-cyrillic",
    "koi": "koi8-r",
    "koi8": "koi8-r",
    "koi8-ru": "koi8-u",
    # CJK
    "x-gbk": "gbk",
    "gb2312": "gbk",
    "gb_2312": "gbk",
    "gb_2312-80": "gbk",
    "csgb2312": "gbk",
    "chinese": "gbk",
    "iso-ir-58": "gbk",
    "big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "csbig5": "big5hkscs",
    "x-euc-jp": "euc-jp",
    "x-sjis": "cp932",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "csshiftjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601-1989": "cp949",
    "ksc5601": "cp949",
    "ksc_5601": "cp949",
    "windows-949": "cp949",
    "korean": "cp949",
}
_LABELS.update({f"x-cp{n}": f"cp{n}" for n in range(1250, 1259)})

# Labels that mean "we do not know": treated exactly like a missing charset.
_UNKNOWN_LABELS = frozenset(
    {"unknown-8bit", "unknown", "x-unknown", "default", "8bit", "binary", "charset", "none"}
)

# Text codecs Python offers that are not charsets; decoding mail with them would let a
# sender smuggle escapes or trigger odd behaviour, so they count as unknown labels.
_REFUSED = frozenset(
    {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined", "mbcs", "oem"}
)

# Labels under which 8-bit bytes are often something else (mislabelled or unlabelled).
_WEAK = frozenset({"cp1252", "ascii", "iso8859-1", "latin-1"})
# Codecs whose ASCII-range bytes do not mean ASCII (ISO-2022 escapes, UTF-7, EBCDIC…).
_NOT_ASCII_COMPATIBLE = (
    "utf-16",
    "utf-32",
    "utf-7",
    "iso2022",
    "hz",
    "cp037",
    "cp500",
    "cp1140",
    "cp273",
    "cp424",
    "cp875",
    "cp1026",
)
_ARABIC_LEGACY = frozenset({"cp1256", "iso8859-6", "mac-arabic", "mac-farsi", "cp720", "cp864"})


def _x_user_defined(data: bytes) -> str:
    """WHATWG x-user-defined: ASCII, and bytes 0x80-0xFF to U+F780-U+F7FF."""
    return "".join(chr(b) if b < 0x80 else chr(0xF700 + b) for b in data)


def codec_for(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None when it is missing or unusable."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").strip().lower()
    # RFC 2231 allows a language after the charset in encoded words: utf-8*ar
    cleaned = cleaned.split("*", 1)[0].strip()
    if not cleaned or cleaned in _UNKNOWN_LABELS or len(cleaned) > 64:
        return None
    if cleaned == "x-user-defined":
        return "x-user-defined"
    name = _LABELS.get(cleaned, cleaned)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if info.name in _REFUSED or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def _is_arabic(char: str) -> bool:
    code = ord(char)
    return (
        0x0600 <= code <= 0x06FF
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
        or char in "\u200c\u200d\u200e\u200f«»"
    )


def looks_arabic(text: str) -> bool:
    """True when the non-ASCII characters of text read as Arabic-script words.

    Real Arabic or Persian text has runs of Arabic letters; Latin text wrongly read as
    cp1256 gives isolated letters between ASCII ones (``Grüße``), so both the share of
    Arabic letters and the share of non-ASCII characters inside runs must be high.
    Cyrillic read as cp1256 does give runs, but with Latin letters (``à``, ``â``) inside
    the Arabic words, which real Arabic text never has.
    """
    high = arabic = in_runs = words = mixed = 0
    previous_high = word_arabic = word_other = False
    for index, char in enumerate(text):
        if char < "\x80":
            mixed += word_arabic and word_other
            previous_high = word_arabic = word_other = False
            continue
        high += 1
        words += not previous_high
        if _is_arabic(char):
            arabic += 1
            word_arabic = word_arabic or char.isalpha()
            # Harakat never start a word; Cyrillic read as ISO-8859-6 gives exactly that.
            if not previous_high and unicodedata.category(char) == "Mn":
                return False
        else:
            word_other = word_other or char.isalpha()
        next_high = index + 1 < len(text) and text[index + 1] >= "\x80"
        if previous_high or next_high:
            in_runs += 1
        previous_high = True
    mixed += word_arabic and word_other
    return arabic >= 2 and arabic >= 0.8 * high and in_runs >= 0.6 * high and mixed * 20 <= words


def _decode_with(data: bytes, codec: str) -> tuple[str, bool]:
    """Decode, replacing invalid bytes; report whether any were invalid."""
    if codec == "x-user-defined":
        return _x_user_defined(data), False
    try:
        return data.decode(codec), False
    except UnicodeDecodeError:
        pass
    if codec == "cp1252":
        # The five bytes cp1252 leaves undefined map to the C1 code points (as WHATWG
        # does); they are controls and disappear in sanitize().
        text = data.decode("cp1252", errors="surrogateescape")
        return "".join(
            chr(ord(c) - 0xDC00) if "\udc80" <= c <= "\udcff" else c for c in text
        ), False
    return data.decode(codec, errors="replace"), True


def _valid_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _guess_legacy_arabic(data: bytes) -> tuple[str, str] | None:
    """cp1256 (or, failing that, ISO-8859-6) text when the bytes read as Arabic in it."""
    for codec in ("cp1256", "iso8859-6"):
        text = data.decode(codec, errors="replace")
        if "\ufffd" not in text and looks_arabic(text):
            return text, codec
    return None


def decode_bytes(data: bytes, label: str | None) -> tuple[str, str | None]:
    """Decode mail bytes under a declared charset label; return (text, warning or None).

    Never raises. The warning says what was guessed or replaced so the agent knows the
    text may not be exactly what the customer wrote.
    """
    try:
        return _decode(bytes(data), label)
    except Exception as error:  # a codec bug must not lose the message
        text = bytes(data).decode("utf-8", errors="replace")
        return text, f"could not decode text ({type(error).__name__}); shown as UTF-8"


def _decode(data: bytes, label: str | None) -> tuple[str, str | None]:
    codec = codec_for(label)
    shown = (label or "").strip()[:40]
    if data.isascii() and (codec is None or not codec.startswith(_NOT_ASCII_COMPATIBLE)):
        return data.decode("ascii"), None

    if codec is None:
        unknown = bool(shown) and shown.lower() not in _UNKNOWN_LABELS
        text, used = _guess(data)
        if unknown:
            return text, f"unknown charset {shown!r}; decoded as {used}"
        if used in {"utf-8", "ascii"}:
            return text, None
        return text, f"no charset declared; decoded as {used}"

    if codec in _WEAK:
        utf8 = _valid_utf8(data)
        if utf8 is not None:
            return utf8, f"declared {shown} but the text is UTF-8; decoded as UTF-8"
        guessed = _guess_legacy_arabic(data)
        if guessed is not None:
            return guessed[0], f"declared {shown} but the text is Arabic; decoded as {guessed[1]}"
        text, bad = _decode_with(data, codec)
        return text, (f"invalid bytes for {shown} replaced" if bad else None)

    if codec == "utf-8":
        utf8 = _valid_utf8(data)
        if utf8 is not None:
            return utf8, None
        guessed = _guess_legacy_arabic(data)
        if guessed is not None:
            return guessed[0], f"declared UTF-8 but the text is Arabic; decoded as {guessed[1]}"
        return data.decode("utf-8", errors="replace"), "invalid UTF-8 bytes replaced"

    if codec in _ARABIC_LEGACY:
        utf8 = _valid_utf8(data)
        if utf8 is not None and looks_arabic(utf8):
            return utf8, f"declared {shown} but the text is UTF-8; decoded as UTF-8"

    text, bad = _decode_with(data, codec)
    return text, (f"invalid bytes for {shown} replaced" if bad else None)


def _guess(data: bytes) -> tuple[str, str]:
    """Decode unlabelled bytes: UTF-8 if valid, Arabic legacy if it reads so, else cp1252."""
    utf8 = _valid_utf8(data)
    if utf8 is not None:
        return utf8, "utf-8"
    guessed = _guess_legacy_arabic(data)
    if guessed is not None:
        return guessed
    text, _bad = _decode_with(data, "cp1252")
    return text, "windows-1252"
