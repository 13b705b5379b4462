"""The byte pipe under imapclient: our own buffered reads, TLS, COMPRESS=DEFLATE, counters.

imaplib reads through ``sock.makefile()``, whose reader becomes unusable after one
timeout and cannot be wrapped for compression (and is a read-only property on 3.14).
This class overrides ``read``/``readline``/``send`` instead, keeping every received byte
in its own buffer: a read timeout loses nothing, decompressed data is never stranded,
and text a server pushes after ``OK STARTTLS`` (response injection) is detected.
"""

from __future__ import annotations

import contextlib
import imaplib
import select
import socket
import ssl
import zlib
from collections.abc import Iterator
from typing import Any

# imaplib refuses commands it does not know.
imaplib.Commands.setdefault("COMPRESS", ("AUTH", "SELECTED"))
imaplib.Commands.setdefault("ENABLE", ("AUTH",))

_RECV_SIZE = 65536
_MAXLINE = 1_000_000  # imaplib's own limit on one response line
_INFLATE_STEP = 1 << 20  # bound each decompression step: a hostile stream cannot balloon


class ImapTransportError(Exception):
    """The connection misbehaved at the byte level (injection, broken DEFLATE stream)."""


class CompressionFailed(imaplib.IMAP4.abort):
    """The link broke before the first compressed answer arrived: the server (or a box
    on the way) cannot do COMPRESS=DEFLATE although it offered it. Reconnect without."""


class BufferedIMAP4(imaplib.IMAP4):
    """imaplib.IMAP4 over a socket we read ourselves; optionally TLS from the first byte."""

    def __init__(
        self, host: str, port: int, *, ssl_context: ssl.SSLContext | None, timeout: float
    ) -> None:
        self._ssl_context = ssl_context
        self._io_timeout = timeout
        self._rbuf = bytearray()
        self._inflate: zlib._Decompress | None = None
        self._deflate: zlib._Compress | None = None
        self.wire_in = 0  # bytes as they crossed the network (compressed when DEFLATE is on)
        self.wire_out = 0
        self._corked: list[bytes] | None = None
        self._compress_proven = True  # False from COMPRESS OK until a compressed line decodes
        self.compression_broke: str | None = None
        super().__init__(host, port, timeout=timeout)

    # --- socket ---------------------------------------------------------------------------
    def _create_socket(self, timeout: float | None = None) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout or self._io_timeout)
        # Commands are small and latency-bound: never let Nagle hold a line back an RTT.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        if self._ssl_context is not None:
            sock = self._ssl_context.wrap_socket(sock, server_hostname=self.host)
        return sock

    def open(self, host: str = "", port: int = 143, timeout: float | None = None) -> None:
        self.host = host
        self.port = port
        self.sock = self._create_socket(timeout)
        self.sock.settimeout(self._io_timeout)

    def shutdown(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        finally:
            self.sock.close()

    # --- reading --------------------------------------------------------------------------
    def _fill(self) -> bool:
        """Append at least one byte of plaintext to the buffer; False at end of stream."""
        while True:
            if self._inflate is not None and self._inflate.unconsumed_tail:
                data = self._inflate.decompress(self._inflate.unconsumed_tail, _INFLATE_STEP)
            else:
                try:
                    raw = self.sock.recv(_RECV_SIZE)
                except OSError as error:
                    self._unproven_compression(f"{type(error).__name__}: {error}")
                    raise
                if not raw:
                    self._unproven_compression("the server closed the connection")
                    return False
                self.wire_in += len(raw)
                if self._inflate is None:
                    self._rbuf += raw
                    return True
                try:
                    data = self._inflate.decompress(raw, _INFLATE_STEP)
                except zlib.error as error:
                    self._unproven_compression(f"broken DEFLATE stream: {error}")
                    raise self.abort(f"broken DEFLATE stream: {error}") from error
            if data:
                self._rbuf += data
                return True

    def _unproven_compression(self, why: str) -> None:
        if self._inflate is not None and not self._compress_proven:
            self.compression_broke = f"the first compressed exchange failed: {why}"
            raise CompressionFailed(self.compression_broke)

    def _command_complete(self, name: str, tag: Any) -> tuple[str, list[bytes]]:
        # imaplib re-raises every abort as a plain one; keep ours recognisable.
        try:
            typ, data = super()._command_complete(name, tag)  # type: ignore[misc]
        except self.abort as error:
            if self.compression_broke and not isinstance(error, CompressionFailed):
                raise CompressionFailed(self.compression_broke) from error
            raise
        return typ, data

    def read(self, size: int) -> bytes:
        while len(self._rbuf) < size:
            if not self._fill():
                raise self.abort("socket error: EOF")
        data = bytes(self._rbuf[:size])
        del self._rbuf[:size]
        return data

    def readline(self) -> bytes:
        start = 0
        while True:
            end = self._rbuf.find(b"\n", start)
            if end >= 0:
                line = bytes(self._rbuf[: end + 1])
                del self._rbuf[: end + 1]
                self._compress_proven = True
                return line
            if len(self._rbuf) > _MAXLINE:
                raise self.error(f"got more than {_MAXLINE} bytes")
            start = len(self._rbuf)
            if not self._fill():
                line = bytes(self._rbuf)
                self._rbuf.clear()
                return line  # imaplib turns an empty line into abort('socket error: EOF')

    def _get_line(self) -> bytes:
        """imaplib's, minus the repr of every line it keeps for ``print_log``, which only
        runs at a debug level (imaplib formats it at level 0 too: a copy per line)."""
        line = self.readline()
        if not line:
            raise self.abort("socket error: EOF")
        if not line.endswith(b"\r\n"):  # the protocol ends every line with CRLF
            raise self.abort(f"socket error: unterminated line: {line!r}")
        line = line[:-2]
        if __debug__:  # as in imaplib, whose log helpers exist only then
            if self.debug >= 4:
                self._mesg(f"< {line!r}")
            elif self.debug:
                self._log(f"< {line!r}")
        return line

    def has_buffered_line(self) -> bool:
        """A whole line is already decoded: waiting on the socket would stall."""
        return b"\n" in self._rbuf

    def wait_readable(self, timeout: float) -> bool:
        """True when a line is buffered or the socket has data within ``timeout`` seconds."""
        if self.has_buffered_line():
            return True
        if isinstance(self.sock, ssl.SSLSocket) and self.sock.pending():
            return True
        if self._inflate is not None and self._inflate.unconsumed_tail:
            return True
        readable, _, _ = select.select([self.sock], [], [], timeout)
        return bool(readable)

    # --- writing --------------------------------------------------------------------------
    @contextlib.contextmanager
    def corked(self) -> Iterator[None]:
        """Write the commands sent inside as one burst.

        A pipeline written command by command can have the server's first answer cross
        the link before the next command leaves, costing a round trip on a slow or
        loaded link. Only for commands without literals: those wait for a continuation.
        """
        self._corked = []
        try:
            yield
        finally:
            pending, self._corked = b"".join(self._corked), None
            if pending:
                self.send(pending)

    def send(self, data: bytes) -> None:  # type: ignore[override]
        if self._corked is not None:
            self._corked.append(data)
            return
        if self._deflate is not None:
            data = self._deflate.compress(data) + self._deflate.flush(zlib.Z_SYNC_FLUSH)
        self.wire_out += len(data)
        self.sock.sendall(data)

    def _get_capabilities(self) -> None:
        """Use the greeting's CAPABILITY code when present: one round trip fewer."""
        codes = self.untagged_responses.get("CAPABILITY")
        if codes and isinstance(codes[-1], bytes):
            self.capabilities = tuple(codes[-1].decode("ascii", "replace").upper().split())
            return
        if self.state == "AUTH":
            # PREAUTH: send nothing yet; the caller decides whether to trust this session.
            self.capabilities = ("IMAP4REV1",)  # imaplib insists; imapclient asks later
            return
        super()._get_capabilities()  # type: ignore[misc]

    # --- upgrades -------------------------------------------------------------------------
    def starttls(  # type: ignore[override]
        self, ssl_context: ssl.SSLContext | None = None
    ) -> tuple[str, list[bytes]]:
        """STARTTLS that refuses anything the server sent after its OK before the handshake."""
        if ssl_context is None:
            raise ImapTransportError("STARTTLS needs a verifying SSL context")
        if isinstance(self.sock, ssl.SSLSocket):
            raise self.abort("TLS session already established")
        typ, data = self._simple_command("STARTTLS")
        if typ != "OK":
            raise self.error("the server refused STARTTLS")
        if self._rbuf:
            # CVE-2011-0411 style injection: plaintext queued to be read as if it were secure.
            raise ImapTransportError("the server sent data after OK STARTTLS; refusing it")
        self.sock = ssl_context.wrap_socket(self.sock, server_hostname=self.host)
        self.sock.settimeout(self._io_timeout)
        self.untagged_responses.pop("CAPABILITY", None)  # said in cleartext: ask again
        self._get_capabilities()
        return typ, data

    def start_session(self, *, enable: tuple[str, ...], compress: bool) -> tuple[set[str], bool]:
        """ENABLE and COMPRESS DEFLATE pipelined after login: one round trip for both.

        Returns (extensions the server enabled, whether DEFLATE is now on).
        """
        enable_tag = self._command("ENABLE", *enable) if enable else None
        compress_tag = self._command("COMPRESS", "DEFLATE") if compress else None
        enabled: set[str] = set()
        if enable_tag is not None:
            typ, _ = self._command_complete("ENABLE", enable_tag)
            for item in self.untagged_responses.pop("ENABLED", []):
                if isinstance(item, bytes):
                    enabled.update(item.decode("ascii", "replace").upper().split())
        if compress_tag is None:
            return enabled, False
        try:
            typ, _ = self._command_complete("COMPRESS", compress_tag)
        except self.abort:
            raise
        except self.error:  # BAD: like NO, the session simply stays uncompressed
            typ = "BAD"
        if typ != "OK":
            return enabled, False
        self._compress_proven = False
        self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        self._deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        # Bytes already read past the OK line are the start of the compressed stream.
        pending = bytes(self._rbuf)
        self._rbuf.clear()
        if pending:
            try:
                self._rbuf += self._inflate.decompress(pending, _INFLATE_STEP)
            except zlib.error as error:
                raise CompressionFailed(f"broken DEFLATE stream: {error}") from error
        return enabled, True

    @property
    def compressed(self) -> bool:
        """Whether COMPRESS=DEFLATE is active."""
        return self._inflate is not None
