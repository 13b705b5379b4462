"""HTML mail bodies as safe plain text, with the link targets listed explicitly.

Nothing remote is ever fetched: images show as their alt text, scripts, styles and
other invisible content are dropped, and a link's target is collected and referred to
by a ``[n]`` marker so that link text cannot pretend to go somewhere it does not
(the OSC 8 / phishing problem). Input is capped, and the small tokenizer below looks at
each character a bounded number of times: ``html.parser`` goes quadratic on inputs such
as a million ``<a`` (measured: minutes), which any sender can mail us.
"""

from __future__ import annotations

import re
from html import unescape

from csconsole.domain.text import sanitize

MAX_HTML_CHARS = 1_000_000
MAX_TEXT_CHARS = 400_000
MAX_LINKS = 200

# Elements whose content a reader never sees (or that would pull remote content).
_HIDDEN = frozenset(
    {"script", "style", "head", "title", "template", "iframe", "object",
     "embed", "svg", "math", "canvas", "audio", "video", "select"}
)  # fmt: skip
_BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "center", "dd", "details", "dialog",
     "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header",
     "hr", "main", "nav", "section", "summary", "table", "tbody", "thead", "tfoot", "tr",
     "ul", "ol", "caption"}
)  # fmt: skip
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "table"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
_SHOWN_SCHEMES = ("http://", "https://", "mailto:", "tel:", "ftp://")
_SPACE = re.compile(r"[ \t\r\n\f\v]+")


class _TextExtractor:
    """Collects visible text and links; tolerant of any broken markup."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.size = 0
        self.links: list[str] = []
        self._hidden: list[str] = []
        self._pre = 0
        self._href: list[str | None] = []
        self._lists: list[list[int]] = []  # per open list: [is_ordered, counter]
        self._quote = 0
        self._pending = 0  # line breaks owed before the next visible text

    # -- output helpers -------------------------------------------------------------
    def _emit(self, text: str, *, raw: bool = False) -> None:
        """Append text, first writing the line breaks that block elements asked for."""
        if not text or (not raw and not text.strip() and (self._pending or not self.size)):
            return
        if not raw and (self._pending or not self.size):
            text = text.lstrip(" ")
        if self._pending or not self.size:
            breaks = "\n" * self._pending if self.size else ""
            text = breaks + "> " * min(self._quote, 8) + text
            self._pending = 0
        if self.size < MAX_TEXT_CHARS:
            self.out.append(text)
            self.size += len(text)

    def _newline(self, count: int = 1) -> None:
        self._pending = max(self._pending, count)

    # -- parser callbacks -----------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":  # an unclosed <head> must not hide the whole message
            self._hidden = [
                open_tag for open_tag in self._hidden if open_tag not in {"head", "title"}
            ]
        if tag in _HIDDEN:
            if tag not in _VOID:
                self._hidden.append(tag)
            return
        if self._hidden:
            return
        attributes = dict(attrs)
        if tag == "blockquote":
            self._quote += 1
        if tag in _PARAGRAPH:
            self._newline(2)
        elif tag == "br":
            self._pending = min(self._pending + 1, 3)
        elif tag in _BLOCK:
            self._newline()
        if tag == "pre":
            self._pre += 1
        elif tag in {"ul", "ol"}:
            self._lists.append([1 if tag == "ol" else 0, 0])
        elif tag == "li":
            self._newline()
            indent = "  " * min(max(len(self._lists) - 1, 0), 8)
            if self._lists and self._lists[-1][0]:
                self._lists[-1][1] += 1
                self._emit(f"{indent}{self._lists[-1][1]}. ", raw=True)
            else:
                self._emit(f"{indent}• ", raw=True)
        elif tag in {"td", "th"}:
            self._emit("  ")
        elif tag == "hr":
            self._emit("―" * 20)
            self._newline()
        elif tag == "img":
            alt = _SPACE.sub(" ", attributes.get("alt") or "").strip()
            if alt:
                self._emit(f"[{alt[:200]}]")
        elif tag == "a":
            self._href.append(attributes.get("href"))

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            if tag in self._hidden:
                while self._hidden and self._hidden.pop() != tag:
                    pass
            return
        if tag == "a" and self._href:
            self._close_link(self._href.pop())
        elif tag == "pre" and self._pre:
            self._pre -= 1
        elif tag in {"ul", "ol"} and self._lists:
            self._lists.pop()
        if tag == "blockquote" and self._quote:
            self._quote -= 1
        if tag in _PARAGRAPH:
            self._newline(2)
        elif tag in _BLOCK or tag == "li":
            self._newline()

    def _close_link(self, href: str | None) -> None:
        target = sanitize(_SPACE.sub("", href or ""))[:2000]
        if not target.lower().startswith(_SHOWN_SCHEMES) or len(self.links) >= MAX_LINKS:
            return
        if target in self.links:
            number = self.links.index(target) + 1
        else:
            self.links.append(target)
            number = len(self.links)
        self._emit(f" [{number}]")

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._pre:
            self._emit(data.replace("\n", "\n" + "> " * min(self._quote, 8)), raw=True)
        else:
            self._emit(_SPACE.sub(" ", data.replace("\xa0", " ")))


_TAG = re.compile(
    r"""<(/?)([a-zA-Z][^\s/<>]{0,63})((?:[^<>"']|"[^"<]*"|'[^'<]*')*+)>""",
)
_ATTRIBUTE = re.compile(r"""([^\s=/<>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_RAW_TEXT = frozenset({"script", "style", "title", "textarea", "xmp", "iframe", "noembed"})


def _attributes(text: str) -> list[tuple[str, str | None]]:
    pairs: list[tuple[str, str | None]] = []
    for match in _ATTRIBUTE.finditer(text[:8000]):
        value = match.group(2)
        if value is not None:
            value = unescape(value[1:-1] if value[:1] in {'"', "'"} else value)
        pairs.append((match.group(1).lower(), value))
    return pairs


def _tokenize(source: str, sink: _TextExtractor) -> None:
    """Feed tags and text to sink; linear time, whatever the markup looks like."""
    position = 0
    length = len(source)
    while position < length and sink.size < MAX_TEXT_CHARS:
        start = source.find("<", position)
        if start < 0:
            sink.handle_data(unescape(source[position:]))
            return
        if start > position:
            sink.handle_data(unescape(source[position:start]))
        if source.startswith("<!--", start):
            end = source.find("-->", start + 4)
            if end < 0:
                return
            position = end + 3
            continue
        if source.startswith(("<!", "<?"), start):
            end = source.find(">", start)
            if end < 0:
                return
            position = end + 1
            continue
        match = _TAG.match(source, start)
        if match is None:
            following = source.find("<", start + 1)
            following = length if following < 0 else following
            sink.handle_data(unescape(source[start:following]))
            position = following
            continue
        closing, tag = match.group(1), match.group(2).lower()
        position = match.end()
        if closing:
            sink.handle_endtag(tag)
            continue
        body = match.group(3)
        sink.handle_starttag(tag, _attributes(body))
        if body.rstrip().endswith("/") and tag not in _VOID:
            sink.handle_endtag(tag)
        elif tag in _RAW_TEXT:
            closer = re.compile(rf"</{tag}\s*>", re.IGNORECASE).search(source, position)
            if closer is None:
                return
            if tag in {"textarea", "xmp"}:
                sink.handle_data(unescape(source[position : closer.start()]))
            position = closer.end()
            sink.handle_endtag(tag)


def _tidy(text: str) -> str:
    """Collapse the spaces and blank lines that block elements leave behind."""
    lines = [line.strip(" ") if not line.startswith(" ") else line.rstrip() for line in
             text.split("\n")]  # fmt: skip
    tidy: list[str] = []
    blank = 0
    for line in lines:
        if line.strip(" >") == "":
            blank += 1
            if blank > 1 or not tidy:
                continue
            line = line.rstrip()
        else:
            blank = 0
        tidy.append(line)
    return "\n".join(tidy).strip("\n")


def html_to_text(html_source: str) -> tuple[str, list[str]]:
    """Visible text of an HTML body (multi-line, display-safe) and its link targets."""
    extractor = _TextExtractor()
    try:
        _tokenize(html_source[:MAX_HTML_CHARS], extractor)
    except Exception:  # a hostile body must never cost us the text found so far
        pass
    text = sanitize("".join(extractor.out)[:MAX_TEXT_CHARS], multiline=True)
    return _tidy(text), list(extractor.links)
