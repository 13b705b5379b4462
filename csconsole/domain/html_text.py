"""HTML mail bodies as safe plain text, with the link targets listed explicitly."""

from __future__ import annotations

import html
import re


def html_to_text(html_source: str) -> tuple[str, list[str]]:
    """Text of an HTML body and the link targets it contains (first version)."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", "", html_source)
    text = re.sub(r"(?s)<[^>]*>", " ", text)
    return html.unescape(text), []
