"""The bulk index rebuild's word cache gives exactly the whole-string normalisation.

``store.fts.rebuild_search_index`` normalises word by word and remembers words; if
that ever differs from ``normalize_for_search``/``normalize_for_index`` on the whole
text, searches on a freshly built store and on a live-synced one would disagree.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from csconsole.domain.text import normalize_for_index, normalize_for_search
from csconsole.store.fts import WordCache

# Letters, variants, marks, digits and joiners where folding could go wrong at a boundary.
_TRICKY = (
    "abcXYZ019 \u200c\u200d\u0640\u064b\u064e\u0650\u0651\u0652"
    "يیكکىئةۀهأإآا۰۱۹٠١٩سفارشمیخواهمالطلب"
    "é\u0301ÅﬁİıßΣς"
)
_TEXT = st.text(alphabet=st.sampled_from(_TRICKY), max_size=40) | st.text(max_size=30)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
@example("\u200c \u200c")  # joiners alone: no compound to add
def test_word_cache_equals_the_whole_string_functions(text: str) -> None:
    cache = WordCache()
    assert cache.search(text) == normalize_for_search(text)
    assert cache.index(text) == normalize_for_index(text)
    # A second pass comes from the cache and must still agree.
    assert cache.search(text) == normalize_for_search(text)
    assert cache.index(text) == normalize_for_index(text)


def test_persian_compounds_index_both_split_and_joined() -> None:
    cache = WordCache()
    text = "می\u200cخواهم سفارش ۱۰۰۱"
    assert cache.index(text) == normalize_for_index(text)
    assert "میخواهم" in cache.index(text).split()
