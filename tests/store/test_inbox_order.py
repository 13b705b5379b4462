"""Inbox pages come off an index in the order the user asked for, never a full sort.

A page of a 100,000-conversation inbox is read on every scroll and every return from a
conversation; sorting all matches for it cost tens of milliseconds a keypress.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlite_utils import Database

from csconsole.domain.inbox_models import ConversationFilter, Sort, View
from csconsole.store import conversations

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "spec",
    [
        ConversationFilter(),
        ConversationFilter(view=View.ALL),
        ConversationFilter(view=View.OVERDUE),
        ConversationFilter(view=View.PENDING),
        ConversationFilter(sort=Sort.NEWEST),
        ConversationFilter(view=View.ALL, sort=Sort.NEWEST),
    ],
    ids=["open-urgency", "all-urgency", "overdue", "pending", "open-newest", "all-newest"],
)
def test_inbox_pages_walk_an_index(fresh_store: Database, spec: ConversationFilter) -> None:
    sql, params = conversations.page_query(spec, offset=0, limit=100, now=NOW)
    plan = " | ".join(row[3] for row in fresh_store.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "TEMP B-TREE" not in plan, plan
