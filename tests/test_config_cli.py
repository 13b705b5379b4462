"""``csconsole config path|check|init`` as a user runs them."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csconsole.cli import app
from csconsole.config import load_config

REPO = Path(__file__).parent.parent
runner = CliRunner()


def test_path_honours_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSCONSOLE_CONFIG", str(tmp_path / "team" / "cs.toml"))
    result = runner.invoke(app, ["config", "path"])
    assert result.exit_code == 0
    assert result.output.strip() == str(tmp_path / "team" / "cs.toml")


def test_check_passes_the_example_and_summarises_it() -> None:
    result = runner.invoke(app, ["config", "check", str(REPO / "config.example.toml")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 2 accounts, 2 shops, 1 channel, ")
    assert "telegram 1h" in result.stdout


def test_check_reports_the_problem_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[display]\ncalendar = "lunar"\n', encoding="utf-8")
    result = runner.invoke(app, ["config", "check", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{bad}: display.calendar: expected one of" in result.stderr


def test_check_without_a_file_reports_defaults(tmp_path: Path) -> None:
    result = runner.invoke(app, ["config", "check"])
    assert result.exit_code == 0
    assert "using the defaults" in result.stdout


def test_check_of_a_named_missing_file_fails(tmp_path: Path) -> None:
    result = runner.invoke(app, ["config", "check", str(tmp_path / "nope.toml")])
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_init_writes_a_private_starter_that_checks(tmp_path: Path) -> None:
    target = tmp_path / "config" / "config.toml"  # where the test environment points
    assert not target.parent.exists()
    result = runner.invoke(app, ["config", "init"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "#[[accounts]]" in target.read_text(encoding="utf-8")
    assert load_config(target).accounts == ()
    checked = runner.invoke(app, ["config", "check"])
    assert checked.exit_code == 0 and checked.stdout.startswith("OK: 0 accounts")


def test_init_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    target.write_text('[replies]\nagent_name = "Sara"\n', encoding="utf-8")
    result = runner.invoke(app, ["config", "init", str(target)])
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert target.read_text(encoding="utf-8") == '[replies]\nagent_name = "Sara"\n'


def test_check_secrets_fetches_each_without_showing_it(tmp_path: Path) -> None:
    config = tmp_path / "secrets.toml"
    config.write_text(
        """
[[accounts]]
name = "support"
email = "support@localhost"
[accounts.imap]
host = "127.0.0.1"
security = "plain"
password_command = "printf 'imap-pass-123\\\\n'"
[accounts.smtp]
host = "127.0.0.1"
security = "plain"

[[shops]]
name = "woo"
platform = "woocommerce"
url = "http://127.0.0.1:8080"
username = "ck_test"
password_command = "false"
""",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["config", "check", "--secrets", str(config)])
    assert result.exit_code == 1
    assert 'OK: account "support" (imap): secret fetched' in result.stdout
    assert 'OK: account "support" (smtp): secret fetched' in result.stdout
    assert 'FAILED: shop "woo": password command' in result.stderr
    assert "imap-pass-123" not in result.output
