"""The ``csconsole`` command line: a thin layer over ``services``.

Each module in this package owns one group of commands and registers them here.
Headless commands must not import Textual; only ``run`` and ``demo`` load the UI,
inside the command function.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="csconsole",
    help="A keyboard-first console for e-commerce customer service.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _register_commands() -> None:
    from csconsole.cli import store_commands

    store_commands.register(app)
    from csconsole.cli import config_commands

    config_commands.register(app)
    from csconsole.cli import sync_commands

    sync_commands.register(app)
    from csconsole.cli import order_commands

    order_commands.register(app)
    from csconsole.cli import reply_commands

    reply_commands.register(app)
    from csconsole.cli import ui_commands

    ui_commands.register(app)
    from csconsole.cli import demo_commands

    demo_commands.register(app)


_register_commands()


def main() -> None:
    """Entry point of the ``csconsole`` script."""
    app()
