"""Address, reference and flag lists are stored as exactly the JSON json.dumps writes."""

from __future__ import annotations

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from csconsole.store.json_lists import json_list

_TEXT = st.text(
    alphabet=st.sampled_from(list(' a"\\\n\x00\x1f\x7f~é\u2028\U0001f600<>@')), max_size=12
)


@settings(max_examples=500, deadline=None)
@given(values=st.lists(st.one_of(_TEXT, st.text(max_size=8)), max_size=4), ascii_only=st.booleans())
@example(values=["Shop <shop@example.com>"], ascii_only=False)
@example(values=["\\Seen", "$CSPending"], ascii_only=True)
def test_lists_are_written_as_json_dumps_writes_them(values: list[str], ascii_only: bool) -> None:
    expected = json.dumps(values, ensure_ascii=ascii_only)
    assert json_list(tuple(values), ensure_ascii=ascii_only) == expected
