"""The fast path for plain header text gives what the full header decoder gives."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from csconsole.domain.headers import decode_header_value
from csconsole.sources.imap_message import header_text

_ASCII = st.binary(max_size=60).map(lambda raw: bytes(b & 0x7F for b in raw))
_TEXTY = st.text(alphabet=' \t\r\n=?_<>"abcXYZ019@.\x1b\x7f', max_size=40).map(str.encode)


@settings(max_examples=500, deadline=None)
@given(raw=st.one_of(_ASCII, _TEXTY, st.binary(max_size=40)))
@example(raw=b"  Ahmad Rezaei  ")
@example(raw=b"=?utf-8?q?caf=C3=A9?=")
@example(raw=b"Order \x1b[31m#1001")
@example(raw=b"x" * 20_000)
def test_header_text_matches_the_decoder(raw: bytes) -> None:
    assert header_text(raw) == decode_header_value(raw)
