"""Allow ``python -m csconsole``."""

from csconsole.cli import main

main()
