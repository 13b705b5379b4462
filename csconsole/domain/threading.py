"""Which conversation a message belongs to: subjects, order numbers, reference chains."""

from __future__ import annotations

import re

from csconsole.domain.text import normalize_for_search, to_ascii_digits

_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw)\s*(?:\[\d+\])?\s*:\s*)+", re.I)


def normalize_subject(subject: str) -> str:
    """Subject without reply/forward prefixes, folded for matching (first version)."""
    return normalize_for_search(_PREFIX.sub("", subject)).strip()


def find_order_numbers(text: str) -> list[str]:
    """Order numbers mentioned in text, as ASCII digits (first version)."""
    found = re.findall(r"#(\d{3,12})", to_ascii_digits(text))
    return list(dict.fromkeys(found))


def thread_candidates(
    message_id: str | None, in_reply_to: str | None, references: list[str] | tuple[str, ...]
) -> list[str]:
    """Message-IDs to look up, most specific first, to find the parent conversation."""
    ordered = [in_reply_to, *reversed(references)]
    return [mid for mid in dict.fromkeys(m for m in ordered if m) if mid != message_id]
