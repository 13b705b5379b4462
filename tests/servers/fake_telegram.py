"""A loopback Telegram Bot API: getUpdates, sendMessage, getFile and file downloads.

As documented: ``/bot<token>/<method>`` answering ``{"ok": true, "result": …}`` or
``{"ok": false, "error_code": …, "description": …, "parameters"?: {"retry_after": …}}``;
an update is confirmed (and forgotten) once getUpdates is called with a higher
``offset``; long polling waits for the first update up to ``timeout`` seconds
(capped by ``max_wait`` so tests stay fast); ``allowed_updates`` filters types.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path
from typing import Any

from tests.servers.fake_http import FakeServer, Reply, Request

FIXTURES = Path(__file__).parent.parent / "fixtures" / "shops"
CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)


def fixture_updates() -> list[dict[str, Any]]:
    return list(json.loads((FIXTURES / "telegram_updates.json").read_text(encoding="utf-8")))


def tg_error(code: int, description: str, retry_after: int | None = None) -> Reply:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return Reply(code, body)


class FakeTelegram(FakeServer):
    """State: pending updates, sent messages, files by id."""

    def __init__(
        self,
        updates: list[dict[str, Any]] | None = None,
        *,
        token: str = "123456:TEST-token",
        max_wait: float = 0.5,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.token = token
        self.updates: list[dict[str, Any]] = list(updates or [])
        self.sent: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}
        self.max_wait = max_wait
        self._arrived = threading.Condition(self.lock)
        self._next_message_id = 1000
        self._last_update_id = max([u["update_id"] for u in self.updates], default=99)

    def push(self, update: dict[str, Any]) -> None:
        """A new update arrives (wakes a waiting long poll)."""
        with self._arrived:
            self._last_update_id += 1
            self.updates.append({"update_id": self._last_update_id, **update})
            self._arrived.notify_all()

    def handle(self, request: Request) -> Reply:
        match = re.fullmatch(r"/(file/)?bot([^/]+)/(.+)", request.path)
        if not match or match.group(2) != self.token:
            return tg_error(401, "Unauthorized") if match else tg_error(404, "Not Found")
        if match.group(1):
            data = self.files.get(match.group(3))
            if data is None:
                return tg_error(404, "Not Found")
            return Reply(200, data, {"Content-Type": "application/octet-stream"})
        params = request.json() if request.body else {}
        method = match.group(3)
        if method == "getUpdates":
            return self._get_updates(params or {})
        if method == "sendMessage":
            return self._send(params or {})
        if method == "getFile":
            return self._get_file(params or {})
        return tg_error(404, "Not Found: method not found")

    def _get_updates(self, params: dict[str, Any]) -> Reply:
        offset = params.get("offset")
        allowed = params.get("allowed_updates") or ["message", "business_message"]
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), self.max_wait)
        with self._arrived:
            if offset is not None:
                self.updates = [u for u in self.updates if u["update_id"] >= int(offset)]
            while True:
                ready = [u for u in self.updates if any(k in u for k in allowed)]
                left = deadline - time.monotonic()
                if ready or left <= 0:
                    break
                self._arrived.wait(left)
        limit = int(params.get("limit") or 100)
        return Reply(200, {"ok": True, "result": ready[:limit]})

    def _send(self, params: dict[str, Any]) -> Reply:
        text = str(params.get("text") or "")
        if not text:
            return tg_error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return tg_error(400, "Bad Request: message is too long")
        with self.lock:
            self._next_message_id += 1
            self.sent.append(params)
            message_id = self._next_message_id
        message = {
            "message_id": message_id,
            "from": {"id": 123456, "is_bot": True, "first_name": "Shop bot"},
            "chat": {"id": params["chat_id"], "type": "private"},
            "date": int(time.time()),
            "text": text,
        }
        if params.get("business_connection_id"):
            message["business_connection_id"] = params["business_connection_id"]
        return Reply(200, {"ok": True, "result": message})

    def _get_file(self, params: dict[str, Any]) -> Reply:
        file_id = str(params.get("file_id") or "")
        path = f"documents/{file_id}.bin"
        if path not in self.files:
            return tg_error(400, "Bad Request: invalid file_id")
        result = {
            "file_id": file_id,
            "file_unique_id": file_id[-6:],
            "file_size": len(self.files[path]),
            "file_path": path,
        }
        return Reply(200, {"ok": True, "result": result})
