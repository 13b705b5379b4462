"""String lists as the JSON text stored in ``messages`` (addresses, references, flags).

A first sync writes four such lists per message; nearly all are empty or plain text
that needs no escaping, so those are joined directly and only the rest go through
the encoder. The text is exactly what ``json.dumps`` writes either way.
"""

from __future__ import annotations

import json
import re

# json.dumps builds a new encoder for every call with a non-default option.
_JSON_UNICODE = json.JSONEncoder(ensure_ascii=False)
# Strings json.dumps writes as they are (between quotes), with and without ensure_ascii.
_PLAIN_ASCII = re.compile(r"[ !#-\[\]-~]*")
_PLAIN_UNICODE = re.compile(r'[^\x00-\x1f"\\]*')


def json_list(values: tuple[str, ...], *, ensure_ascii: bool = True) -> str:
    """A tuple of strings as json.dumps writes it; most are empty (no refs, cc or flags)
    or plain text that needs no escaping, so the encoder is only run for the rest."""
    if not values:
        return "[]"
    plain = _PLAIN_ASCII if ensure_ascii else _PLAIN_UNICODE
    if all(plain.fullmatch(value) for value in values):
        return '["' + '", "'.join(values) + '"]'
    return json.dumps(list(values)) if ensure_ascii else _JSON_UNICODE.encode(list(values))
