"""Handing a finished message to an SMTP server, safely, and saying how a failure looks.

Policy (the same as for IMAP): implicit TLS on 465 with a verified certificate by
default; STARTTLS only when configured and then never without the upgrade (no
fallback to cleartext when the server does not offer it); cleartext only to a
loopback address or with ``allow_plaintext``. Failures are split so the outbox
knows what to do::

    SmtpError
    ├── SmtpTemporaryError   4xx, connection refused/reset, DNS, timeouts: retry later
    └── SmtpPermanentError   5xx, authentication refused, TLS/certificate trouble: show it
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass

from csconsole.sources.imap_connection import ServerSettings, is_loopback, tls_context


class SmtpError(Exception):
    """Sending failed; ``temporary`` says whether trying again later can help."""

    temporary = False


class SmtpTemporaryError(SmtpError):
    temporary = True


class SmtpPermanentError(SmtpError):
    temporary = False


@dataclass(frozen=True)
class SmtpResult:
    """What the server accepted: refused recipients (if only some were) and its reply."""

    refused: dict[str, tuple[int, str]]


def _describe(error: smtplib.SMTPResponseException) -> str:
    message = error.smtp_error
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{error.smtp_code} {' '.join(text.split())}"


def classify(error: BaseException, host: str) -> SmtpError:
    """Turn whatever smtplib, ssl or the socket raised into a temporary or permanent error."""
    if isinstance(error, SmtpError):
        return error
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        detail = "; ".join(
            f"{rcpt}: {code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg}"
            for rcpt, (code, msg) in error.recipients.items()
        )
        kind = SmtpTemporaryError if any(400 <= c < 500 for c in codes) else SmtpPermanentError
        return kind(f"{host} refused the recipients: {detail}")
    if isinstance(error, smtplib.SMTPAuthenticationError) and error.smtp_code >= 500:
        return SmtpPermanentError(f"{host} refused the login: {_describe(error)}")
    if isinstance(error, smtplib.SMTPResponseException):
        kind = SmtpTemporaryError if 400 <= error.smtp_code < 500 else SmtpPermanentError
        return kind(f"{host}: {_describe(error)}")
    if isinstance(error, ssl.SSLCertVerificationError):
        return SmtpPermanentError(f"{host}: certificate not trusted: {error.verify_message}")
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return SmtpPermanentError(f"{host}: {error}")
    if isinstance(error, socket.gaierror):
        return SmtpTemporaryError(f"cannot resolve {host}: {error.strerror or error}")
    if isinstance(error, TimeoutError | socket.timeout):
        return SmtpTemporaryError(f"{host} did not answer in time")
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError):
        return SmtpTemporaryError(f"{host} closed the connection: {error}")
    if isinstance(error, ssl.SSLError):
        return SmtpPermanentError(f"{host}: TLS failed: {error}")
    if isinstance(error, OSError | smtplib.SMTPException):
        return SmtpTemporaryError(f"{host}: {error}")
    return SmtpPermanentError(f"{host}: {error!r}")


def _connect(server: ServerSettings) -> smtplib.SMTP:
    security = server.security
    if security not in ("tls", "starttls", "plain"):
        raise SmtpPermanentError(f"unknown security setting {security!r} for {server.host}")
    if security == "plain" and not (is_loopback(server.host) or server.allow_plaintext):
        raise SmtpPermanentError(
            f"refusing to send mail for {server.username} to {server.host} without TLS; "
            'use security = "tls" (or allow_plaintext = true if you must)'
        )
    if security == "tls":
        context = tls_context(server.ca_file)
        return smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
    client = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
    try:
        client.ehlo()
        if security == "starttls":
            if not client.has_extn("starttls"):
                # A stripped STARTTLS is what a downgrade attack looks like: never go on.
                raise SmtpPermanentError(
                    f"{server.host} does not offer STARTTLS; refusing to send without TLS"
                )
            client.starttls(context=tls_context(server.ca_file))
            client.ehlo()
    except BaseException:
        client.close()
        raise
    return client


def send_message(
    server: ServerSettings,
    password: str,
    *,
    sender: str,
    recipients: Sequence[str],
    raw: bytes,
) -> SmtpResult:
    """Deliver ``raw`` to ``recipients``; returns once the server accepted it.

    Raises SmtpTemporaryError or SmtpPermanentError. A connection that dies after
    the server said 250 to the message counts as delivered: the reply was accepted.
    """
    if not recipients:
        raise SmtpPermanentError("the message has no recipients")
    try:
        client = _connect(server)
    except BaseException as error:
        raise classify(error, server.host) from error
    try:
        if password:  # an empty password means a relay that trusts this host
            client.login(server.username, password)
        refused = client.sendmail(sender, list(recipients), raw)
    except BaseException as error:
        client.close()
        raise classify(error, server.host) from error
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()  # accepted already; a lost goodbye changes nothing
    return SmtpResult(
        refused={
            rcpt: (code, msg.decode("utf-8", "replace") if isinstance(msg, bytes) else str(msg))
            for rcpt, (code, msg) in refused.items()
        }
    )
