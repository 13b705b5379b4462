"""The plumbing the fake shop and chat servers share: a threaded loopback HTTP(S) server,
a log of every request as received, and scripted failures.

A fake subclass implements ``handle(request) -> Reply``. Tests script failures with
``fail_next(Reply(...))``: the next matching requests get those replies instead.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """One request exactly as the fake received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Reply:
    """What the fake answers: status, headers and a body (JSON-encoded unless bytes)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if self.body is None:
            return b""
        return json.dumps(self.body, ensure_ascii=False).encode()


@dataclass
class Scripted:
    reply: Reply
    when: Callable[[Request], bool]


class FakeServer:
    """Base of the fakes: start() in a daemon thread on 127.0.0.1:0, stop() when done."""

    def __init__(self, *, tls_cert: Path | None = None, tls_key: Path | None = None) -> None:
        self.requests: list[Request] = []
        self.lock = threading.RLock()
        self._scripted: deque[Scripted] = deque()
        self._tls = (tls_cert, tls_key) if tls_cert and tls_key else None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None
        scheme = "https" if self._tls else "http"
        return f"{scheme}://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One buffered write per response: headers and body written separately meet
            # the client's delayed ACK and cost 40 ms a request on loopback.
            wbufsize = 1 << 16

            def log_message(self, format: str, *args: Any) -> None:
                del format, args

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                request = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                reply = fake.dispatch(request)
                data = reply.encoded()
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json; charset=UTF-8", **reply.headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if self._tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(self._tls[0]), str(self._tls[1]))
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- scripting -----------------------------------------------------------

    def fail_next(
        self, reply: Reply, *, times: int = 1, when: Callable[[Request], bool] | None = None
    ) -> None:
        """Answer the next ``times`` requests (that ``when`` accepts) with ``reply``."""
        with self.lock:
            for _ in range(times):
                self._scripted.append(Scripted(reply, when or (lambda _r: True)))

    def clear_failures(self) -> None:
        """Forget scripted replies that were not used (the server is healthy again)."""
        with self.lock:
            self._scripted.clear()

    def dispatch(self, request: Request) -> Reply:
        with self.lock:
            self.requests.append(request)
            for scripted in list(self._scripted):
                if scripted.when(request):
                    self._scripted.remove(scripted)
                    return scripted.reply
        try:
            return self.handle(request)
        except Exception as error:  # a bug in the fake must show up as a 500, not a hang
            return Reply(500, {"error": f"fake server bug: {error!r}"})

    def handle(self, request: Request) -> Reply:
        raise NotImplementedError

    def requests_to(self, suffix: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path.endswith(suffix)]
