"""The commented example config, and the starter file ``csconsole config init`` writes.

One text serves three readers, so it cannot drift:

- ``csconsole/data/config.example.toml`` is the only copy. It ships as package data
  (``pyproject.toml``), so an installed ``csconsole`` finds it beside this module.
  (A path beside ``__file__`` rather than ``importlib.resources.files("csconsole")``,
  which fails when an editable install presents the package as a namespace.)
- ``config.example.toml`` at the top of the repository is a symbolic link to it, for
  people reading the source (``csconsole config check config.example.toml`` passes).
  A checkout without symlink support (some Windows setups) shows the link as a
  one-line file; the real text is the packaged one.
- ``starter_text()`` is the same text with every setting turned into a comment
  (``#key = value``), so a fresh config changes nothing until the user removes a
  ``#``; the explanations keep their ``# `` prefix and stay comments.
"""

from __future__ import annotations

from pathlib import Path

EXAMPLE_FILE = Path(__file__).with_name("data") / "config.example.toml"

STARTER_HEADER = """\
# Created by `csconsole config init`. Every setting is commented out, so this file
# changes nothing yet: remove the "#" in front of a [section] and its settings to use
# them (keep the "# " explanations). Then run `csconsole config check`.

"""


def example_text() -> str:
    """The full example config, every key explained."""
    return EXAMPLE_FILE.read_text(encoding="utf-8")


def starter_text() -> str:
    """The example with its settings commented out: a safe file to start editing."""
    lines = []
    for line in example_text().splitlines():
        lines.append(line if not line.strip() or line.startswith("#") else "#" + line)
    return STARTER_HEADER + "\n".join(lines) + "\n"
