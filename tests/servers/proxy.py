"""A loopback TCP proxy that counts bytes and round trips, throttles, and can cut the line.

Used by the sync tests (round trips of a no-change resync, a connection dropped in the
middle of a FETCH) and by ``bench/`` (a simulated 64 kbit/s link with 250 ms each way).

A "round trip" is counted each time the client sends after the server has sent: the
client had to wait for an answer before it could go on.
"""

from __future__ import annotations

import heapq
import itertools
import select
import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass
class LinkStats:
    """What crossed the proxy since the last ``reset``."""

    up: int = 0  # client -> server bytes
    down: int = 0  # server -> client bytes
    round_trips: int = 0
    connections: int = 0
    _last_direction: str = "down"
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, direction: str, size: int) -> None:
        with self._lock:
            if direction == "up":
                self.up += size
                if self._last_direction == "down":
                    self.round_trips += 1
            else:
                self.down += size
            self._last_direction = direction

    def reset(self) -> None:
        with self._lock:
            self.up = self.down = self.round_trips = self.connections = 0
            self._last_direction = "down"


class _Pipe:
    """One direction of one connection: rate limit, delay, optional cut after N bytes."""

    def __init__(
        self, proxy: ThrottlingProxy, direction: str, src: socket.socket, dst: socket.socket
    ) -> None:
        self.proxy = proxy
        self.direction = direction
        self.src = src
        self.dst = dst
        self.sent = 0
        self.garbling = False  # this connection's bytes are being corrupted

    def run(self) -> None:
        rate = self.proxy.rate
        delay = self.proxy.delay
        free_at = time.monotonic()  # when the simulated link finishes sending the last chunk
        queue: list[tuple[float, int, bytes]] = []
        counter = itertools.count()
        try:
            while True:
                chunk = self.src.recv(16384 if rate is None else max(256, int(rate // 20)))
                if not chunk:
                    break
                if self.garbling:
                    chunk = b"\xff" * len(chunk)  # never valid DEFLATE (reserved block type)
                elif (marker := self.proxy.garble_after.get(self.direction)) and marker in chunk:
                    self.garbling = True  # everything after this chunk, on this connection
                pattern = self.proxy.cut_on.get(self.direction)
                if pattern is not None and pattern in chunk:
                    self.proxy.cut_now()  # the chunk never arrives, as on a dropped link
                    return
                cut = self.proxy.cut_after.get(self.direction)
                if cut is not None and self.proxy.total(self.direction) + len(chunk) >= cut:
                    keep = max(0, cut - self.proxy.total(self.direction))
                    if keep:
                        self.dst.sendall(chunk[:keep])
                    self.proxy.stats.record(self.direction, keep)
                    self.proxy.cut_now()
                    return
                self.proxy.stats.record(self.direction, len(chunk))
                if rate is None and not delay:
                    self.dst.sendall(chunk)
                    continue
                now = time.monotonic()
                start = max(now, free_at)
                free_at = start + (len(chunk) / rate if rate else 0.0)
                heapq.heappush(queue, (free_at + delay, next(counter), chunk))
                # Deliver everything due; a one-way delay keeps the pipe full, as a real link does.
                while queue:
                    due = queue[0][0]
                    wait = due - time.monotonic()
                    if wait <= 0:
                        self.dst.sendall(heapq.heappop(queue)[2])
                    elif self._more_waiting(wait):
                        break  # read on; a one-way delay keeps the pipe full, as on a real link
            while queue:
                due, _, data = heapq.heappop(queue)
                time.sleep(max(0.0, due - time.monotonic()))
                self.dst.sendall(data)
        except (OSError, ValueError):  # ValueError: select on a socket cut_now closed
            pass
        finally:
            for sock in (self.dst, self.src):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _more_waiting(self, wait: float) -> bool:
        """Whether the source has more bytes ready before ``wait`` seconds pass."""
        readable, _, _ = select.select([self.src], [], [], wait)
        return bool(readable)


class ThrottlingProxy:
    """Listens on 127.0.0.1:<port> and forwards to ``target``; start() / stop()."""

    def __init__(
        self,
        target: tuple[str, int],
        *,
        rate: float | None = None,
        delay: float = 0.0,
    ) -> None:
        self.target = target
        self.rate = rate  # bytes per second each way, None = unlimited
        self.delay = delay  # one-way delay in seconds
        self.stats = LinkStats()
        self.cut_after: dict[str, int] = {}
        self.cut_on: dict[str, bytes] = {}
        self.garble_after: dict[str, bytes] = {}
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = int(self._listener.getsockname()[1])
        self.host = "127.0.0.1"
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._stopping = False
        self._lock = threading.Lock()

    def total(self, direction: str) -> int:
        return self.stats.up if direction == "up" else self.stats.down

    def cut_connections_after(self, *, down: int | None = None, up: int | None = None) -> None:
        """Drop every connection once this many more bytes (from now) crossed that way."""
        self.cut_after = {}
        if down is not None:
            self.cut_after["down"] = self.stats.down + down
        if up is not None:
            self.cut_after["up"] = self.stats.up + up

    def cut_when_sent(self, pattern: bytes, *, direction: str = "up") -> None:
        """Drop every connection when ``pattern`` shows up in one read of that direction
        (plaintext sessions only: DEFLATE hides it)."""
        self.cut_on = {direction: pattern}

    def garble_after_seen(self, pattern: bytes, *, direction: str = "down") -> None:
        """On each connection, replace every byte after the read that held ``pattern``
        (e.g. a server's "OK Begin compression": a box that breaks compressed streams)."""
        self.garble_after = {direction: pattern}

    def cut_now(self) -> None:
        """Reset every open connection, as a dropped mobile link would."""
        self.cut_after = {}
        self.cut_on = {}
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def start(self) -> ThrottlingProxy:
        thread = threading.Thread(target=self._accept_loop, daemon=True, name="proxy-accept")
        thread.start()
        self._threads.append(thread)
        return self

    def _accept_loop(self) -> None:
        while not self._stopping:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=10)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._sockets += [client, upstream]
            self.stats.connections += 1
            for direction, src, dst in (("up", client, upstream), ("down", upstream, client)):
                pipe = _Pipe(self, direction, src, dst)
                thread = threading.Thread(target=pipe.run, daemon=True, name=f"proxy-{direction}")
                thread.start()
                self._threads.append(thread)

    def stop(self) -> None:
        self._stopping = True
        self._listener.close()
        self.cut_now()
        for thread in self._threads:
            thread.join(timeout=2)

    def __enter__(self) -> ThrottlingProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
