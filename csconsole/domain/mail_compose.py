"""Building the outgoing RFC 5322 message: UTF-8 always, threading headers right.

Threading follows RFC 5322 §3.6.4: In-Reply-To is the parent's Message-ID and
References is the parent's References plus the parent, trimmed from the oldest
end (keeping the first) so long threads stay under about 1000 characters.
The subject gets one ``Re:`` whatever prefixes clients stacked on it before.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from csconsole.domain.localize import Locale, format_date

# Reply and forward prefixes as mail clients write them, in the languages we meet:
# English, German (AW/WG), Nordic (SV/VS), Dutch (Antw), Arabic (رد), Persian (پاسخ).
_PREFIX = re.compile(
    r"^\s*(?:(?:re|aw|sv|vs|antw|ref|رد|پاسخ|fw|fwd|wg)\s*(?:\[\d+\])?\s*[:：]\s*)+",
    re.IGNORECASE,
)
REFERENCES_LIMIT = 1000


def reply_subject(subject: str) -> str:
    """``Re: Order 1001`` from ``RE: Re: Order 1001`` or ``Order 1001``; never stacked."""
    core = _PREFIX.sub("", subject or "").strip()
    return f"Re: {core}" if core else "Re:"


def new_message_id(from_addr: str) -> str:
    """A globally unique Message-ID (without angle brackets) in the sender's domain."""
    domain = from_addr.rpartition("@")[2].strip().strip(">") or "csconsole.invalid"
    return f"{secrets.token_hex(12)}.cs@{domain}"


def references_for(parent_id: str | None, parent_refs: Sequence[str]) -> list[str]:
    """The References chain of a reply, trimmed but always keeping the first and the parent."""
    chain = [ref for ref in parent_refs if ref]
    if parent_id and (not chain or chain[-1] != parent_id):
        chain.append(parent_id)
    while len(chain) > 2 and sum(len(ref) + 3 for ref in chain) > REFERENCES_LIMIT:
        del chain[1]
    return chain


def quote_original(
    body: str, author: str, sent_at: datetime | None, locale: Locale, *, max_lines: int = 200
) -> str:
    """The parent below the reply: an attribution line and ``>`` quoting."""
    when = format_date(sent_at, locale) if sent_at else ""
    name = author or "?"
    if locale.base == "fa":
        header = f"{name} در {when} نوشت:" if when else f"{name} نوشت:"
    elif locale.base == "ar":
        header = f"في {when}، كتب {name}:" if when else f"كتب {name}:"
    else:
        header = f"On {when}, {name} wrote:" if when else f"{name} wrote:"
    lines = body.rstrip().splitlines()[:max_lines]
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in lines)
    return f"{header}\n{quoted}"


def with_signature(body: str, signature: str) -> str:
    """Body, then the standard ``-- `` separator and the signature (once)."""
    signature = signature.strip("\n")
    if not signature.strip() or signature.strip() in body:
        return body
    return f"{body.rstrip()}\n\n-- \n{signature}"


def _address(name: str, addr: str) -> Address:
    local, _, domain = addr.strip().rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def build_message(
    *,
    from_addr: str,
    from_name: str,
    to: Sequence[str],
    cc: Sequence[str] = (),
    subject: str,
    body: str,
    message_id: str,
    date: datetime,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    language: str | None = None,
) -> bytes:
    """The final bytes handed to SMTP and appended to Sent."""
    message = EmailMessage(policy=SMTP)
    message["From"] = _address(from_name, from_addr)
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        message["References"] = " ".join(f"<{ref}>" for ref in references)
    message["MIME-Version"] = "1.0"
    text = body.replace("\r\n", "\n")
    if not text.endswith("\n"):
        text += "\n"
    # Base64 keeps Arabic and Persian text compact; ASCII stays readable as 7bit.
    message.set_content(text, charset="utf-8", cte="7bit" if text.isascii() else "base64")
    if language:  # after set_content, which clears every Content-* header
        message["Content-Language"] = language
    return message.as_bytes()
