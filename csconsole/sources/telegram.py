"""Telegram Bot API (and Telegram-compatible bot APIs such as Bale): updates, sending, files.

``getUpdates`` long polling: an update counts as confirmed once we ask with an
offset above its id, so the sync stores messages *and* the next offset in one
transaction before asking again — a crash re-reads, never loses. Only one poller
may use a token; a second gets HTTP 409, reported as such.

Private chats with the bot and ``business_message`` updates (a Telegram Business
account that connected the bot to its own customer chats) become conversations.
Photos and documents are listed by ``file_id`` and downloaded only on request.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from csconsole.domain.models import Direction, NewAttachment, NewMessage
from csconsole.domain.text import sanitize
from csconsole.sources.http_client import (
    ClientError,
    HttpClient,
    MalformedResponseError,
    SourceError,
    parse_json,
)

ALLOWED_UPDATES = ("message", "business_message", "business_connection")
MAX_TEXT = 4096


class TelegramConflictError(SourceError):
    """Another program polls this bot token (HTTP 409)."""


@dataclass(frozen=True)
class ChatMessage:
    """One message of a private or business chat, ready for the store."""

    update_id: int
    chat_id: str
    chat_name: str
    username: str
    language: str | None
    business_connection_id: str | None
    message: NewMessage


@dataclass
class TelegramClient:
    """One bot token against one Bot API server."""

    token: str
    api_url: str = "https://api.telegram.org"
    timeout: float = 35.0
    poll_timeout: int = 25
    ca_file: str | None = None
    sleep: Callable[[float], None] = time.sleep
    http: HttpClient = field(init=False)

    def __post_init__(self) -> None:
        self.api_url = self.api_url.rstrip("/")
        self.http = HttpClient(
            name=f"Telegram bot API {self.api_url}",
            timeout=max(self.timeout, self.poll_timeout + 10.0),
            ca_file=self.ca_file,
            sleep=self.sleep,
        )

    def close(self) -> None:
        self.http.close()

    def call(self, method: str, params: Mapping[str, Any] | None = None) -> Any:
        """Call a Bot API method; returns ``result`` or raises with Telegram's description."""
        try:
            response = self.http.request(
                "POST",
                f"{self.api_url}/bot{self.token}/{method}",
                json=dict(params or {}),
                idempotent=method != "sendMessage",
            )
        except ClientError as error:
            if error.status == 409:
                raise TelegramConflictError(
                    f"{self.http.name}: another program is reading this bot's updates "
                    f"(HTTP 409: {error.detail}); stop it, or remove the bot's webhook"
                ) from error
            raise
        body = parse_json(response, self.http.name)
        if not isinstance(body, Mapping) or "ok" not in body:
            raise MalformedResponseError(f"{self.http.name}: {method} answer lacks 'ok'")
        if not body["ok"]:
            raise ClientError(
                f"{self.http.name}: {method} failed: {sanitize(str(body.get('description')))}",
                int(body.get("error_code") or 400),
                sanitize(str(body.get("description") or "")),
            )
        return body.get("result")

    def get_updates(
        self, offset: int | None, *, timeout: int | None = None
    ) -> list[dict[str, Any]]:
        """Updates after ``offset`` (waiting up to ``timeout`` seconds for the first one)."""
        params: dict[str, Any] = {
            "timeout": self.poll_timeout if timeout is None else timeout,
            "limit": 100,
            "allowed_updates": list(ALLOWED_UPDATES),
        }
        if offset is not None:
            params["offset"] = offset
        result = self.call("getUpdates", params)
        if not isinstance(result, list) or not all(
            isinstance(u, dict) and isinstance(u.get("update_id"), int) for u in result
        ):
            raise MalformedResponseError(f"{self.http.name}: getUpdates result is malformed")
        return result

    def send_message(
        self,
        chat_id: str | int,
        text: str,
        reply_to_message_id: int | None = None,
        business_connection_id: str | None = None,
    ) -> int:
        """Send text (split at Telegram's 4096 characters); returns the first message's id."""
        first_id: int | None = None
        for index, chunk in enumerate(_chunks(text)):
            params: dict[str, Any] = {"chat_id": chat_id, "text": chunk}
            if reply_to_message_id is not None and index == 0:
                params["reply_parameters"] = {
                    "message_id": reply_to_message_id,
                    "allow_sending_without_reply": True,
                }
            if business_connection_id:
                params["business_connection_id"] = business_connection_id
            result = self.call("sendMessage", params)
            if not isinstance(result, Mapping) or not isinstance(result.get("message_id"), int):
                raise MalformedResponseError(f"{self.http.name}: sendMessage gave no message_id")
            if first_id is None:
                first_id = int(result["message_id"])
        assert first_id is not None
        return first_id

    def fetch_file(self, file_id: str) -> bytes:
        """Download an attachment listed by ``file_id`` (``getFile`` then the file URL)."""
        result = self.call("getFile", {"file_id": file_id})
        if not isinstance(result, Mapping) or not isinstance(result.get("file_path"), str):
            raise MalformedResponseError(f"{self.http.name}: getFile gave no file_path")
        response = self.http.request(
            "GET", f"{self.api_url}/file/bot{self.token}/{result['file_path']}"
        )
        return response.content


def _chunks(text: str) -> list[str]:
    if not text:
        raise ValueError("Telegram cannot send an empty message")
    return [text[start : start + MAX_TEXT] for start in range(0, len(text), MAX_TEXT)]


def _attachments(message: Mapping[str, Any]) -> tuple[NewAttachment, ...]:
    found: list[NewAttachment] = []
    photos = message.get("photo")
    if isinstance(photos, list) and photos:
        biggest = max(photos, key=lambda p: int(p.get("file_size") or p.get("width") or 0))
        found.append(
            NewAttachment(
                part=str(biggest["file_id"]),
                filename=f"photo-{biggest.get('file_unique_id', 'image')}.jpg",
                content_type="image/jpeg",
                size=int(biggest.get("file_size") or 0),
            )
        )
    for kind, default_type in (
        ("document", "application/octet-stream"),
        ("video", "video/mp4"),
        ("voice", "audio/ogg"),
        ("audio", "audio/mpeg"),
    ):
        item = message.get(kind)
        if isinstance(item, Mapping) and item.get("file_id"):
            found.append(
                NewAttachment(
                    part=str(item["file_id"]),
                    filename=sanitize(str(item.get("file_name") or f"{kind}"))[:200],
                    content_type=str(item.get("mime_type") or default_type),
                    size=int(item.get("file_size") or 0),
                )
            )
    return tuple(found)


def _person_name(person: Mapping[str, Any]) -> str:
    parts = (person.get("first_name"), person.get("last_name"))
    return sanitize(" ".join(str(p) for p in parts if p)) or sanitize(
        str(person.get("title") or "")
    )


def map_update(update: Mapping[str, Any]) -> ChatMessage | None:
    """A private-chat or business message → a chat message; other updates → None."""
    message = update.get("message") or update.get("business_message")
    if not isinstance(message, Mapping):
        return None
    chat = message.get("chat")
    if not isinstance(chat, Mapping) or chat.get("type") != "private":
        return None  # groups and channels are not customer conversations
    sender = message.get("from") if isinstance(message.get("from"), Mapping) else {}
    assert isinstance(sender, Mapping)
    chat_id = str(chat["id"])
    direction = Direction.IN if str(sender.get("id", chat_id)) == chat_id else Direction.OUT
    username = sanitize(str(chat.get("username") or ""))
    text = sanitize(str(message.get("text") or message.get("caption") or ""), multiline=True)
    sent_at = datetime.fromtimestamp(int(message.get("date") or 0), UTC)
    reply_to = message.get("reply_to_message")
    return ChatMessage(
        update_id=int(update["update_id"]),
        chat_id=chat_id,
        chat_name=_person_name(chat) or username,
        username=username,
        language=str(sender.get("language_code")) if sender.get("language_code") else None,
        business_connection_id=(
            str(message["business_connection_id"])
            if message.get("business_connection_id")
            else None
        ),
        message=NewMessage(
            direction=direction,
            sent_at=sent_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            body_text=text,
            from_name=_person_name(sender),
            from_addr=f"@{sender['username']}" if sender.get("username") else str(sender.get("id")),
            external_id=f"{chat_id}:{message['message_id']}",
            in_reply_to=(
                f"{chat_id}:{reply_to['message_id']}" if isinstance(reply_to, Mapping) else None
            ),
            language=str(sender.get("language_code")) if sender.get("language_code") else None,
            size=len(text.encode()),
            seen=direction is not Direction.IN,
            headers=json.dumps({"update_id": update["update_id"]}),
            attachments=_attachments(message),
        ),
    )


def map_updates(updates: Sequence[Mapping[str, Any]]) -> list[ChatMessage]:
    """Map a batch, skipping updates that are not customer chat messages."""
    try:
        return [m for m in (map_update(u) for u in updates) if m is not None]
    except (KeyError, TypeError, ValueError) as error:
        raise MalformedResponseError(
            f"a Telegram update is not in the documented shape: {error}"
        ) from error
