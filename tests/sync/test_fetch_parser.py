"""The fast FETCH parser gives what imapclient's parser gives, on real and generated answers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imapclient.exceptions import ProtocolError
from imapclient.response_parser import parse_fetch_response

from csconsole.sources import imap_commands as cmd
from csconsole.sources.imap_connection import open_imap
from csconsole.sources.imap_message import META_ITEMS
from csconsole.sources.imap_parse import parse_fetch
from tests.servers.dovecot import DovecotServer
from tests.sync.helpers import account_for, mail
from tests.sync.hostile_mail import MIXED_CHARSETS, hostile_messages


def _both(chunks: list[Any]) -> tuple[Any, Any]:
    """(imapclient's result, ours); "error" where a parser refused the answer.

    imapclient parses lazily, so on garbage it may trip over an item (AttributeError)
    before reaching a lexing error further on that we report first: both refuse it.
    """
    results: list[Any] = []
    for parser in (parse_fetch_response, parse_fetch):
        try:
            results.append(dict(parser(list(chunks), True, False)))
        except (ProtocolError, AttributeError, TypeError) as error:
            results.append("error" if error else None)
    return results[0], results[1]


def _raw_fetch(client: Any, items: str) -> list[Any]:
    tag = cmd.send(client, "UID", "FETCH", "1:*", items)
    cmd.complete(client, "FETCH", tag)
    return cmd.take(client, "FETCH")


def test_real_answers_parse_the_same(dovecot: DovecotServer) -> None:
    user = dovecot.new_user()
    messages = [*hostile_messages(), *(raw for raw, _text in MIXED_CHARSETS)]
    messages.append(mail('Quoted "subject" with \\ backslash', "body", html="<p>hi</p>"))
    messages.append(mail("With file", "see attached", attachment=b"\x00\x01" * 500))
    dovecot.append_many(user, messages)
    client = open_imap(account_for(dovecot, user).imap, user[1])
    try:
        cmd.select(client, "INBOX")
        for items in (META_ITEMS, "(UID BODY.PEEK[1]<0.300> BODY.PEEK[TEXT]<0.200>)", "(UID BODY)"):
            chunks = _raw_fetch(client, items)
            assert len(chunks) >= len(messages)
            ours = parse_fetch(list(chunks), True, False)
            assert dict(ours) == dict(parse_fetch_response(list(chunks), True, False))
            assert len(ours) == len(messages)
    finally:
        client.close_now()


@pytest.mark.parametrize(
    "chunks",
    [
        [b'1 (UID 7 FLAGS (\\Seen $CSPending) RFC822.SIZE 0123 X "a\\"b\\\\c\\d")'],
        [(b"2 (UID 8 BODY[1]<0> {5}", b"hello"), b" FLAGS ())"],
        [b'3 (UID 9 BODY[HEADER.FIELDS ("X" Y)] NIL X abc%\x01def)'],
        [b"4 (UID 1"],  # unterminated list
        [b'5 (UID 1 X abc"d")'],  # a quote glued to a word
        [b"6 (UID 1 X [abc)"],  # an unclosed section
        [(b"7 (UID 1 X {4}", b"abc")],  # a literal of the wrong size
        [b"8 (UID 1 X) )"],
        [b"9 (UID)"],
        [b'10 (UID 1 X "open)'],
    ],
)
def test_edge_cases_parse_the_same(chunks: list[Any]) -> None:
    theirs, ours = _both(chunks)
    assert ours == theirs


_PIECES = st.sampled_from(
    [
        b" ",
        b"(",
        b")",
        b'"',
        b"\\",
        b"[",
        b"]",
        b"{",
        b"}",
        b"%",
        b"\r\n",
        b"\t",
        b"\x01",
        b"NIL",
        b"UID",
        b"0",
        b"12",
        b"007",
        b"BODY[1]<0>",
        b"abc",
        b"\xd8\xb3",
        b"FLAGS",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.integers(min_value=1, max_value=99))
def test_generated_answers_parse_the_same(pieces: list[bytes], uid: int) -> None:
    chunks: list[Any] = [b"1 (UID %d X " % uid + b"".join(pieces) + b")"]
    theirs, ours = _both(chunks)
    assert ours == theirs
