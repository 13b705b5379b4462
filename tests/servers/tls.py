"""A throwaway certificate authority for TLS tests (trustme), written to files servers read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass(frozen=True)
class TlsFiles:
    """A CA and a server certificate for 127.0.0.1/localhost, as PEM files."""

    ca_file: Path
    cert_file: Path
    key_file: Path


def make_tls_files(
    directory: Path, *, names: tuple[str, ...] = ("127.0.0.1", "localhost")
) -> TlsFiles:
    """Issue a fresh CA and a leaf certificate into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    leaf = ca.issue_cert(*names)
    ca_file = directory / "ca.pem"
    cert_file = directory / "cert.pem"
    key_file = directory / "key.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    leaf.private_key_pem.write_to_path(str(key_file))
    chain = b"".join(blob.bytes() for blob in leaf.cert_chain_pems)
    cert_file.write_bytes(chain)
    return TlsFiles(ca_file=ca_file, cert_file=cert_file, key_file=key_file)
