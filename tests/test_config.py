"""The config file: what a valid one gives, and how each mistake is reported."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from csconsole.config import Config, ConfigError, load_config
from csconsole.config_example import EXAMPLE_FILE, starter_text
from csconsole.domain.sla import due_at

REPO = Path(__file__).parent.parent

ACCOUNT = """
[[accounts]]
name = "support"
email = "support@example.com"
[accounts.imap]
host = "imap.example.com"
password_command = "pass show mail"
"""


def load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def error(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    return caught.value


# -- the example and the defaults -------------------------------------------------------


def test_the_example_sets_up_every_kind_of_source() -> None:
    config = load_config(REPO / "config.example.toml")
    support, wholesale = config.accounts
    assert support.imap.port == 993 and support.imap.security == "tls"
    assert support.imap.password_command == "pass show mail/support@example.com"
    assert support.signatures["fa"].startswith("با احترام")
    assert wholesale.imap.security == "starttls" and wholesale.imap.username == "wholesale"
    # SMTP left its credentials out: they come from IMAP.
    assert wholesale.smtp is not None and wholesale.smtp.username == "wholesale"
    assert wholesale.smtp.password_command == wholesale.imap.password_command
    assert [(s.name, s.platform) for s in config.shops] == [
        ("woo", "woocommerce"),
        ("shopify", "shopify"),
    ]
    assert config.channels[0].platform == "telegram"
    assert config.sla.for_channel("email").first_response_hours == 24
    assert config.sla.for_channel("telegram").first_response_hours == 1
    schedule = config.sla.for_channel("telegram").business_hours
    assert schedule is not None and schedule.timezone == "Asia/Tehran"
    assert 4 not in schedule.days  # Friday is "closed"
    assert schedule.days[3] == (time(9), time(13))
    assert config.display.timezone == "Asia/Tehran"
    assert config.replies.agent_name == "Sara"
    assert config.keymap["inbox.next"] == "j,down"
    assert config.source_path == REPO / "config.example.toml"


def test_the_top_level_example_is_the_packaged_file() -> None:
    assert (REPO / "config.example.toml").resolve() == EXAMPLE_FILE.resolve()


def test_a_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "absent.toml") == Config()


def test_without_a_path_the_configured_location_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text('[display]\ncalendar = "jalali"\n', encoding="utf-8")
    monkeypatch.setenv("CSCONSOLE_CONFIG", str(path))
    assert load_config().display.calendar == "jalali"


def test_the_starter_changes_nothing_until_uncommented(tmp_path: Path) -> None:
    text = starter_text()
    assert load(tmp_path, text).accounts == ()
    uncommented = "\n".join(
        line[1:] if line.startswith("#") and not line.startswith("# ") and line != "#" else line
        for line in text.splitlines()
    )
    config = load(tmp_path, uncommented)
    assert [a.name for a in config.accounts] == ["support", "wholesale"]
    from csconsole.ui.actions import unknown_ids

    assert len(config.keymap) == 5
    assert unknown_ids(dict(config.keymap)) == []  # every example id names a real action


def test_reading_config_loads_no_ui_library() -> None:
    code = (
        "import sys, csconsole.config, csconsole.secrets, csconsole.cli.config_commands;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
        "sys.exit(str(bad) if bad else 0)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- defaults filled in while reading ---------------------------------------------------


def test_ports_and_usernames_follow_from_other_settings(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        ACCOUNT + '[accounts.smtp]\nhost = "smtp.example.com"\nsecurity = "starttls"\n',
    )
    account = config.accounts[0]
    assert account.imap.port == 993 and account.imap.username == "support@example.com"
    assert account.smtp is not None
    assert account.smtp.port == 587 and account.smtp.username == "support@example.com"
    assert account.smtp.password_command == "pass show mail"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.1", "::1", "localhost", "LOCALHOST"])
def test_plaintext_is_allowed_on_loopback(tmp_path: Path, host: str) -> None:
    text = ACCOUNT.replace('"imap.example.com"', f'"{host}"') + 'security = "plain"\n'
    server = load(tmp_path, text).accounts[0].imap
    assert server.security == "plain" and server.port == 143


def test_plaintext_elsewhere_needs_an_explicit_allowance(tmp_path: Path) -> None:
    text = ACCOUNT + 'security = "plain"\nallow_plaintext = true\n'
    assert load(tmp_path, text).accounts[0].imap.allow_plaintext


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080", "http://localhost:9000/shop", "http://[::1]:8080"]
)
def test_http_shop_urls_are_fine_on_loopback(tmp_path: Path, url: str) -> None:
    text = f'[[shops]]\nname = "s"\nplatform = "shopify"\nurl = "{url}/"\npassword_command = "p"\n'
    assert load(tmp_path, text).shops[0].url == url  # trailing slash dropped


def test_a_relative_ca_file_is_found_beside_the_config(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    server = load(tmp_path, ACCOUNT + 'ca_file = "ca.pem"\n').accounts[0].imap
    assert server.ca_file == str(tmp_path / "ca.pem")


def test_keymap_ids_may_be_quoted_or_nested(tmp_path: Path) -> None:
    text = (
        '[keymap]\n"inbox.next" = "j,down"\nreply.send = "ctrl+s"\n'
        '"conversation.reply-all" = "E"\n[keymap.inbox]\nprev = "k"\npage-down = "ctrl+d"\n'
    )
    assert dict(load(tmp_path, text).keymap) == {
        "inbox.next": "j,down",
        "reply.send": "ctrl+s",
        "conversation.reply-all": "E",
        "inbox.prev": "k",
        "inbox.page-down": "ctrl+d",
    }


# -- SLA ----------------------------------------------------------------------------------

SLA = """
[sla.default]
first_response_hours = 8
next_response_hours = 4
business_hours = { timezone = "Asia/Tehran", sat = "09:00-17:00", thu = "09:00-13:00" }

[sla.channels.telegram]
first_response_hours = 1

[sla.channels.email]
business_hours = false
"""


def test_business_hours_become_a_schedule(tmp_path: Path) -> None:
    schedule = load(tmp_path, SLA).sla.default.business_hours
    assert schedule is not None and schedule.timezone == "Asia/Tehran"
    assert schedule.days == {3: (time(9), time(13)), 5: (time(9), time(17))}


def test_channel_policies_take_what_they_leave_out_from_the_default(tmp_path: Path) -> None:
    sla = load(tmp_path, SLA).sla
    telegram = sla.for_channel("telegram")
    assert (telegram.first_response_hours, telegram.next_response_hours) == (1, 4)
    assert telegram.business_hours == sla.default.business_hours
    assert sla.for_channel("email").business_hours is None  # every hour counts
    assert sla.for_channel("shop") == sla.default


def test_due_times_skip_closed_hours(tmp_path: Path) -> None:
    sla = load(tmp_path, SLA).sla
    tehran = ZoneInfo("Asia/Tehran")
    # Thursday 12:30 in Tehran: 30 minutes left that day, Friday closed, Saturday from 09:00.
    since = datetime(2026, 11, 19, 12, 30, tzinfo=tehran).astimezone(UTC)
    due = due_at(sla.for_channel("telegram"), since, first_response=True)
    assert due == datetime(2026, 11, 21, 9, 30, tzinfo=tehran)
    # Mail turned business hours off: its 8 hours run straight through the night.
    due_mail = due_at(sla.for_channel("email"), since, first_response=True)
    assert due_mail is not None and (due_mail - since).total_seconds() == 8 * 3600


def test_a_day_may_run_to_midnight(tmp_path: Path) -> None:
    text = '[sla.default.business_hours]\ntimezone = "UTC"\nmon = "00:00-24:00"\n'
    schedule = load(tmp_path, text).sla.default.business_hours
    assert schedule is not None and schedule.days[0] == (time(0), time.max)


# -- every mistake names the file, the key and what was expected ---------------------------

MISTAKES = [
    pytest.param(ACCOUNT + "port = '993'\n", "accounts[0].imap.port", "whole number", id="type"),
    pytest.param(ACCOUNT + "port = 70000\n", "accounts[0].imap.port", "1 to 65535", id="range"),
    pytest.param(ACCOUNT + "prot = 993\n", "accounts[0].imap.prot", '"port"', id="typo"),
    pytest.param('[dispaly]\nbidi = "app"\n', "dispaly", '"display"', id="unknown-section"),
    pytest.param('[display]\ncolour = "red"\n', "display.colour", "known key", id="unknown-key"),
    pytest.param(ACCOUNT + 'security = "ssl"\n', "accounts[0].imap.security", '"starttls"'),
    pytest.param(
        ACCOUNT + 'security = "plain"\n', "accounts[0].imap.security", "allow_plaintext = true"
    ),
    pytest.param(
        ACCOUNT.replace("[accounts.imap]", '[accounts.imap]\nsecurity = "plain"').replace(
            "imap.example.com", "10.0.0.5"
        ),
        "accounts[0].imap.security",
        "not loopback",
        id="plain-on-lan",
    ),
    pytest.param(
        '[[accounts]]\nname = "a"\nemail = "a@example.com"\n', "accounts[0].imap", "to be set"
    ),
    pytest.param(
        ACCOUNT.replace('password_command = "pass show mail"', ""),
        "accounts[0].imap.password_command",
        "password_keyring",
        id="no-password-source",
    ),
    pytest.param(
        ACCOUNT + 'password_keyring = "csconsole"\n', "accounts[0].imap.password_keyring", "one of"
    ),
    pytest.param(
        ACCOUNT.replace('"pass show mail"', '"pass \'unbalanced"'),
        "accounts[0].imap.password_command",
        "quotes",
        id="bad-command",
    ),
    pytest.param(
        ACCOUNT.replace("[accounts.imap]", "folders = []\n[accounts.imap]"),
        "accounts[0].folders",
        "at least one folder",
        id="no-folders",
    ),
    pytest.param(ACCOUNT + 'ca_file = "nowhere.pem"\n', "accounts[0].imap.ca_file", "existing"),
    pytest.param(
        ACCOUNT.replace("support@example.com", "support"), "accounts[0].email", "mail address"
    ),
    pytest.param(
        ACCOUNT + ACCOUNT.replace('"support"', '"Support"'), "accounts[1].name", "accounts[0].name"
    ),
    pytest.param('[[shops]]\nname = "s"\nplatform = "magento"\n', "shops[0].platform", '"shopify"'),
    pytest.param(
        '[[shops]]\nname = "s"\nplatform = "shopify"\nurl = "http://shop.example.com"\n',
        "shops[0].url",
        "https://",
        id="http-shop",
    ),
    pytest.param(
        '[[shops]]\nname = "s"\nplatform = "shopify"\nurl = "https://k:s@shop.example.com"\n',
        "shops[0].url",
        "without user:password",
        id="credentials-in-url",
    ),
    pytest.param(
        '[[shops]]\nname = "s"\nplatform = "woocommerce"\nurl = "https://shop.example.com"\n',
        "shops[0].username",
        "to be set",
        id="woo-needs-consumer-key",
    ),
    pytest.param(
        '[[channels]]\nname = "t"\nplatform = "telegram"\napi_url = "http://api.example.org"\n',
        "channels[0].api_url",
        "https://",
        id="http-channel",
    ),
    pytest.param(
        '[[channels]]\nname = "t"\nplatform = "telegram"\ntoken_command = "x"\ntimeout = 10\n',
        "channels[0].timeout",
        "poll_timeout",
        id="timeout-below-long-poll",
    ),
    pytest.param(
        "[sla.channels.whatsapp]\nfirst_response_hours = 1\n", "sla.channels.whatsapp", "email"
    ),
    pytest.param(
        '[sla.default]\nfirst_response_hours = "soon"\n',
        "sla.default.first_response_hours",
        "a number",
    ),
    pytest.param(
        '[sla.default.business_hours]\ntimezone = "Mars/Olympus"\nmon = "09:00-17:00"\n',
        "sla.default.business_hours.timezone",
        "IANA time zone",
    ),
    pytest.param(
        '[sla.default.business_hours]\ntimezone = "UTC"\nmon = "9-17"\n',
        "sla.default.business_hours.mon",
        "HH:MM-HH:MM",
    ),
    pytest.param(
        '[sla.default.business_hours]\ntimezone = "UTC"\nmon = "17:00-09:00"\n',
        "sla.default.business_hours.mon",
        "closing time after",
    ),
    pytest.param(
        '[sla.default.business_hours]\ntimezone = "UTC"\nfri = "closed"\n',
        "sla.default.business_hours.mon",
        "at least one day",
    ),
    pytest.param(
        '[sla.default.business_hours]\ntimezone = "UTC"\nmonday = "09:00-17:00"\n',
        "sla.default.business_hours.monday",
        '"mon"',
    ),
    pytest.param("[sla.email]\nfirst_response_hours = 2\n", "sla.email", "[sla.channels.email]"),
    pytest.param(
        "[sla.default]\nbusiness_hours = true\n", "sla.default.business_hours", "or false"
    ),
    pytest.param('[display]\nbidi = "rtl"\n', "display.bidi", '"terminal"'),
    pytest.param('[display]\ncalendar = "persian"\n', "display.calendar", '"jalali"'),
    pytest.param('[display]\ntimezone = "Tehran"\n', "display.timezone", "IANA"),
    pytest.param("[display]\nlow_bandwidth = 1\n", "display.low_bandwidth", "true or false"),
    pytest.param("[replies]\nundo_seconds = -1\n", "replies.undo_seconds", "from 0"),
    pytest.param('[keymap]\nnext = "j"\n', "keymap.next", "binding id"),
    pytest.param('[keymap]\n"inbox.next" = "j, k"\n', 'keymap."inbox.next"', "keys such as"),
    pytest.param("accounts = 3\n", "accounts", "[[accounts]]", id="accounts-not-tables"),
]


@pytest.mark.parametrize(("text", "key", "expected"), MISTAKES)
def test_each_mistake_names_file_key_and_expectation(
    tmp_path: Path, text: str, key: str, expected: str
) -> None:
    problem = error(tmp_path, text)
    assert problem.file == str(tmp_path / "config.toml")
    assert problem.key == key
    assert expected in problem.expected
    message = str(problem)
    assert message.startswith(f"{tmp_path / 'config.toml'}: {key}: expected ")
    assert expected in message


@pytest.mark.parametrize(
    ("text", "key", "hint"),
    [
        (ACCOUNT + 'password = "hunter2"\n', "accounts[0].imap.password", "password_command"),
        (
            ACCOUNT.replace(
                'email = "support@example.com"', 'email = "a@example.com"\npassword = "hunter2"'
            ),
            "accounts[0].password",
            "password_keyring",
        ),
        (
            '[[channels]]\nname = "t"\nplatform = "telegram"\ntoken = "hunter2"\n',
            "channels[0].token",
            "token_command",
        ),
        (
            '[[shops]]\nname = "s"\nplatform = "shopify"\napi_key = "hunter2"\n',
            "shops[0].api_key",
            "password_command",
        ),
    ],
)
def test_secrets_in_the_file_are_refused_without_being_repeated(
    tmp_path: Path, text: str, key: str, hint: str
) -> None:
    problem = error(tmp_path, text)
    assert problem.key == key
    assert hint in str(problem)
    assert "hunter2" not in str(problem)


def test_a_syntax_error_names_the_line(tmp_path: Path) -> None:
    problem = error(tmp_path, '[display]\nbidi = "auto\n')
    assert problem.key.startswith("line 2")
    assert "valid TOML" in str(problem)


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[replies]\nagent_name = "\xe9"\n')
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(path)
