"""Properties of the pure sync planners and of sequence sets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from csconsole.sources import imap_uidset
from csconsole.sync import imap_plan
from csconsole.sync.imap_plan import Identity

uid_sets = st.sets(st.integers(min_value=1, max_value=5000), max_size=400)


@given(uid_sets)
def test_compact_sets_round_trip(uids: set[int]) -> None:
    if not uids:
        return
    text = imap_uidset.compact(uids)
    assert imap_uidset.parse(text) == sorted(uids)
    assert len(text) <= len(",".join(map(str, uids)))


@given(uid_sets, st.integers(min_value=1, max_value=100), st.integers(min_value=1, max_value=600))
def test_batches_are_newest_first_and_cover_each_uid_once(
    uids: set[int], first: int, size: int
) -> None:
    batches = imap_plan.newest_first_batches(uids, first=first, size=size)
    flat = [uid for batch in batches for uid in batch]
    assert sorted(flat) == sorted(uids) and len(flat) == len(set(flat))
    assert flat == sorted(flat, reverse=True)
    if batches:
        assert len(batches[0]) <= first
        assert all(len(b) <= size for b in batches[1:])


@given(uid_sets, uid_sets, st.integers(min_value=1, max_value=6000))
def test_removed_only_names_uids_we_hold_and_the_server_lacks(
    local: set[int], server: set[int], uidnext: int
) -> None:
    gone = imap_plan.removed(local, server, uidnext=uidnext)
    assert set(gone) <= local
    assert not set(gone) & server
    assert all(uid < uidnext for uid in gone)


@given(uid_sets, uid_sets, st.integers(min_value=1, max_value=6000))
def test_new_and_backfill_targets_never_overlap_and_skip_what_we_hold(
    server: set[int], local: set[int], cursor: int
) -> None:
    new = imap_plan.new_targets(server, uidnext=cursor, local=local)
    old = imap_plan.backfill_targets(server, local, oldest_uid=cursor, uidnext=cursor)
    assert not set(new) & set(old)
    assert not (set(new) | set(old)) & local
    assert set(new) | set(old) == server - local


identities = st.builds(
    Identity,
    message_id=st.one_of(st.none(), st.sampled_from(["a@x", "b@x", "c@x", "d@x"])),
    size=st.integers(min_value=1, max_value=5),
    date=st.one_of(st.none(), st.sampled_from(["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"])),
)


@given(
    st.dictionaries(st.integers(1, 50), identities), st.dictionaries(st.integers(1, 50), identities)
)
def test_rematch_pairs_each_side_at_most_once_and_only_alike(
    stored: dict[int, Identity], server: dict[int, Identity]
) -> None:
    pairs = imap_plan.rematch(stored, server)
    assert len(set(pairs.values())) == len(pairs)
    for row, uid in pairs.items():
        mine, theirs = stored[row], server[uid]
        if mine.message_id:
            assert mine.message_id == theirs.message_id
        else:
            assert (mine.size, mine.date) == (theirs.size, theirs.date)


def test_rematch_prefers_same_size_among_duplicates() -> None:
    stored = {1: Identity("m@x", 100, None), 2: Identity("m@x", 200, None)}
    server = {10: Identity("m@x", 200, None), 11: Identity("m@x", 100, None)}
    assert imap_plan.rematch(stored, server) == {1: 11, 2: 10}
