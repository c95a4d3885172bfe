"""The README documents every command, and its two fresh-machine commands stay true."""

from __future__ import annotations

import re

from click.testing import CliRunner

from conftest import REPO
from samestory.cli import main

README = (REPO / "README.md").read_text()


def test_every_command_is_documented():
    for name in main.commands:
        assert re.search(rf"^### samestory {name}$", README, re.M), f"`samestory {name}` has no README section"


def test_every_command_has_help():
    runner = CliRunner()
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage:" in result.output


def test_fresh_machine_commands():
    assert "make demo" in README and "make test" in README
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "samestory" in result.output
