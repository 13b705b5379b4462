"""Where csconsole keeps its config and data; environment variables override for tests."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "csconsole"
CONFIG_ENV = "CSCONSOLE_CONFIG"
DATA_ENV = "CSCONSOLE_DATA_DIR"


def config_file() -> Path:
    """The config file: ``$CSCONSOLE_CONFIG`` or ``~/.config/csconsole/config.toml``."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def config_dir() -> Path:
    """The folder beside the config file (it holds ``canned/`` too)."""
    return config_file().parent


def data_dir() -> Path:
    """Store, drafts and caches: ``$CSCONSOLE_DATA_DIR`` or the platform data folder."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def store_file() -> Path:
    """The user's store."""
    return data_dir() / "store.sqlite"


def demo_store_file() -> Path:
    """The demo shop's store, kept apart from the user's own."""
    return data_dir() / "demo.sqlite"


def download_dir() -> Path:
    """Where saved attachments go."""
    return Path(platformdirs.user_downloads_dir())
