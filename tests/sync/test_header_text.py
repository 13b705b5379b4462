"""The fast paths for plain header text and Message-IDs give what the full decoders give."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from csconsole.domain.headers import decode_header_value, parse_message_ids
from csconsole.sources.imap_message import header_text, message_ids

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
    assert header_text(raw) == decode_header_value(raw)  # and again, from memory


def test_remembered_names_are_still_decoded_each_for_itself() -> None:
    names = [f"=?utf-8?b?{n}?=".encode() for n in ("2LnZhNuM", "2YXYsduM2YU=", "2LnZhNuM")]
    assert [header_text(raw) for raw in names * 3] == ["علی", "مریم", "علی"] * 3


_IDS = st.text(alphabet=' \t\r\n<>@.,;"()ab1\x1b\u0640', max_size=60)


@settings(max_examples=500, deadline=None)
@given(raw=st.one_of(_IDS, _IDS.map(str.encode), _TEXTY, st.binary(max_size=40)))
@example(raw="<a@x> <b@x> <a@x>")
@example(raw=b"<m1@x>")
@example(raw="a@x, b@x")
@example(raw="".join(f"<{i}@x>" for i in range(600)))
def test_message_ids_match_the_parser(raw: str | bytes) -> None:
    assert message_ids(raw) == parse_message_ids(raw)
