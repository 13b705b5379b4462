"""A throwaway Dovecot IMAP server on a free loopback port, one per variant per test session.

Variants cover servers with and without CONDSTORE/QRESYNC and COMPRESS=DEFLATE, and one
that also listens with implicit TLS (a trustme CA) and offers STARTTLS. Each test gets its
own user (``server.new_user()``), so a session-scoped server stays isolated between tests.

Works as root (mail owned by ``nobody``) and as an ordinary user (every Dovecot process
runs as the caller, no chroot). Skips when Dovecot is missing, unless ``CI=true``.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from imapclient import IMAPClient

from tests.servers.tls import TlsFiles, make_tls_files

DOVECOT_CANDIDATES = ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot")

# Dovecot 2.3's post-login capabilities minus CONDSTORE and QRESYNC.
_BASE_CAPS = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES "
    "THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN "
    "NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 ESEARCH ESORT SEARCHRES WITHIN "
    "CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE "
    "SAVEDATE LITERAL+ NOTIFY SPECIAL-USE"
)


POOL_SIZE = 400


def _pool_user(index: int) -> tuple[str, str]:
    return f"user{index}", f"pw-user{index}"


@dataclass(frozen=True)
class Variant:
    """Which extensions a test server offers."""

    name: str
    condstore: bool = True
    qresync: bool = True
    compress: bool = True
    tls: bool = False
    zlib: bool = True  # False: COMPRESS=DEFLATE offered, but the command is unknown (BAD)


VARIANTS = {
    "full": Variant("full"),
    "bare": Variant("bare", condstore=False, qresync=False, compress=False),
    "condstore": Variant("condstore", qresync=False, compress=False),
    "tls": Variant("tls", tls=True),
    "broken-compress": Variant("broken-compress", zlib=False),
}


def find_dovecot() -> str | None:
    """The dovecot binary, if installed."""
    found = shutil.which("dovecot")
    if found:
        return found
    return next((path for path in DOVECOT_CANDIDATES if os.access(path, os.X_OK)), None)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DovecotServer:
    """A running instance: where it listens and how to put mail into it."""

    variant: Variant
    root: Path
    port: int
    tls_port: int | None
    tls: TlsFiles | None
    process: subprocess.Popen[bytes]
    host: str = "127.0.0.1"
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # --- users -------------------------------------------------------------------------
    def new_user(self, prefix: str = "u") -> tuple[str, str]:
        """A fresh user with an empty mailbox (from the pool written before startup:
        Dovecot's passwd-file reload on change proved unreliable within one second)."""
        index = next(self._counter)
        if index > POOL_SIZE:
            raise RuntimeError(f"more than {POOL_SIZE} users asked of one Dovecot instance")
        return _pool_user(index)

    def client(self, user: str, password: str) -> IMAPClient:
        """A plain imapclient session for arranging test data (not the code under test)."""
        client = IMAPClient(self.host, self.port, ssl=False, timeout=15)
        client.login(user, password)
        return client

    # --- arranging mail ----------------------------------------------------------------
    def append(
        self,
        user: tuple[str, str],
        raw: bytes,
        *,
        folder: str = "INBOX",
        flags: Iterable[str] = (),
        when: datetime | None = None,
    ) -> int:
        """APPEND one message and return its UID (UIDPLUS)."""
        with self.client(*user) as client:
            if folder.upper() != "INBOX" and not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw, flags=tuple(flags), msg_time=when)
        return _appended_uid(response)

    def append_many(
        self, user: tuple[str, str], raws: Iterable[bytes], *, folder: str = "INBOX"
    ) -> list[int]:
        """APPEND several messages over one connection; returns their UIDs in order."""
        uids = []
        with self.client(*user) as client:
            if folder.upper() != "INBOX" and not client.folder_exists(folder):
                client.create_folder(folder)
            for raw in raws:
                uids.append(_appended_uid(client.append(folder, raw)))
        return uids

    def set_flags(
        self, user: tuple[str, str], uids: list[int], flags: Iterable[str], *, folder: str = "INBOX"
    ) -> None:
        """Replace the flags of messages, as another mail client would."""
        with self.client(*user) as client:
            client.select_folder(folder)
            client.set_flags(uids, tuple(flags))

    def expunge(self, user: tuple[str, str], uids: list[int], *, folder: str = "INBOX") -> None:
        """Delete messages for good."""
        with self.client(*user) as client:
            client.select_folder(folder)
            client.delete_messages(uids)
            client.uid_expunge(uids)

    def move(
        self, user: tuple[str, str], uids: list[int], target: str, *, folder: str = "INBOX"
    ) -> None:
        """MOVE messages to another folder (created when missing)."""
        with self.client(*user) as client:
            if not client.folder_exists(target):
                client.create_folder(target)
            client.select_folder(folder)
            client.move(uids, target)

    def recreate_folder(self, user: tuple[str, str], folder: str, raws: Iterable[bytes]) -> None:
        """Delete and recreate a folder with the given messages: a new UIDVALIDITY."""
        with self.client(*user) as client:
            if folder.upper() == "INBOX":
                client.select_folder("INBOX")
                uids = client.search(["ALL"])
                if uids:
                    client.delete_messages(uids)
                    client.expunge()
                client.unselect_folder()
                self._bump_inbox_uidvalidity(user[0])
            else:
                client.delete_folder(folder)
                client.create_folder(folder)
        self.append_many(user, raws, folder=folder)

    def _bump_inbox_uidvalidity(self, user: str) -> None:
        # INBOX cannot be deleted; Dovecot keeps UIDVALIDITY in dovecot-uidlist, whose first
        # line starts "3 V<uidvalidity> N<next uid>". Changing it is what a server restore does.
        uidlist = self.root / "home" / user / "Maildir" / "dovecot-uidlist"
        lines = uidlist.read_text().splitlines()
        fields = lines[0].split()
        fields = [f"V{int(f[1:]) + 1000}" if f.startswith("V") else f for f in fields]
        uidlist.write_text(" ".join(fields) + "\n")
        for name in ("dovecot.index", "dovecot.index.cache", "dovecot.index.log"):
            (uidlist.parent / name).unlink(missing_ok=True)

    # --- lifecycle -----------------------------------------------------------------------
    def stop(self) -> None:
        """Stop our own master process (by its pid) and remove the files."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        """Dovecot's log, for failure messages."""
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _appended_uid(response: bytes) -> int:
    # b'[APPENDUID 1700000000 5] Append completed.'
    text = response.decode() if isinstance(response, bytes) else str(response)
    return int(text.split("APPENDUID", 1)[1].split()[1].rstrip("]"))


def _config(
    variant: Variant, root: Path, port: int, tls_port: int | None, tls: TlsFiles | None
) -> str:
    if os.geteuid() == 0:
        mail_user, mail_group = "nobody", _group_of("nobody")
        uid = pwd.getpwnam("nobody").pw_uid
        identity = f"first_valid_uid = {uid}\nfirst_valid_gid = 0\n"
    else:
        me = pwd.getpwuid(os.geteuid())
        mail_user, mail_group = me.pw_name, _group_of(me.pw_name)
        identity = (
            f"default_internal_user = {me.pw_name}\n"
            f"default_internal_group = {mail_group}\n"
            f"default_login_user = {me.pw_name}\n"
            f"first_valid_uid = {me.pw_uid}\nfirst_valid_gid = 0\n"
            "service anvil {\n  chroot =\n}\n"
            "service imap-login {\n  chroot =\n}\n"
        )
    caps = [_BASE_CAPS]
    if variant.condstore:
        caps.append("CONDSTORE")
    if variant.qresync:
        caps.append("QRESYNC")
    if variant.compress:
        caps.append("COMPRESS=DEFLATE")  # an explicit list hides what imap_zlib would add
    plugins = "$mail_plugins imap_zlib" if variant.compress and variant.zlib else "$mail_plugins"
    if tls:
        ssl = f"ssl = yes\nssl_cert = <{tls.cert_file}\nssl_key = <{tls.key_file}\n"
        imaps = (
            "  inet_listener imaps {\n    address = 127.0.0.1\n"
            f"    port = {tls_port}\n    ssl = yes\n  }}\n"
        )
    else:
        ssl = "ssl = no\n"
        imaps = "  inet_listener imaps {\n    port = 0\n  }\n"
    return f"""
protocols = imap
listen = 127.0.0.1
instance_name = csdovecot-{port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
{identity}
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
  mailbox Archive {{
    special_use = \\Archive
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
{imaps}}}
protocol imap {{
  mail_plugins = {plugins}
  imap_capability = {" ".join(caps)}
  imap_idle_notify_interval = 2 mins
}}
"""


def _group_of(user: str) -> str:
    import grp

    return grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name


def _wait_ready(server: DovecotServer, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"dovecot exited early:\n{server.log()}")
        try:
            with socket.create_connection((server.host, server.port), timeout=1) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"dovecot did not answer on port {server.port}:\n{server.log()}")


def start_dovecot(variant: Variant) -> DovecotServer:
    """Start an instance of ``variant``; the caller stops it."""
    binary = find_dovecot()
    if binary is None:
        raise FileNotFoundError("dovecot")
    # A short path: Dovecot's unix sockets live under base_dir (108-byte limit).
    root = Path(tempfile.mkdtemp(prefix="csdv-"))
    root.chmod(0o755)
    for sub in ("run", "state", "home"):
        (root / sub).mkdir()
    (root / "passwd").write_text(
        "".join(
            f"{name}:{{PLAIN}}{password}::::::\n"
            for name, password in map(_pool_user, range(1, POOL_SIZE + 1))
        )
    )
    root.joinpath("passwd").chmod(0o644)
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(root / "home", nobody.pw_uid, nobody.pw_gid)
    port = free_port()
    tls_port = free_port() if variant.tls else None
    tls = make_tls_files(root / "tls") if variant.tls else None
    if tls:
        for path in (tls.cert_file, tls.key_file):
            path.chmod(0o644)
        (root / "tls").chmod(0o755)
    config = root / "dovecot.conf"
    config.write_text(_config(variant, root, port, tls_port, tls))
    process = subprocess.Popen(
        [binary, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # Dovecot writes to log_path
    )
    server = DovecotServer(variant, root, port, tls_port, tls, process)
    try:
        _wait_ready(server)
    except RuntimeError:
        server.stop()
        raise
    return server


class DovecotPool:
    """Session-wide cache: one running server per variant, started on first use."""

    def __init__(self) -> None:
        self._servers: dict[str, DovecotServer] = {}

    def get(self, name: str) -> DovecotServer:
        if name not in self._servers:
            if find_dovecot() is None:
                if os.environ.get("CI", "").lower() == "true":
                    pytest.fail("dovecot is required on CI (apt-get install dovecot-imapd)")
                pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
            self._servers[name] = start_dovecot(VARIANTS[name])
        return self._servers[name]

    def stop_all(self) -> None:
        for server in self._servers.values():
            server.stop()
        self._servers.clear()


@pytest.fixture(scope="session")
def dovecot_pool() -> Iterator[DovecotPool]:
    """All Dovecot variants this session started; stopped at the end."""
    pool = DovecotPool()
    yield pool
    pool.stop_all()


@pytest.fixture(scope="session")
def dovecot(dovecot_pool: DovecotPool) -> DovecotServer:
    """Dovecot with CONDSTORE, QRESYNC and COMPRESS=DEFLATE."""
    return dovecot_pool.get("full")


@pytest.fixture(scope="session")
def dovecot_bare(dovecot_pool: DovecotPool) -> DovecotServer:
    """Dovecot without CONDSTORE, QRESYNC or COMPRESS: the RFC 4549 fallback path."""
    return dovecot_pool.get("bare")


@pytest.fixture(scope="session")
def dovecot_condstore(dovecot_pool: DovecotPool) -> DovecotServer:
    """Dovecot with CONDSTORE but no QRESYNC or COMPRESS."""
    return dovecot_pool.get("condstore")


@pytest.fixture(scope="session")
def dovecot_tls(dovecot_pool: DovecotPool) -> DovecotServer:
    """Dovecot with implicit TLS on ``tls_port`` and STARTTLS on ``port`` (trustme CA)."""
    return dovecot_pool.get("tls")


@pytest.fixture(scope="session")
def dovecot_broken_compress(dovecot_pool: DovecotPool) -> DovecotServer:
    """Dovecot that offers COMPRESS=DEFLATE but answers the command with BAD."""
    return dovecot_pool.get("broken-compress")


@pytest.fixture(params=["full", "bare", "condstore"])
def any_dovecot(request: pytest.FixtureRequest, dovecot_pool: DovecotPool) -> DovecotServer:
    """Each extension variant in turn."""
    return dovecot_pool.get(str(request.param))


@pytest.fixture
def mail_user(dovecot: DovecotServer) -> tuple[str, str]:
    """A fresh user on the full-featured server."""
    return dovecot.new_user()
