"""Finding a canned response by a few typed letters, in any language.

Ranking, best first: shortcut equal to the query, shortcut starting with it,
title/intent/tag words starting with it, a substring anywhere in the title,
intent or a body in any language, then a fuzzy subsequence of the title. Text is
compared after ``normalize_for_search`` so ي/ی, ك/ک and Persian digits match.
"""

from __future__ import annotations

from collections.abc import Iterable

from csconsole.domain.canned import CannedResponse
from csconsole.domain.text import normalize_for_search


def _subsequence(needle: str, haystack: str) -> bool:
    position = 0
    for char in needle:
        position = haystack.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def score(response: CannedResponse, query: str) -> int:
    """Higher is better; 0 means no match."""
    wanted = normalize_for_search(query).strip()
    if not wanted:
        return 1
    shortcut = normalize_for_search(response.shortcut or "")
    if shortcut and shortcut == wanted:
        return 100
    if shortcut.startswith(wanted):
        return 90
    title = normalize_for_search(response.title)
    intent = normalize_for_search(response.intent or "")
    words = [*title.split(), *intent.replace("/", " ").replace("-", " ").split()]
    words += [normalize_for_search(tag) for tag in response.tags]
    if any(word.startswith(wanted) for word in words):
        return 70
    if wanted in title or wanted in intent or wanted in normalize_for_search(response.id):
        return 60
    if any(wanted in normalize_for_search(body) for body in response.bodies.values()):
        return 40
    if _subsequence(wanted.replace(" ", ""), title.replace(" ", "")):
        return 20
    return 0


def search(
    responses: Iterable[CannedResponse], query: str, limit: int = 50
) -> list[CannedResponse]:
    """The matching responses, best first (ties keep title order)."""
    ranked = [(score(response, query), response) for response in responses]
    matches = [pair for pair in ranked if pair[0] > 0]
    matches.sort(key=lambda pair: (-pair[0], pair[1].title.lower()))
    return [response for _, response in matches[:limit]]
