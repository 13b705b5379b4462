"""Opening an IMAP session safely: verified TLS, no STARTTLS fallback, no cleartext off-host.

``open_imap`` is the one way the app connects. Policy, in order:

* ``security = "tls"``: implicit TLS with certificate and host name checks (``ca_file``
  adds a trust anchor; nothing turns verification off).
* ``security = "starttls"``: the server must offer STARTTLS and the upgrade must
  succeed before credentials are sent; a PREAUTH greeting or any failure aborts.
* ``security = "plain"``: only to a loopback address, or when ``allow_plaintext`` is set.

Every socket operation has a timeout; COMPRESS=DEFLATE is switched on when offered.
A server that refuses it (NO or BAD) keeps the session uncompressed; one whose first
compressed exchange breaks raises ``CompressionFailed`` from the next command, and the
caller reconnects: either way this process stops asking that server for compression.
"""

from __future__ import annotations

import ipaddress
import logging
import ssl
from typing import Any, Protocol

from imapclient import IMAPClient

from csconsole.sources.imap_transport import BufferedIMAP4, CompressionFailed, ImapTransportError

log = logging.getLogger(__name__)

__all__ = [
    "CompressionFailed",
    "CsImapClient",
    "ImapConnectError",
    "ImapSecurityError",
    "compression_failed",
    "forget_compression_failures",
    "open_imap",
]

# Servers (host, port, user) where COMPRESS=DEFLATE was refused or broke the link: this
# process does not ask them again.
_NO_COMPRESS: set[tuple[str, int, str]] = set()


class ServerSettings(Protocol):
    """The fields of ``config.ServerConfig`` a connection needs."""

    @property
    def host(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def security(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def allow_plaintext(self) -> bool: ...
    @property
    def timeout(self) -> float: ...
    @property
    def ca_file(self) -> str | None: ...


class ImapSecurityError(Exception):
    """Connecting would expose the password or the mail; nothing was sent."""


class ImapConnectError(Exception):
    """The server could not be reached, refused the login, or broke the protocol."""


class CsImapClient(IMAPClient):  # type: ignore[misc]  # imapclient ships no type hints
    """IMAPClient over ``BufferedIMAP4`` (own buffering, DEFLATE, byte counters)."""

    def __init__(
        self, host: str, port: int, *, ssl_context: ssl.SSLContext | None, timeout: float
    ) -> None:
        self._cs_ssl_context = ssl_context
        self._cs_timeout = timeout
        self.enabled: set[str] = set()  # extensions switched on with ENABLE
        super().__init__(
            host, port, ssl=ssl_context is not None, ssl_context=ssl_context, timeout=timeout
        )
        if not logging.getLogger("imapclient.imaplib").isEnabledFor(logging.DEBUG):
            # imapclient sets imaplib's debug level to 5 so the protocol log reaches that
            # logger; imaplib then formats a repr of every line, regex match and literal
            # (whole message bodies) whether or not anything logs it. Pay only when wanted.
            self._imap.debug = 0

    def _create_IMAP4(self) -> BufferedIMAP4:
        return BufferedIMAP4(
            self.host, self.port, ssl_context=self._cs_ssl_context, timeout=self._cs_timeout
        )

    @property
    def transport(self) -> BufferedIMAP4:
        """The byte pipe (for IDLE waits, counters and raw commands)."""
        imap: BufferedIMAP4 = self._imap
        return imap

    @property
    def compressed(self) -> bool:
        """Whether COMPRESS=DEFLATE is on."""
        return self.transport.compressed

    def close_now(self) -> None:
        """Drop the connection without a LOGOUT round trip (dead links, shutdown)."""
        try:
            self.transport.shutdown()
        except OSError:
            pass


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (literal loopback address or localhost)."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """A verifying client context; ``ca_file`` is trusted in addition to the system store."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _server_key(server: ServerSettings) -> tuple[str, int, str]:
    return (server.host.lower(), server.port, server.username)


def compression_failed(server: ServerSettings, why: str) -> None:
    """Remember that COMPRESS=DEFLATE does not work with ``server`` (for this process)."""
    if _server_key(server) not in _NO_COMPRESS:
        log.warning(
            "COMPRESS=DEFLATE failed with %s:%s (%s); using this server without "
            "compression from now on",
            server.host,
            server.port,
            why,
        )
    _NO_COMPRESS.add(_server_key(server))


def forget_compression_failures() -> None:
    """Try COMPRESS=DEFLATE with every server again (tests; a long-running process)."""
    _NO_COMPRESS.clear()


def open_imap(server: ServerSettings, password: str, *, compress: bool = True) -> CsImapClient:
    """A logged-in client under the security policy in the module docstring."""
    compress = compress and _server_key(server) not in _NO_COMPRESS
    try:
        return _open(server, password, compress=compress)
    except CompressionFailed as error:
        compression_failed(server, str(error))
        return _open(server, password, compress=False)


def _open(server: ServerSettings, password: str, *, compress: bool) -> CsImapClient:
    security = server.security
    if security not in ("tls", "starttls", "plain"):
        raise ImapSecurityError(f"unknown security setting {security!r} for {server.host}")
    if security == "plain" and not (is_loopback(server.host) or server.allow_plaintext):
        raise ImapSecurityError(
            f"refusing to send the password for {server.username} to {server.host} "
            'without TLS; use security = "tls" (or allow_plaintext = true if you must)'
        )
    context = tls_context(server.ca_file) if security != "plain" else None
    try:
        client = CsImapClient(
            server.host,
            server.port,
            ssl_context=context if security == "tls" else None,
            timeout=server.timeout,
        )
    except ssl.SSLCertVerificationError as error:
        raise ImapSecurityError(f"{server.host}: certificate not trusted: {error}") from error
    except (OSError, ssl.SSLError, IMAPClient.Error) as error:
        raise ImapConnectError(f"cannot connect to {server.host}:{server.port}: {error}") from error
    try:
        if security == "starttls":
            _upgrade(client, server, context)
        _login(client, server, password)
        # QRESYNC must be enabled before any SELECT; pipelined with COMPRESS it costs no
        # extra round trip.
        want = ("QRESYNC",) if client.has_capability("QRESYNC") else ()
        offered = compress and client.has_capability("COMPRESS=DEFLATE")
        client.enabled, compressed = client.transport.start_session(enable=want, compress=offered)
        if offered and not compressed:
            compression_failed(server, "the server refused COMPRESS DEFLATE")
    except BaseException:
        client.close_now()
        raise
    return client


def _upgrade(client: CsImapClient, server: ServerSettings, context: ssl.SSLContext | None) -> None:
    if client.transport.state != "NONAUTH":
        # PREAUTH: the session is already authenticated in cleartext; STARTTLS is illegal.
        raise ImapSecurityError(f"{server.host} sent PREAUTH before STARTTLS; refusing")
    if not client.has_capability("STARTTLS"):
        raise ImapSecurityError(f"{server.host} does not offer STARTTLS; refusing to continue")
    try:
        client.starttls(context)
    except ssl.SSLCertVerificationError as error:
        raise ImapSecurityError(f"{server.host}: certificate not trusted: {error}") from error
    except (ImapTransportError, ssl.SSLError, IMAPClient.Error, OSError) as error:
        raise ImapSecurityError(f"{server.host}: STARTTLS failed: {error}") from error


def _login(client: CsImapClient, server: ServerSettings, password: str) -> None:
    try:
        client.login(server.username, password)
    except IMAPClient.Error as error:
        raise ImapConnectError(
            f"{server.host}: login failed for {server.username}: {error}"
        ) from error
    except OSError as error:
        raise ImapConnectError(f"{server.host}: connection lost during login: {error}") from error


def describe(client: CsImapClient) -> dict[str, Any]:
    """What the session negotiated, for logs and ``sync --verbose``."""
    sock = client.transport.sock
    return {
        "tls": isinstance(sock, ssl.SSLSocket),
        "compress": client.compressed,
        "capabilities": sorted(c.decode() for c in client.capabilities()),
    }
