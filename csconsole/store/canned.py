"""Canned responses in the store: the files are the truth, the store is their index.

Loading replaces the whole set in one transaction, so a response deleted from the
files disappears and a half-loaded set is never visible.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from csconsole.domain.canned import CannedActions, CannedResponse
from csconsole.domain.clock import now_iso


def replace_all(db: Database, responses: Iterable[CannedResponse]) -> int:
    """Make the store hold exactly these responses; returns how many."""
    count = 0
    now = now_iso()
    with db.atomic():
        db.execute("DELETE FROM canned_variants")
        db.execute("DELETE FROM canned_responses")
        for response in responses:
            db.execute(
                "INSERT INTO canned_responses(id, title, shortcut, intent, tags, actions, "
                "source_file, updated_at) VALUES (?,?,?,?,?,?,?,?)",
                [
                    response.id,
                    response.title,
                    response.shortcut,
                    response.intent,
                    json.dumps(list(response.tags), ensure_ascii=False),
                    json.dumps(response.actions.as_dict(), ensure_ascii=False),
                    response.source_file,
                    now,
                ],
            )
            for language, body in response.bodies.items():
                db.execute(
                    "INSERT INTO canned_variants(canned_id, language, subject, body) "
                    "VALUES (?,?,?,?)",
                    [response.id, language, response.subjects.get(language), body],
                )
            count += 1
    return count


def _responses(
    db: Database, where: str = "", params: list[Any] | None = None
) -> list[CannedResponse]:
    rows = db.execute(
        "SELECT id, title, shortcut, intent, tags, actions, source_file FROM canned_responses "
        f"{where} ORDER BY id",
        params or [],
    ).fetchall()
    if not rows:
        return []
    ids = [row[0] for row in rows]
    bodies: dict[str, dict[str, str]] = {i: {} for i in ids}
    subjects: dict[str, dict[str, str]] = {i: {} for i in ids}
    variants = db.execute(
        "SELECT canned_id, language, subject, body FROM canned_variants "
        f"WHERE canned_id IN ({','.join('?' * len(ids))})",
        ids,
    )
    for canned_id, language, subject, body in variants:
        bodies[canned_id][language] = body
        if subject:
            subjects[canned_id][language] = subject
    return [
        CannedResponse(
            id=row[0],
            title=row[1],
            shortcut=row[2],
            intent=row[3],
            tags=tuple(json.loads(row[4] or "[]")),
            actions=CannedActions.from_dict(json.loads(row[5] or "{}")),
            source_file=row[6],
            bodies=bodies[row[0]],
            subjects=subjects[row[0]],
        )
        for row in rows
    ]


def list_canned(db: Database) -> list[CannedResponse]:
    return _responses(db)


def get_canned(db: Database, key: str) -> CannedResponse | None:
    """By id or by shortcut."""
    found = _responses(db, "WHERE id = ? OR shortcut = ?", [key, key])
    exact = [response for response in found if response.id == key]
    if exact:
        return exact[0]
    return found[0] if found else None
