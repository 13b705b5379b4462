"""A small sandboxed template language for canned responses.

Canned responses are shared as files, so a template must never be able to run
code. This language has no attribute access and no calls: ``{{ a.b.0 }}`` walks
plain dicts and lists of the render context only, names may not start with an
underscore, and filters come from a fixed table. What it offers::

    {{ customer.first_name }}            {{ order.total | money }}
    {{ order.placed_at | date("jalali") }}  {{ order.items | list }}
    {{ tracking.eta | default("soon") }}
    {% if tracking.url %}…{% elif x == "y" %}…{% else %}…{% endif %}
    {% for item in order.items %}{{ item.name }}{% endfor %}

A variable printed without a ``default`` that is missing or empty is an error
(``MissingVariable``), so a reply never goes out with a hole in it. Errors::

    TemplateError
    ├── TemplateSyntaxError   the template itself is malformed (line number)
    └── MissingVariable       values the context lacks (all names at once)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from csconsole.domain.localize import Locale, join_list, to_decimal
from csconsole.domain.template_filters import FILTERS, FilterContext, FilterError


class TemplateError(Exception):
    """A template could not be rendered."""


class TemplateSyntaxError(TemplateError):
    """The template is malformed; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


class MissingVariable(TemplateError):
    """Variables the reply needs but the context does not have (or has empty)."""

    def __init__(self, names: list[str]) -> None:
        self.names = tuple(sorted(set(names)))
        super().__init__("no value for " + ", ".join(self.names))


_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.DOTALL)
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"[^"]*"|'[^']*')
      | (?P<number>-?\d+(?:\.\d+)?(?![\w.]))
      | (?P<op>==|!=|\||\(|\)|,)
      | (?P<name>[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)
    )""",
    re.VERBOSE,
)
_SEGMENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*|\d+")
_MISSING = object()


@dataclass(frozen=True)
class Expr:
    """A dotted path (or a literal) followed by filters."""

    path: tuple[str, ...] | None
    literal: str | None = None
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def name(self) -> str:
        return ".".join(self.path) if self.path else repr(self.literal)


@dataclass(frozen=True)
class Cond:
    expr: Expr
    negate: bool = False
    compare: tuple[str, str] | None = None  # (operator, literal)


@dataclass
class Node:
    kind: str  # text | out | if | for
    text: str = ""
    expr: Expr | None = None
    branches: list[tuple[Cond | None, list[Node]]] = field(default_factory=list)
    var: str = ""
    body: list[Node] = field(default_factory=list)


def _tokens(source: str, line: int) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    source = source.rstrip()
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if not match or match.end() == pos:
            raise TemplateSyntaxError(f"cannot read {source[pos:].strip()!r}", line)
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def _path(text: str, line: int) -> tuple[str, ...]:
    segments = tuple(text.split("."))
    for segment in segments:
        if not _SEGMENT.fullmatch(segment):
            # Leading underscores are how Python objects expose their internals.
            raise TemplateSyntaxError(f"{text!r} is not a variable name", line)
    return segments


def _parse_expr(tokens: list[tuple[str, str]], line: int) -> Expr:
    if not tokens:
        raise TemplateSyntaxError("empty expression", line)
    kind, value = tokens.pop(0)
    if kind == "name":
        path: tuple[str, ...] | None = _path(value, line)
        literal = None
    elif kind in {"string", "number"}:
        path, literal = None, value.strip("\"'") if kind == "string" else value
    else:
        raise TemplateSyntaxError(f"unexpected {value!r}", line)
    filters = []
    while tokens and tokens[0] == ("op", "|"):
        tokens.pop(0)
        if not tokens or tokens[0][0] != "name" or tokens[0][1] not in FILTERS:
            got = tokens[0][1] if tokens else "nothing"
            raise TemplateSyntaxError(f"unknown filter {got!r}; known: {', '.join(FILTERS)}", line)
        name = tokens.pop(0)[1]
        args: list[str] = []
        if tokens and tokens[0] == ("op", "("):
            tokens.pop(0)
            while tokens and tokens[0] != ("op", ")"):
                arg_kind, arg = tokens.pop(0)
                if arg_kind not in {"string", "number"}:
                    raise TemplateSyntaxError(f"filter {name} takes quoted text, not {arg}", line)
                args.append(arg.strip("\"'") if arg_kind == "string" else arg)
                if tokens and tokens[0] == ("op", ","):
                    tokens.pop(0)
            if not tokens:
                raise TemplateSyntaxError(f"filter {name}: missing ')'", line)
            tokens.pop(0)
        filters.append((name, tuple(args)))
    return Expr(path, literal, tuple(filters))


def _parse_cond(source: str, line: int) -> Cond:
    tokens = _tokens(source, line)
    negate = bool(tokens) and tokens[0] == ("name", "not")
    if negate:
        tokens.pop(0)
    expr = _parse_expr(tokens, line)
    compare = None
    if tokens and tokens[0][1] in {"==", "!="}:
        operator = tokens.pop(0)[1]
        if not tokens or tokens[0][0] not in {"string", "number"}:
            raise TemplateSyntaxError(f"compare with quoted text after {operator}", line)
        compare = (operator, tokens.pop(0)[1].strip("\"'"))
    if tokens:
        raise TemplateSyntaxError(f"unexpected {tokens[0][1]!r}", line)
    return Cond(expr, negate, compare)


def _pieces(template: str) -> list[tuple[str, int]]:
    """Split into text and tags; a block tag alone on its line takes its line with it."""
    pieces: list[tuple[str, int]] = []
    line = 1
    parts = _TAG.split(template)
    line_start = True  # the text before the current tag begins at the start of a line
    for index, part in enumerate(parts):
        if index % 2 and part.startswith("{%"):
            before = parts[index - 1]
            head, newline, tail = before.rpartition("\n")
            alone = not tail.strip() if newline else line_start and not before.strip()
            after = parts[index + 1].split("\n", 1) if index + 1 < len(parts) else [""]
            if alone and not after[0].strip() and len(after) == 2:
                pieces[-1] = (head + newline, pieces[-1][1])
                parts[index + 1] = after[1]
                pieces.append((part, line))
                line += part.count("\n") + 1
                line_start = True
                continue
        if index % 2:
            line_start = False
        pieces.append((part, line))
        line += part.count("\n")
    return [piece for piece in pieces if piece[0]]


@lru_cache(maxsize=512)
def parse(template: str) -> tuple[Node, ...]:
    """The syntax tree of a template (cached); raises TemplateSyntaxError."""
    root: list[Node] = []
    stack: list[tuple[Node, list[Node], int]] = []
    current = root
    for piece, line in _pieces(template):
        if piece.startswith("{{") and piece.endswith("}}"):
            tokens = _tokens(piece[2:-2], line)
            expr = _parse_expr(tokens, line)
            if tokens:
                raise TemplateSyntaxError(f"unexpected {tokens[0][1]!r}", line)
            current.append(Node("out", expr=expr))
        elif piece.startswith("{%") and piece.endswith("%}"):
            word, _, rest = piece[2:-2].strip().partition(" ")
            top = stack[-1][0] if stack else None
            if word == "if":
                node = Node("if", branches=[(_parse_cond(rest, line), [])])
                current.append(node)
                stack.append((node, current, line))
                current = node.branches[0][1]
            elif word in {"elif", "else"} and top is not None and top.kind == "if":
                cond = _parse_cond(rest, line) if word == "elif" else None
                if top.branches[-1][0] is None:
                    raise TemplateSyntaxError(f"{word} after else", line)
                top.branches.append((cond, []))
                current = top.branches[-1][1]
            elif word == "for":
                match = re.fullmatch(r"([A-Za-z][A-Za-z0-9_]*)\s+in\s+(.+)", rest.strip())
                if not match:
                    raise TemplateSyntaxError("write {% for item in list %}", line)
                tokens = _tokens(match.group(2), line)
                node = Node("for", var=match.group(1), expr=_parse_expr(tokens, line))
                current.append(node)
                stack.append((node, current, line))
                current = node.body
            elif word in {"endif", "endfor"} and top is not None and top.kind == word[3:]:
                current = stack.pop()[1]
            else:
                raise TemplateSyntaxError(f"unexpected {{% {word} %}}", line)
        else:
            if "{{" in piece or "{%" in piece:
                raise TemplateSyntaxError("unclosed {{ or {%", line)
            current.append(Node("text", text=piece))
    if stack:
        node, _, line = stack[-1]
        raise TemplateSyntaxError(f"{{% {node.kind} %}} is never closed", line)
    return tuple(root)


def _walk_exprs(nodes: list[Node] | tuple[Node, ...], local: frozenset[str]) -> list[Expr]:
    found: list[Expr] = []
    for node in nodes:
        if node.kind == "out" and node.expr:
            if node.expr.path and node.expr.path[0] not in local:
                found.append(node.expr)
        elif node.kind == "if":
            for cond, body in node.branches:
                if cond and cond.expr.path and cond.expr.path[0] not in local:
                    found.append(cond.expr)
                found += _walk_exprs(body, local)
        elif node.kind == "for" and node.expr:
            if node.expr.path and node.expr.path[0] not in local:
                found.append(node.expr)
            found += _walk_exprs(node.body, local | {node.var})
    return found


def variables(template: str) -> set[str]:
    """Every context variable a template refers to, as dotted names."""
    return {expr.name for expr in _walk_exprs(parse(template), frozenset())}


def lookup(path: tuple[str, ...], scope: Mapping[str, object]) -> tuple[object, object]:
    """(value, the dict holding it) walking only plain dicts and lists; _MISSING if absent."""
    current: object = scope
    parent: object = None
    for segment in path:
        parent = current
        if isinstance(current, dict) and segment in current:
            current = current[segment]
        elif (
            isinstance(current, list | tuple) and segment.isdigit() and int(segment) < len(current)
        ):
            current = current[int(segment)]
        else:
            return _MISSING, None
    return current, parent


def is_empty(value: object) -> bool:
    """Missing, None, blank text or an empty collection: nothing worth sending."""
    if value is _MISSING or value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple | dict) and not value


@dataclass
class _Run:
    settings: FilterContext
    fallbacks: Mapping[str, str]
    missing: list[str] = field(default_factory=list)

    @property
    def locale(self) -> Locale:
        return self.settings.locale


def _evaluate(expr: Expr, scope: Mapping[str, object], run: _Run) -> tuple[object, bool]:
    """(value, is_missing); filters see the value and the dict that held it."""
    if expr.path is None:
        value: object = expr.literal
        parent: object = None
    else:
        value, parent = lookup(expr.path, scope)
    defaulted = False  # a default given in the template may be empty on purpose
    for name, args in expr.filters:
        if name == "default":
            if is_empty(value):
                value, defaulted = (args[0] if args else ""), True
            continue
        if is_empty(value):
            continue
        try:
            value = FILTERS[name](value, parent, args, run.settings)
        except FilterError as error:
            raise TemplateError(f"{expr.name}: {error}") from error
    if is_empty(value) and expr.path and expr.name in run.fallbacks:
        return run.fallbacks[expr.name], False
    return value, is_empty(value) and not defaulted


def _to_text(value: object, name: str, run: _Run) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float) or to_decimal(value) is not None:
        return str(value)
    if isinstance(value, list | tuple):
        return join_list([_to_text(item, name, run) for item in value], run.locale)
    raise TemplateError(f"{name} is a group of values; name one of its fields")


def _truthy(cond: Cond, scope: Mapping[str, object], run: _Run) -> bool:
    value, missing = _evaluate(cond.expr, scope, run)
    if cond.compare is None:
        result = not missing and not is_empty(value) and value is not False
    else:
        operator, literal = cond.compare
        equal = not missing and _to_text(value, cond.expr.name, run) == literal
        result = equal if operator == "==" else not equal
    return not result if cond.negate else result


def _render_nodes(
    nodes: tuple[Node, ...] | list[Node], scope: Mapping[str, object], run: _Run
) -> str:
    out: list[str] = []
    for node in nodes:
        if node.kind == "text":
            out.append(node.text)
        elif node.kind == "out" and node.expr:
            value, missing = _evaluate(node.expr, scope, run)
            if missing:
                run.missing.append(node.expr.name)
            else:
                out.append(_to_text(value, node.expr.name, run))
        elif node.kind == "if":
            for cond, body in node.branches:
                if cond is None or _truthy(cond, scope, run):
                    out.append(_render_nodes(body, scope, run))
                    break
        elif node.kind == "for" and node.expr:
            items, missing = _evaluate(node.expr, scope, run)
            if not missing and isinstance(items, list | tuple):
                for item in items:
                    out.append(_render_nodes(node.body, {**scope, node.var: item}, run))
    return "".join(out)


def render(
    template: str,
    context: Mapping[str, object],
    *,
    locale: str | Locale = "en",
    fallbacks: Mapping[str, str] | None = None,
) -> str:
    """Fill a template; raises MissingVariable naming every unresolved or empty value.

    ``fallbacks`` maps dotted names to text the user agreed to send instead.
    """
    chosen = locale if isinstance(locale, Locale) else Locale.parse(locale)
    run = _Run(FilterContext(context, chosen), fallbacks or {})
    text = _render_nodes(parse(template), context, run)
    if run.missing:
        raise MissingVariable(run.missing)
    return text
