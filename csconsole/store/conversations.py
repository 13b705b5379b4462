"""Read queries for the inbox list: one page of a view, counts per view, a row.

A whole conversation (messages, customer card, orders) is read by
``store.conversation_detail``, loaded when one first opens.

Pages are read with LIMIT/OFFSET so the console never loads every row: a virtual
list asks for the page under its viewport and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from csconsole.domain.clock import to_iso
from csconsole.domain.inbox_models import ConversationFilter, ConversationSummary, Sort, View
from csconsole.domain.text import normalize_for_search
from csconsole.store.db import Queryable

DUE_SOON = timedelta(hours=4)

_SUMMARY_COLUMNS = """
    c.id, c.channel, coalesce(a.name, ''), coalesce(cu.display_name, ''), c.subject,
    c.preview, c.status, c.unread, c.message_count, c.last_message_at, c.awaiting_since,
    c.sla_due_at, c.snooze_until,
    (SELECT group_concat(tag, ',') FROM
        (SELECT tag FROM conversation_tags t WHERE t.conversation_id = c.id ORDER BY tag)),
    (SELECT o.number FROM conversation_orders co JOIN orders o ON o.id = co.order_id
      WHERE co.conversation_id = c.id ORDER BY co.linked_at DESC LIMIT 1),
    c.language
"""

_FROM = """
  FROM conversations c
  LEFT JOIN accounts a ON a.id = c.account_id
  LEFT JOIN customers cu ON cu.id = c.customer_id
"""

_ORDER = {
    # SQLite sorts NULL first in ASC: conversations with no deadline go last.
    Sort.URGENCY: "c.sla_due_at IS NULL, c.sla_due_at, c.last_message_at DESC, c.id DESC",
    Sort.NEWEST: "c.last_message_at DESC, c.id DESC",
    Sort.OLDEST: "c.last_message_at IS NULL, c.last_message_at, c.id",
}


def fts_expression(text: str) -> str:
    """Turn typed words into an FTS5 query: every word must match, as a prefix."""
    words = normalize_for_search(text).split()
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def _view_clause(view: View, now: datetime) -> tuple[str, list[Any]]:
    now_text = to_iso(now)
    if view is View.OPEN:
        return "c.status = 'open'", []
    if view is View.DUE_SOON:
        return (
            "c.status = 'open' AND c.sla_due_at > ? AND c.sla_due_at <= ?",
            [now_text, to_iso(now + DUE_SOON)],
        )
    if view is View.OVERDUE:
        return "c.status = 'open' AND c.sla_due_at <= ?", [now_text]
    if view is View.ALL:
        return "1", []
    return "c.status = ?", [view.value]


def _filter_clause(spec: ConversationFilter, now: datetime) -> tuple[str, list[Any]]:
    clause, params = _view_clause(spec.view, now)
    parts = [clause]
    if spec.channel:
        parts.append("c.channel = ?")
        params.append(spec.channel)
    if spec.account_id is not None:
        parts.append("c.account_id = ?")
        params.append(spec.account_id)
    if spec.tag:
        parts.append(
            "EXISTS (SELECT 1 FROM conversation_tags t WHERE t.conversation_id = c.id "
            "AND t.tag = ?)"
        )
        params.append(spec.tag)
    expression = fts_expression(spec.text) if spec.text.strip() else ""
    if expression:
        parts.append("c.id IN (SELECT rowid FROM search_index WHERE search_index MATCH ?)")
        params.append(expression)
    return " AND ".join(parts), params


def _summary(row: Sequence[Any]) -> ConversationSummary:
    return ConversationSummary(
        id=row[0],
        channel=row[1],
        account=row[2],
        customer=row[3],
        subject=row[4],
        preview=row[5],
        status=row[6],
        unread=row[7],
        message_count=row[8],
        last_message_at=row[9],
        awaiting_since=row[10],
        sla_due_at=row[11],
        snooze_until=row[12],
        tags=tuple(row[13].split(",")) if row[13] else (),
        order_number=row[14],
        language=row[15],
    )


def page_query(
    spec: ConversationFilter, *, offset: int, limit: int, now: datetime
) -> tuple[str, list[Any]]:
    """The ids of one page, sorted; migration 0006's indexes serve every usual order."""
    where, params = _filter_clause(spec, now)
    order = _ORDER[spec.sort]
    sql = f"SELECT c.id FROM conversations c WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
    return sql, [*params, limit, offset]


def list_page(
    db: Queryable, spec: ConversationFilter, *, offset: int, limit: int, now: datetime
) -> list[ConversationSummary]:
    """Rows ``offset`` to ``offset + limit`` of the filtered, sorted list.

    The ids are sorted first and the row details (tags, linked order) read only for
    the page: sorting whole rows would run those subqueries for every match.
    """
    sql, params = page_query(spec, offset=offset, limit=limit, now=now)
    ids = [row[0] for row in db.execute(sql, params)]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {
        row[0]: _summary(row)
        for row in db.execute(f"SELECT {_SUMMARY_COLUMNS} {_FROM} WHERE c.id IN ({marks})", ids)
    }
    return [rows[conv_id] for conv_id in ids if conv_id in rows]


def count(db: Queryable, spec: ConversationFilter, *, now: datetime) -> int:
    """How many conversations the filter matches."""
    where, params = _filter_clause(spec, now)
    return int(
        db.execute(f"SELECT count(*) FROM conversations c WHERE {where}", params).fetchone()[0]
    )


def counts_by_view(db: Queryable, spec: ConversationFilter, *, now: datetime) -> dict[View, int]:
    """The number beside each view's tab, under the same channel/account/tag filters."""
    base = replace(spec, sort=Sort.URGENCY)
    where, params = _filter_clause(replace(base, view=View.ALL), now)
    statuses: dict[str, int] = dict(
        db.execute(
            f"SELECT status, count(*) FROM conversations c WHERE {where} GROUP BY status", params
        ).fetchall()
    )
    result = {
        View.OPEN: statuses.get("open", 0),
        View.PENDING: statuses.get("pending", 0),
        View.SNOOZED: statuses.get("snoozed", 0),
        View.CLOSED: statuses.get("closed", 0),
        View.ALL: sum(statuses.values()),
    }
    for view in (View.DUE_SOON, View.OVERDUE):
        result[view] = count(db, replace(base, view=view), now=now)
    return {view: result[view] for view in View}


def position_of(
    db: Queryable,
    spec: ConversationFilter,
    conversation_id: int,
    *,
    now: datetime,
    scan: int = 5000,
) -> int | None:
    """Where a conversation sits in the list (searching the first ``scan`` rows)."""
    where, params = _filter_clause(spec, now)
    rows = db.execute(
        f"SELECT c.id FROM conversations c WHERE {where} ORDER BY {_ORDER[spec.sort]} LIMIT ?",
        [*params, scan],
    ).fetchall()
    for index, (conv_id,) in enumerate(rows):
        if conv_id == conversation_id:
            return index
    return None


def summary(db: Queryable, conversation_id: int) -> ConversationSummary | None:
    row = db.execute(f"SELECT {_SUMMARY_COLUMNS} {_FROM} WHERE c.id = ?", [conversation_id])
    found = row.fetchone()
    return _summary(found) if found else None


def all_tags(db: Queryable) -> list[str]:
    return [row[0] for row in db.execute("SELECT DISTINCT tag FROM conversation_tags ORDER BY 1")]
