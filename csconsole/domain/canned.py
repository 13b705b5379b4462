"""Canned responses as readable TOML files: parsing, validation and language choice.

One file holds any number of responses, so a team can keep them in git grouped by
topic::

    [[response]]
    id = "shipping/where-is-my-order"
    title = "Where is my order?"
    shortcut = "wism"
    intent = "shipping/where-is-my-order"   # reports count replies by intent
    tags = ["shipping"]
    actions = { status = "pending", snooze = "3d", add_tags = ["wism"], link_order = true }
    subject.en = "Your order {{ order.number }}"
    body.en = "Hi {{ customer.first_name }}, ..."
    body.fa = "..."

Every error names the file and the key (``returns.toml: response[3].body.fa``),
and templates are parsed up front so a broken one never reaches a customer.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from csconsole.domain.templates import TemplateSyntaxError, parse

STATUSES = ("open", "pending", "closed")
_ID = re.compile(r"[a-z0-9][a-z0-9_/-]*")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_SNOOZE = re.compile(r"\d+\s*[mhdw]|tomorrow|next[ _]week")
_RESPONSE_KEYS = {"id", "title", "shortcut", "intent", "tags", "actions", "subject", "body"}
_ACTION_KEYS = {"status", "snooze", "add_tags", "link_order"}

LANGUAGE_NAMES = {"en": "English", "ar": "Arabic", "fa": "Persian", "fr": "French", "tr": "Turkish"}


class CannedError(ValueError):
    """A canned-response file is wrong; ``str()`` names the file, the key and the fix."""

    def __init__(self, file: str, key: str, message: str) -> None:
        self.file, self.key, self.message = file, key, message
        super().__init__(f"{file}: {key}: {message}" if key else f"{file}: {message}")


@dataclass(frozen=True)
class CannedActions:
    """What applying the macro does besides writing text (applied when the reply is sent)."""

    status: str | None = None
    snooze: str | None = None  # a span such as '3d' (see domain.snooze.parse_snooze)
    add_tags: tuple[str, ...] = ()
    link_order: bool = False

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {}
        if self.status:
            data["status"] = self.status
        if self.snooze:
            data["snooze"] = self.snooze
        if self.add_tags:
            data["add_tags"] = list(self.add_tags)
        if self.link_order:
            data["link_order"] = True
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> CannedActions:
        tags = data.get("add_tags") or []
        return cls(
            status=str(data["status"]) if data.get("status") else None,
            snooze=str(data["snooze"]) if data.get("snooze") else None,
            add_tags=tuple(str(tag) for tag in tags) if isinstance(tags, list) else (),
            link_order=bool(data.get("link_order")),
        )


@dataclass(frozen=True)
class CannedResponse:
    """One response with a body per language."""

    id: str
    title: str
    bodies: Mapping[str, str]
    subjects: Mapping[str, str] = field(default_factory=dict)
    shortcut: str | None = None
    intent: str | None = None
    tags: tuple[str, ...] = ()
    actions: CannedActions = CannedActions()
    source_file: str | None = None


@dataclass(frozen=True)
class Variant:
    """The body chosen for a customer and, when it is not their language, why."""

    language: str
    body: str
    subject: str | None
    fallback_note: str | None  # shown to the agent: "No Persian version; using English"


def _text(value: object, file: str, key: str, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise CannedError(file, key, "expected non-empty text")
    return value


def _string_list(value: object, file: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CannedError(file, key, 'expected a list of text, e.g. ["shipping"]')
    return tuple(v.strip() for v in value)


def _per_language(value: object, file: str, key: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CannedError(file, key, "expected one entry per language, e.g. body.en = '...'")
    result: dict[str, str] = {}
    for language, text in value.items():
        if not _LANGUAGE.fullmatch(language):
            raise CannedError(file, f"{key}.{language}", "is not a language tag (en, ar, fa...)")
        checked = _text(text, file, f"{key}.{language}")
        try:
            parse(checked or "")
        except TemplateSyntaxError as error:
            raise CannedError(file, f"{key}.{language}", f"template {error}") from error
        result[language] = checked or ""
    return result


def _actions(value: object, file: str, key: str) -> CannedActions:
    if value is None:
        return CannedActions()
    if not isinstance(value, dict):
        raise CannedError(file, key, "expected a table: actions = { status = 'pending' }")
    unknown = set(value) - _ACTION_KEYS
    if unknown:
        known = ", ".join(sorted(_ACTION_KEYS))
        raise CannedError(file, f"{key}.{sorted(unknown)[0]}", f"unknown action; known: {known}")
    status = _text(value.get("status"), file, f"{key}.status", required=False)
    if status is not None and status not in STATUSES:
        raise CannedError(file, f"{key}.status", f"expected one of {', '.join(STATUSES)}")
    snooze = _text(value.get("snooze"), file, f"{key}.snooze", required=False)
    if snooze is not None and not _SNOOZE.fullmatch(snooze.strip().lower()):
        raise CannedError(file, f"{key}.snooze", "expected a span like 4h, 3d, 1w or tomorrow")
    link = value.get("link_order", False)
    if not isinstance(link, bool):
        raise CannedError(file, f"{key}.link_order", "expected true or false")
    return CannedActions(
        status=status,
        snooze=snooze,
        add_tags=_string_list(value.get("add_tags"), file, f"{key}.add_tags"),
        link_order=link,
    )


def parse_response(data: Mapping[str, object], file: str, key: str) -> CannedResponse:
    """One ``[[response]]`` table, validated."""
    unknown = set(data) - _RESPONSE_KEYS
    if unknown:
        known = ", ".join(sorted(_RESPONSE_KEYS))
        raise CannedError(file, f"{key}.{sorted(unknown)[0]}", f"unknown key; known: {known}")
    response_id = _text(data.get("id"), file, f"{key}.id") or ""
    if not _ID.fullmatch(response_id):
        raise CannedError(file, f"{key}.id", "use lower-case letters, digits, '-', '_' and '/'")
    shortcut = _text(data.get("shortcut"), file, f"{key}.shortcut", required=False)
    if shortcut is not None and (not shortcut.strip() or " " in shortcut.strip()):
        raise CannedError(file, f"{key}.shortcut", "expected one word without spaces")
    intent = _text(data.get("intent"), file, f"{key}.intent", required=False)
    if intent is not None and not re.fullmatch(r"[a-z0-9_-]+(/[a-z0-9_-]+)+", intent):
        raise CannedError(file, f"{key}.intent", "expected area/name, e.g. refund/request")
    bodies = _per_language(data.get("body"), file, f"{key}.body")
    if not bodies:
        raise CannedError(file, f"{key}.body", "needs at least one language: body.en = '...'")
    subjects = _per_language(data.get("subject"), file, f"{key}.subject")
    for language in subjects:
        if language not in bodies:
            raise CannedError(file, f"{key}.subject.{language}", "has no body in that language")
    return CannedResponse(
        id=response_id,
        title=(_text(data.get("title"), file, f"{key}.title") or "").strip(),
        bodies=bodies,
        subjects=subjects,
        shortcut=shortcut.strip() if shortcut else None,
        intent=intent,
        tags=_string_list(data.get("tags"), file, f"{key}.tags"),
        actions=_actions(data.get("actions"), file, f"{key}.actions"),
        source_file=file,
    )


def parse_canned(text: str, file: str) -> list[CannedResponse]:
    """Every response in one file's text; raises CannedError naming file and key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CannedError(file, "", f"not valid TOML: {error}") from error
    extra = set(data) - {"response"}
    if extra:
        raise CannedError(file, sorted(extra)[0], "unknown key; write each one as [[response]]")
    tables = data.get("response", [])
    if not isinstance(tables, list):
        raise CannedError(file, "response", "write each response as [[response]]")
    return [
        parse_response(table, file, f"response[{index}]") for index, table in enumerate(tables, 1)
    ]


def check_unique(responses: Iterable[CannedResponse]) -> None:
    """Ids and shortcuts must be unique across all files (the later file is named)."""
    seen_ids: dict[str, str] = {}
    seen_shortcuts: dict[str, str] = {}
    for response in responses:
        where = response.source_file or "?"
        if response.id in seen_ids:
            raise CannedError(where, "id", f"{response.id!r} is also in {seen_ids[response.id]}")
        seen_ids[response.id] = where
        if response.shortcut:
            other = seen_shortcuts.get(response.shortcut)
            if other:
                raise CannedError(
                    where, "shortcut", f"{response.shortcut!r} is also used by {other}"
                )
            seen_shortcuts[response.shortcut] = response.id


def language_name(tag: str) -> str:
    return LANGUAGE_NAMES.get(tag.split("-")[0], tag)


def pick_variant(
    bodies: Mapping[str, str],
    subjects: Mapping[str, str],
    language: str | None,
    fallbacks: tuple[str, ...] = ("en",),
) -> Variant:
    """The customer's language if we have it, else the first fallback, with a visible note."""
    wanted = (language or "").strip()
    candidates = [wanted, wanted.split("-")[0]] if wanted else []
    for candidate in candidates:
        if candidate in bodies:
            return Variant(candidate, bodies[candidate], subjects.get(candidate), None)
    for candidate in (*fallbacks, *sorted(bodies)):
        if candidate in bodies:
            note = None
            if wanted:
                note = f"No {language_name(wanted)} version; using {language_name(candidate)}"
            return Variant(candidate, bodies[candidate], subjects.get(candidate), note)
    raise ValueError("a canned response without bodies")
