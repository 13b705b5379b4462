"""``python -m csconsole`` and the ``csconsole`` script.

With no arguments the console opens at once: Typer and every command module (over
100 ms of imports) load only when there is a command line to parse.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Open the console, or hand the arguments to the full command line."""
    if sys.argv[1:]:
        from csconsole.cli import main as command_line

        command_line()
        return
    from csconsole import paths
    from csconsole.config import ConfigError, load_config

    try:
        config = load_config()
    except ConfigError as error:  # as `csconsole run` reports it
        print(f"csconsole: {error}", file=sys.stderr)
        raise SystemExit(2) from error
    from csconsole.ui.app import run_console

    run_console(paths.store_file(), config)


if __name__ == "__main__":
    main()
