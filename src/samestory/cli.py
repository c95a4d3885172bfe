"""The `samestory` command: thin commands over the library. Only this module and web/ talk to people."""

from __future__ import annotations

import click

from samestory import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="samestory")
def main() -> None:
    """Find the same news story across outlets and show, claim by claim, how each outlet told it."""


if __name__ == "__main__":
    main()
