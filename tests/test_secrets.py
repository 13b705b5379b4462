"""Passwords and tokens fetched by a command or from the keyring, and how failures read."""

from __future__ import annotations

import shlex
import sys
import time
import types
from pathlib import Path

import pytest

from csconsole.config import ServerConfig
from csconsole.secrets import SecretError, resolve_secret, server_secret


def script(tmp_path: Path, body: str) -> str:
    """A small executable Python program; returns the command line that runs it."""
    path = tmp_path / "get pass.py"  # a space in the path: quoting must survive
    path.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n", encoding="utf-8")
    path.chmod(0o700)
    return shlex.quote(str(path))


def from_command(command: str, **kwargs: float) -> str:
    return resolve_secret(
        command=command, keyring_service=None, username="u", label='account "support"', **kwargs
    )


def test_the_first_line_of_output_is_the_secret(tmp_path: Path) -> None:
    command = script(tmp_path, "print('s3cret pass')\nprint('user: someone')")
    assert from_command(command) == "s3cret pass"


def test_no_shell_runs_the_command() -> None:
    assert from_command("printf '%s\\n' 'a;b $HOME `id`'") == "a;b $HOME `id`"


def test_a_failing_command_says_who_and_why_but_not_the_output(tmp_path: Path) -> None:
    command = script(
        tmp_path,
        "print('half-secret')\nprint('gpg: decryption failed', file=sys.stderr)\nsys.exit(2)",
    )
    with pytest.raises(SecretError) as caught:
        from_command(command)
    message = str(caught.value)
    assert 'account "support"' in message
    assert "exit status 2" in message and "gpg: decryption failed" in message
    assert "half-secret" not in message


def test_empty_output_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SecretError, match="printed nothing"):
        from_command(script(tmp_path, "print()"))


def test_a_missing_program_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SecretError, match=r'account "support".*could not start'):
        from_command(str(tmp_path / "no-such-program"))


def test_a_hanging_command_times_out_with_its_helpers(tmp_path: Path) -> None:
    # The child leaves a grandchild holding the output pipe; the timeout must still end it.
    command = script(
        tmp_path,
        "import subprocess\nsubprocess.Popen(['sleep', '30'])\ntime.sleep(30)",
    )
    started = time.monotonic()
    with pytest.raises(SecretError, match=r"no answer within 0\.5 s"):
        from_command(command, timeout=0.5)
    assert time.monotonic() - started < 10


def test_server_secret_names_the_account(tmp_path: Path) -> None:
    server = ServerConfig(
        host="imap.example.com",
        port=993,
        security="tls",
        username="support",
        password_command="false",
    )
    with pytest.raises(SecretError, match='account "support" \\(imap\\)'):
        server_secret(server, 'account "support" (imap)')


def test_nothing_configured_is_an_error() -> None:
    with pytest.raises(SecretError, match="no password_command or password_keyring"):
        resolve_secret(command=None, keyring_service=None, username="u")


def test_keyring_without_the_package_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # as if it were not installed
    with pytest.raises(SecretError, match=r"pip install 'csconsole\[keyring\]'"):
        resolve_secret(command=None, keyring_service="csconsole", username="support")


def test_keyring_entries_are_looked_up_by_service_and_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = {("csconsole", "support"): "from-keyring"}
    backend = types.ModuleType("keyring")
    backend.get_password = lambda service, user: entries.get((service, user))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", backend)
    assert (
        resolve_secret(command=None, keyring_service="csconsole", username="support")
        == "from-keyring"
    )
    with pytest.raises(SecretError, match="there is no keyring entry"):
        resolve_secret(command=None, keyring_service="csconsole", username="sales")
